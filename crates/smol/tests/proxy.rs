//! The async client through an HTTP `CONNECT` proxy and a SOCKS5 proxy, both small test proxies
//! on loopback in front of the emulator; wrong proxy credentials fail with a clear error.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::Request;
use binance_wsapi_smol::{Connection, Error, Options, Proxy, ProxyAuth};
use futures_lite::io::{AsyncReadExt as _, AsyncWriteExt as _};
use smol::net::{TcpListener, TcpStream};

fn run<F: Future<Output = ()>>(test: F) {
    smol::block_on(async {
        let limit = async {
            smol::Timer::after(Duration::from_secs(20)).await;
            panic!("the test did not finish in 20 s");
        };
        futures_lite::future::or(test, limit).await;
    });
}

/// Copies both ways until either side closes.
async fn splice(a: TcpStream, b: TcpStream) {
    let (mut ar, mut aw) = (a.clone(), a);
    let (mut br, mut bw) = (b.clone(), b);
    let _ = futures_lite::future::zip(
        futures_lite::io::copy(&mut ar, &mut bw),
        futures_lite::io::copy(&mut br, &mut aw),
    )
    .await;
}

/// An HTTP proxy that accepts `CONNECT` with the given basic token (or any, if `None`).
async fn http_proxy(listener: TcpListener, token: Option<String>, tunnels: Arc<AtomicUsize>) {
    while let Ok((mut client, _)) = listener.accept().await {
        let token = token.clone();
        let tunnels = Arc::clone(&tunnels);
        smol::spawn(async move {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
                if client.read(&mut byte).await.unwrap_or(0) == 0 {
                    return;
                }
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head).to_string();
            let target = head
                .split_whitespace()
                .nth(1)
                .unwrap_or_default()
                .to_owned();
            let authorised = token
                .as_ref()
                .is_none_or(|t| head.contains(&format!("Proxy-Authorization: Basic {t}")));
            if !head.starts_with("CONNECT ") || !authorised {
                let _ = client
                    .write_all(b"HTTP/1.1 407 Proxy Authentication Required\r\n\r\n")
                    .await;
                return;
            }
            let Ok(upstream) = TcpStream::connect(target.as_str()).await else {
                let _ = client.write_all(b"HTTP/1.1 502 Bad Gateway\r\n\r\n").await;
                return;
            };
            tunnels.fetch_add(1, Ordering::SeqCst);
            let _ = client
                .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                .await;
            splice(client, upstream).await;
        })
        .detach();
    }
}

/// A SOCKS5 proxy requiring user `u` / password `p`.
async fn socks5_proxy(listener: TcpListener, tunnels: Arc<AtomicUsize>) {
    while let Ok((mut client, _)) = listener.accept().await {
        let tunnels = Arc::clone(&tunnels);
        smol::spawn(async move {
            let mut greeting = [0u8; 2];
            client.read_exact(&mut greeting).await.ok()?;
            let mut methods = vec![0u8; usize::from(greeting[1])];
            client.read_exact(&mut methods).await.ok()?;
            if !methods.contains(&2) {
                client.write_all(&[5, 0xff]).await.ok()?;
                return None;
            }
            client.write_all(&[5, 2]).await.ok()?;
            let mut v = [0u8; 2];
            client.read_exact(&mut v).await.ok()?;
            let mut user = vec![0u8; usize::from(v[1])];
            client.read_exact(&mut user).await.ok()?;
            let mut plen = [0u8; 1];
            client.read_exact(&mut plen).await.ok()?;
            let mut password = vec![0u8; usize::from(plen[0])];
            client.read_exact(&mut password).await.ok()?;
            if user != b"u" || password != b"p" {
                client.write_all(&[1, 1]).await.ok()?;
                return None;
            }
            client.write_all(&[1, 0]).await.ok()?;
            let mut request = [0u8; 4];
            client.read_exact(&mut request).await.ok()?;
            let host = match request[3] {
                1 => {
                    let mut ip = [0u8; 4];
                    client.read_exact(&mut ip).await.ok()?;
                    std::net::Ipv4Addr::from(ip).to_string()
                }
                3 => {
                    let mut len = [0u8; 1];
                    client.read_exact(&mut len).await.ok()?;
                    let mut name = vec![0u8; usize::from(len[0])];
                    client.read_exact(&mut name).await.ok()?;
                    String::from_utf8(name).ok()?
                }
                _ => return None,
            };
            let mut port = [0u8; 2];
            client.read_exact(&mut port).await.ok()?;
            let upstream = TcpStream::connect((host.as_str(), u16::from_be_bytes(port)))
                .await
                .ok()?;
            tunnels.fetch_add(1, Ordering::SeqCst);
            client
                .write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0])
                .await
                .ok()?;
            splice(client, upstream).await;
            Some(())
        })
        .detach();
    }
}

fn through(proxy: Proxy) -> Options {
    let mut options = Options::default();
    options.proxy = Some(proxy);
    options.reconnect = false;
    options
}

#[test]
fn http_connect_proxy_with_basic_auth() {
    run(async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let tunnels = Arc::new(AtomicUsize::new(0));
        // base64("u:p")
        let proxy = smol::spawn(http_proxy(
            listener,
            Some("dTpw".into()),
            Arc::clone(&tunnels),
        ));
        let auth = |password: &str| {
            Some(ProxyAuth {
                user: "u".into(),
                password: password.into(),
            })
        };
        let conn = Connection::connect(
            emu.url(),
            through(Proxy::HttpConnect {
                addr: addr.clone(),
                auth: auth("p"),
            }),
        )
        .await
        .unwrap();
        conn.call(Request::new("ping")).await.unwrap();
        assert_eq!(
            tunnels.load(Ordering::SeqCst),
            1,
            "the request went through the proxy"
        );
        conn.close().await;

        let wrong = Connection::connect(
            emu.url(),
            through(Proxy::HttpConnect {
                addr,
                auth: auth("wrong"),
            }),
        )
        .await;
        match wrong {
            Err(Error::Connect { reason, .. }) => assert!(reason.contains("407"), "{reason}"),
            other => panic!("{other:?}"),
        }
        // The password never shows in Debug.
        let shown = format!("{:?}", auth("secret-pw"));
        assert!(!shown.contains("secret-pw"), "{shown}");
        drop(proxy);
    });
}

#[test]
fn socks5_proxy_with_user_and_password() {
    run(async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let tunnels = Arc::new(AtomicUsize::new(0));
        let proxy = smol::spawn(socks5_proxy(listener, Arc::clone(&tunnels)));
        let socks = |password: &str| Proxy::Socks5 {
            addr: addr.clone(),
            auth: Some(ProxyAuth {
                user: "u".into(),
                password: password.into(),
            }),
        };
        let conn = Connection::connect(emu.url(), through(socks("p")))
            .await
            .unwrap();
        conn.call(Request::new("time")).await.unwrap();
        assert_eq!(tunnels.load(Ordering::SeqCst), 1);
        conn.close().await;
        match Connection::connect(emu.url(), through(socks("nope"))).await {
            Err(Error::Connect { reason, .. }) => assert!(reason.contains("refused"), "{reason}"),
            other => panic!("{other:?}"),
        }
        let no_auth = Proxy::Socks5 {
            addr: addr.clone(),
            auth: None,
        };
        match Connection::connect(emu.url(), through(no_auth)).await {
            Err(Error::Connect { reason, .. }) => {
                assert!(reason.contains("no SOCKS5 authentication"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        drop(proxy);
    });
}
