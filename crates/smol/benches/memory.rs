//! Memory figures, from a counting allocator: bytes held per pending request in the protocol
//! core, and per open connection of the async client beside a raw async-tungstenite connection to
//! the same in-process emulator (whose own per-connection state is in both figures, so the
//! difference is what the client adds). Also the allocations per pipelined `ping` of both
//! clients (the emulator's are in both figures too).
//!
//! Run with `cargo bench -p binance-wsapi-smol --bench memory`.

#![allow(clippy::print_stdout, missing_docs)]

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use binance_wsapi_emulator::rate_limit::Limits;
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::{Client, Config, Request};
use binance_wsapi_smol::{Connection, Options};

#[path = "../tests/support/counting_alloc.rs"]
mod counting_alloc;
#[path = "support/pipeline.rs"]
mod pipeline;

use counting_alloc::{allocations, live};
use pipeline::{our_batch, raw_batch, raw_socket, PIPELINED};

/// Within the default `max_pending` (4096).
const PENDING: usize = 4_000;
const CONNECTIONS: usize = 50;

/// Bytes a core holds when new (it sizes its pending table for `max_pending` up front, so that
/// sending never reallocates), and then per request waiting for its reply.
fn core_figures() -> (isize, f64) {
    let before = live();
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    let mut client = Client::new(Config::default(), Instant::now(), unix, 7).expect("client");
    let empty = live() - before;
    let start = live();
    for _ in 0..PENDING {
        client
            .send(Request::new("ping"), Instant::now())
            .expect("send");
        // The frame leaves at once, as a driver would write it.
        while client.poll_transmit().is_some() {}
    }
    (empty, (live() - start) as f64 / PENDING as f64)
}

async fn settle() {
    smol::Timer::after(Duration::from_millis(300)).await;
}

async fn per_raw_connection(url: &str) -> f64 {
    let before = live();
    let mut sockets = Vec::new();
    for _ in 0..CONNECTIONS {
        let (ws, _) = async_tungstenite::client_async(
            url,
            smol::net::TcpStream::connect(
                url.trim_start_matches("ws://")
                    .split('/')
                    .next()
                    .expect("addr"),
            )
            .await
            .expect("tcp"),
        )
        .await
        .expect("handshake");
        sockets.push(ws);
    }
    settle().await;
    let per = (live() - before) as f64 / CONNECTIONS as f64;
    drop(sockets);
    settle().await;
    per
}

async fn per_client_connection(url: &str) -> f64 {
    let mut options = Options::default();
    options.clock_sync_every = None;
    let before = live();
    let mut connections = Vec::new();
    for _ in 0..CONNECTIONS {
        connections.push(
            Connection::connect(url, options.clone())
                .await
                .expect("connect"),
        );
    }
    settle().await;
    let per = (live() - before) as f64 / CONNECTIONS as f64;
    for c in &connections {
        c.close().await;
    }
    drop(connections);
    settle().await;
    per
}

/// Allocations per request of a pipelined batch on an established raw socket (after a warm-up
/// batch, as in the roundtrip bench).
async fn raw_allocations(url: &str) -> f64 {
    let mut ws = raw_socket(url).await;
    raw_batch(&mut ws).await;
    let before = allocations();
    raw_batch(&mut ws).await;
    (allocations() - before) as f64 / PIPELINED as f64
}

/// As [`raw_allocations`], for the client.
async fn our_allocations(url: &str) -> f64 {
    let conn = Connection::connect(url, pipeline::options())
        .await
        .expect("connect");
    our_batch(&conn).await;
    let before = allocations();
    our_batch(&conn).await;
    let per = (allocations() - before) as f64 / PIPELINED as f64;
    conn.close().await;
    per
}

fn main() {
    let (empty_core, per_pending) = core_figures();
    let mut config = EmulatorConfig::default();
    config.limits = Limits {
        connections_per_5min: 1_000_000,
        weight_per_minute: u64::MAX / 2,
        ..Limits::default()
    };
    let emu = Emulator::start(config).expect("emulator");
    let url = emu.url().to_owned();
    let (raw_allocs, our_allocs) =
        smol::block_on(async { (raw_allocations(&url).await, our_allocations(&url).await) });
    let (raw, ours) = smol::block_on(async {
        // One of each first, so that lazily built global state is not counted.
        per_raw_connection(&url).await;
        per_client_connection(&url).await;
        (
            per_raw_connection(&url).await,
            per_client_connection(&url).await,
        )
    });
    println!("memory, from a counting allocator");
    println!(
        "  core, a new client (default config):   {:>6.1} KiB",
        empty_core as f64 / 1024.0
    );
    println!(
        "  core, per pending request:             {per_pending:>6.0} bytes ({PENDING} pending)"
    );
    println!(
        "  per connection, raw async-tungstenite: {:>6.1} KiB (both ends, emulator in process)",
        raw / 1024.0
    );
    println!(
        "  per connection, binance-wsapi-smol:    {:>6.1} KiB (both ends); the client adds {:.1} KiB",
        ours / 1024.0,
        (ours - raw) / 1024.0
    );
    println!(
        "  allocations per pipelined ping (emulator's included): raw {raw_allocs:.1}, \
         binance-wsapi-smol {our_allocs:.1}"
    );
}
