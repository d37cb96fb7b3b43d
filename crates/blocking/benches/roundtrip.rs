//! The blocking client beside a raw tungstenite client doing the same frames, against the emulator
//! on loopback, in alternating rounds: sequential `ping` round trips (p50/p99 latency) and
//! pipelined throughput. Run with `cargo bench -p binance-wsapi-blocking --bench roundtrip`.
//! Targets: latency within 1.15x, throughput at least 0.85x of the raw client.

#![allow(clippy::print_stdout, missing_docs)]

use std::time::{Duration, Instant};

use binance_wsapi_blocking::{Connection, Options};
use binance_wsapi_emulator::rate_limit::Limits;
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::{Event, Request};
use tungstenite::Message;

const ROUND_TRIPS: usize = 3_000;
const PIPELINED: usize = 10_000;
const ROUNDS: usize = 3;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn raw_latency(url: &str) -> Vec<Duration> {
    let (mut ws, _) = tungstenite::connect(url).expect("connect");
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_mut() {
        s.set_nodelay(true).expect("nodelay");
    }
    let mut samples = Vec::with_capacity(ROUND_TRIPS);
    for i in 0..ROUND_TRIPS {
        let started = Instant::now();
        ws.send(Message::text(format!("{{\"id\":{i},\"method\":\"ping\"}}")))
            .expect("send");
        loop {
            if let Message::Text(t) = ws.read().expect("read") {
                // Parse the id as a client must, to correlate.
                let v: serde_json::Value = serde_json::from_str(t.as_str()).expect("json");
                if v["id"] == i {
                    break;
                }
            }
        }
        samples.push(started.elapsed());
    }
    samples
}

fn our_latency(url: &str) -> Vec<Duration> {
    let mut conn = Connection::connect(url, Options::default()).expect("connect");
    let mut samples = Vec::with_capacity(ROUND_TRIPS);
    for _ in 0..ROUND_TRIPS {
        let started = Instant::now();
        conn.call(Request::new("ping")).expect("ping");
        samples.push(started.elapsed());
    }
    samples
}

fn raw_throughput(url: &str) -> f64 {
    let (mut ws, _) = tungstenite::connect(url).expect("connect");
    if let tungstenite::stream::MaybeTlsStream::Plain(s) = ws.get_mut() {
        s.set_nodelay(true).expect("nodelay");
    }
    let started = Instant::now();
    for i in 0..PIPELINED {
        ws.send(Message::text(format!("{{\"id\":{i},\"method\":\"ping\"}}")))
            .expect("send");
    }
    let mut got = 0;
    while got < PIPELINED {
        if let Message::Text(t) = ws.read().expect("read") {
            let v: serde_json::Value = serde_json::from_str(t.as_str()).expect("json");
            if v["status"] == 200 {
                got += 1;
            }
        }
    }
    PIPELINED as f64 / started.elapsed().as_secs_f64()
}

fn our_throughput(url: &str) -> f64 {
    let mut options = Options::default();
    options.config.max_pending = PIPELINED + 1;
    let mut conn = Connection::connect(url, options).expect("connect");
    let started = Instant::now();
    for _ in 0..PIPELINED {
        conn.send(Request::new("ping")).expect("send");
    }
    let mut got = 0;
    while got < PIPELINED {
        if let Some(Event::Completed(c)) = conn.next_event(Duration::from_secs(10)).expect("event")
        {
            if c.response().is_some() {
                got += 1;
            }
        }
    }
    PIPELINED as f64 / started.elapsed().as_secs_f64()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn main() {
    let mut config = EmulatorConfig::default();
    config.limits = Limits {
        weight_per_minute: u64::MAX / 2,
        ..Limits::default()
    };
    let emu = Emulator::start(config).expect("emulator");
    let url = emu.url().to_owned();
    let (mut raw_lat, mut our_lat, mut raw_tp, mut our_tp) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        raw_lat.extend(raw_latency(&url));
        our_lat.extend(our_latency(&url));
        raw_tp.push(raw_throughput(&url));
        our_tp.push(our_throughput(&url));
    }
    raw_lat.sort();
    our_lat.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "blocking client vs raw tungstenite, emulator on loopback ({ROUNDS} alternating rounds)"
    );
    for (label, p) in [("p50", 0.5), ("p99", 0.99)] {
        let (raw, ours) = (percentile(&raw_lat, p), percentile(&our_lat, p));
        println!(
            "  ping round trip {label}: ours {:>7.1} µs  raw {:>7.1} µs  ratio {:.2}x",
            us(ours),
            us(raw),
            us(ours) / us(raw)
        );
    }
    let (raw, ours) = (median(raw_tp), median(our_tp));
    println!(
        "  pipelined pings:       ours {ours:>7.0} /s   raw {raw:>7.0} /s   ratio {:.2}x",
        ours / raw
    );
}
