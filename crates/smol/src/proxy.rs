//! Tunnels through a proxy: HTTP `CONNECT` and SOCKS5 (no authentication or user/password), over
//! smol's own TCP, so no second runtime is pulled in.

use std::fmt;

use base64::Engine as _;
use futures_lite::io::{AsyncReadExt as _, AsyncWriteExt as _};
use smol::net::TcpStream;

/// A proxy to reach the endpoint through.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Proxy {
    /// An HTTP proxy that supports `CONNECT` (`host:port` of the proxy).
    HttpConnect {
        /// The proxy's `host:port`.
        addr: String,
        /// Basic credentials, if the proxy asks for them.
        auth: Option<ProxyAuth>,
    },
    /// A SOCKS5 proxy (`host:port`); the endpoint's host name is resolved by the proxy.
    Socks5 {
        /// The proxy's `host:port`.
        addr: String,
        /// User name and password (RFC 1929), if the proxy asks for them.
        auth: Option<ProxyAuth>,
    },
}

/// A proxy user name and password. `Debug` does not show the password.
#[derive(Clone, PartialEq, Eq)]
pub struct ProxyAuth {
    /// User name.
    pub user: String,
    /// Password.
    pub password: String,
}

impl fmt::Debug for ProxyAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProxyAuth")
            .field("user", &self.user)
            .field("password", &"<redacted>")
            .finish()
    }
}

impl fmt::Debug for Proxy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (kind, addr, auth) = match self {
            Self::HttpConnect { addr, auth } => ("HttpConnect", addr, auth),
            Self::Socks5 { addr, auth } => ("Socks5", addr, auth),
        };
        f.debug_struct(kind)
            .field("addr", addr)
            .field("auth", auth)
            .finish()
    }
}

impl Proxy {
    /// The proxy's `host:port`.
    pub(crate) fn addr(&self) -> &str {
        match self {
            Self::HttpConnect { addr, .. } | Self::Socks5 { addr, .. } => addr,
        }
    }

    /// Asks the proxy, over `stream`, for a tunnel to `host:port`.
    pub(crate) async fn open_tunnel(
        &self,
        stream: &mut TcpStream,
        host: &str,
        port: u16,
    ) -> Result<(), String> {
        match self {
            Self::HttpConnect { auth, .. } => http_connect(stream, host, port, auth.as_ref()).await,
            Self::Socks5 { auth, .. } => socks5(stream, host, port, auth.as_ref()).await,
        }
    }
}

fn io(e: std::io::Error) -> String {
    format!("proxy: {e}")
}

async fn http_connect(
    stream: &mut TcpStream,
    host: &str,
    port: u16,
    auth: Option<&ProxyAuth>,
) -> Result<(), String> {
    let target = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let mut request = format!("CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n");
    if let Some(auth) = auth {
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{}:{}", auth.user, auth.password));
        request.push_str(&format!("Proxy-Authorization: Basic {token}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).await.map_err(io)?;
    // Read the response head byte by byte: nothing after it may be consumed (it belongs to TLS or
    // the WebSocket handshake). Bounded at 8 KiB.
    let mut head = Vec::with_capacity(256);
    while !head.ends_with(b"\r\n\r\n") {
        if head.len() >= 8192 {
            return Err("proxy: response head longer than 8 KiB".into());
        }
        let mut byte = [0u8; 1];
        if stream.read(&mut byte).await.map_err(io)? == 0 {
            return Err("proxy: closed during CONNECT".into());
        }
        head.push(byte[0]);
    }
    let head = String::from_utf8_lossy(&head);
    let status = head.lines().next().unwrap_or_default();
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if code == "200" {
        Ok(())
    } else {
        Err(format!("proxy refused CONNECT: {status}"))
    }
}

async fn socks5(
    stream: &mut TcpStream,
    host: &str,
    port: u16,
    auth: Option<&ProxyAuth>,
) -> Result<(), String> {
    // Greeting: offer "no authentication", and user/password when we have it.
    let greeting: &[u8] = if auth.is_some() {
        &[5, 2, 0, 2]
    } else {
        &[5, 1, 0]
    };
    stream.write_all(greeting).await.map_err(io)?;
    let mut choice = [0u8; 2];
    stream.read_exact(&mut choice).await.map_err(io)?;
    match (choice, auth) {
        ([5, 0], _) => {}
        ([5, 2], Some(auth)) => {
            let (user, password) = (auth.user.as_bytes(), auth.password.as_bytes());
            let (Ok(ulen), Ok(plen)) = (u8::try_from(user.len()), u8::try_from(password.len()))
            else {
                return Err("proxy: user name or password longer than 255 bytes".into());
            };
            let mut message = vec![1, ulen];
            message.extend_from_slice(user);
            message.push(plen);
            message.extend_from_slice(password);
            stream.write_all(&message).await.map_err(io)?;
            let mut status = [0u8; 2];
            stream.read_exact(&mut status).await.map_err(io)?;
            if status[1] != 0 {
                return Err("proxy: SOCKS5 user/password refused".into());
            }
        }
        ([5, 0xff], _) => return Err("proxy: no SOCKS5 authentication method accepted".into()),
        (other, _) => return Err(format!("proxy: unexpected SOCKS5 reply {other:?}")),
    }
    // CONNECT by name (the proxy resolves it) or by address.
    let mut request = vec![5, 1, 0];
    match host.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(ip)) => {
            request.push(1);
            request.extend_from_slice(&ip.octets());
        }
        Ok(std::net::IpAddr::V6(ip)) => {
            request.push(4);
            request.extend_from_slice(&ip.octets());
        }
        Err(_) => {
            let name = host.as_bytes();
            let len = u8::try_from(name.len()).map_err(|_| "proxy: host name too long")?;
            request.push(3);
            request.push(len);
            request.extend_from_slice(name);
        }
    }
    request.extend_from_slice(&port.to_be_bytes());
    stream.write_all(&request).await.map_err(io)?;
    let mut reply = [0u8; 4];
    stream.read_exact(&mut reply).await.map_err(io)?;
    if reply[1] != 0 {
        return Err(format!(
            "proxy: SOCKS5 CONNECT failed with code {}",
            reply[1]
        ));
    }
    // Skip the bound address the proxy reports.
    let skip = match reply[3] {
        1 => 4,
        4 => 16,
        3 => {
            let mut len = [0u8; 1];
            stream.read_exact(&mut len).await.map_err(io)?;
            usize::from(len[0])
        }
        other => return Err(format!("proxy: SOCKS5 address type {other}")),
    };
    let mut rest = vec![0u8; skip + 2];
    stream.read_exact(&mut rest).await.map_err(io)?;
    Ok(())
}
