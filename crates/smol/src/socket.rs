//! Opening a WebSocket: TCP with a deadline, TLS (rustls, ring) for `wss://`, the handshake.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use async_tungstenite::WebSocketStream;
use binance_wsapi_blocking::{Endpoint, Error};
use futures_lite::io::{AsyncRead, AsyncWrite};
use futures_rustls::client::TlsStream;
use futures_rustls::TlsConnector;
use rustls_pki_types::ServerName;
use smol::net::TcpStream;
use smol::Timer;

use crate::options::Options;

/// A TCP stream, plain or wrapped in TLS.
#[derive(Debug)]
pub(crate) enum Stream {
    /// `ws://`.
    Plain(TcpStream),
    /// `wss://`.
    Tls(Box<TlsStream<TcpStream>>),
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_flush(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Self::Plain(s) => Pin::new(s).poll_close(cx),
            Self::Tls(s) => Pin::new(s.as_mut()).poll_close(cx),
        }
    }
}

/// The WebSocket type the adapter drives.
pub(crate) type Socket = WebSocketStream<Stream>;

/// Runs `future`, or fails with "timed out" after `limit`.
async fn within<T>(
    limit: Duration,
    what: &str,
    future: impl std::future::Future<Output = Result<T, String>>,
) -> Result<T, String> {
    let expired = async {
        Timer::after(limit).await;
        Err(format!("{what} timed out after {limit:?}"))
    };
    futures_lite::future::or(future, expired).await
}

/// Opens the TCP connection, TLS for `wss://`, and the WebSocket handshake, each step bounded by
/// `options.connect_timeout`.
pub(crate) async fn open(url: &str, options: &Options) -> Result<Socket, Error> {
    let Endpoint {
        request,
        secure,
        host,
        port,
        ..
    } = Endpoint::parse(url)?;
    let bad_url = |reason: &str| Error::Url {
        url: url.to_owned(),
        reason: reason.to_owned(),
    };
    let connect_error = |reason: String| Error::Connect {
        url: url.to_owned(),
        reason,
    };
    let limit = options.connect_timeout;
    let tcp = match &options.proxy {
        None => within(limit, "TCP connect", async {
            TcpStream::connect((host.as_str(), port))
                .await
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(connect_error)?,
        Some(proxy) => within(limit, "proxy tunnel", async {
            let mut tcp = TcpStream::connect(proxy.addr())
                .await
                .map_err(|e| format!("proxy {}: {e}", proxy.addr()))?;
            proxy.open_tunnel(&mut tcp, &host, port).await?;
            Ok(tcp)
        })
        .await
        .map_err(connect_error)?,
    };
    tcp.set_nodelay(true)?;
    let stream = if secure {
        let config = options.roots.client_config()?;
        let name = ServerName::try_from(host.clone()).map_err(|e| bad_url(&e.to_string()))?;
        let tls = within(limit, "TLS handshake", async {
            TlsConnector::from(config)
                .connect(name, tcp)
                .await
                .map_err(|e| e.to_string())
        })
        .await
        .map_err(connect_error)?;
        Stream::Tls(Box::new(tls))
    } else {
        Stream::Plain(tcp)
    };
    let (socket, _) = within(limit, "WebSocket handshake", async {
        async_tungstenite::client_async(request, stream)
            .await
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(connect_error)?;
    Ok(socket)
}
