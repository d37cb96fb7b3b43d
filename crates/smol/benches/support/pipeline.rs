//! The two clients of the benchmarks, doing the same thing: a raw async-tungstenite socket
//! writing `ping` frames it formats itself, and this crate's [`Connection`]. Shared by the
//! roundtrip bench (speed) and the memory bench (allocations per request) through `#[path]`.

use std::time::Instant;

use async_tungstenite::tungstenite::Message;
use async_tungstenite::WebSocketStream;
use binance_wsapi_proto::Request;
use binance_wsapi_smol::{Connection, Options};
use futures_lite::StreamExt as _;
use smol::net::TcpStream;

/// Requests in one pipelined batch: all sent, then all replies read.
pub(crate) const PIPELINED: usize = 10_000;

/// A raw WebSocket to `url` (`ws://host:port/...`), Nagle off as the client sets it.
pub(crate) async fn raw_socket(url: &str) -> WebSocketStream<TcpStream> {
    let addr = url
        .trim_start_matches("ws://")
        .split('/')
        .next()
        .expect("host");
    let tcp = TcpStream::connect(addr).await.expect("tcp");
    tcp.set_nodelay(true).expect("nodelay");
    let (ws, _) = async_tungstenite::client_async(url, tcp)
        .await
        .expect("handshake");
    ws
}

/// The client's options for the benchmarks: no clock sampling, room for a whole batch.
pub(crate) fn options() -> Options {
    let mut options = Options::default();
    options.clock_sync_every = None;
    options.config.max_pending = PIPELINED + 1;
    options
}

/// One batch of [`PIPELINED`] pings on an open raw socket: all sent, then every reply read
/// and parsed (to find its id, as a client must). Returns requests per second.
pub(crate) async fn raw_batch(ws: &mut WebSocketStream<TcpStream>) -> f64 {
    let started = Instant::now();
    for i in 0..PIPELINED {
        ws.send(Message::text(format!("{{\"id\":{i},\"method\":\"ping\"}}")))
            .await
            .expect("send");
    }
    if std::env::var_os("ROUNDTRIP_PROFILE").is_some() {
        println!("    raw:  sent in {:?}", started.elapsed());
    }
    let mut got = 0;
    while got < PIPELINED {
        if let Some(Ok(Message::Text(t))) = ws.next().await {
            let v: serde_json::Value = serde_json::from_str(t.as_str()).expect("json");
            if v["status"] == 200 {
                got += 1;
            }
        }
    }
    PIPELINED as f64 / started.elapsed().as_secs_f64()
}

/// One batch of [`PIPELINED`] pings on our connection: all sent, then every reply awaited.
/// Returns requests per second.
pub(crate) async fn our_batch(conn: &Connection) -> f64 {
    let started = Instant::now();
    let mut replies = Vec::with_capacity(PIPELINED);
    for _ in 0..PIPELINED {
        replies.push(conn.send(Request::new("ping")).await.expect("send"));
    }
    if std::env::var_os("ROUNDTRIP_PROFILE").is_some() {
        println!("    ours: sent in {:?}", started.elapsed());
    }
    for reply in replies {
        reply.response().await.expect("pong");
    }
    PIPELINED as f64 / started.elapsed().as_secs_f64()
}
