//! The async client beside a raw async-tungstenite client doing the same frames, against the
//! emulator on loopback, in alternating rounds: sequential `ping` round trips (p50/p99 latency)
//! and pipelined throughput of an established connection (a warm-up batch, then the measured
//! one). Also draws the two latency distributions as an SVG plot.
//!
//! Run with `cargo bench -p binance-wsapi-smol --bench roundtrip`; the plot goes to
//! `$LATENCY_SVG` (default `target/latency-smol.svg`). Targets: latency within 1.15x,
//! throughput at least 0.85x of the raw client.

#![allow(clippy::print_stdout, missing_docs)]

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use async_tungstenite::tungstenite::Message;
use binance_wsapi_emulator::rate_limit::Limits;
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::Request;
use binance_wsapi_smol::Connection;
use futures_lite::StreamExt as _;

#[path = "support/pipeline.rs"]
mod pipeline;

use pipeline::{options, our_batch, raw_batch, raw_socket};

const ROUND_TRIPS: usize = 3_000;
const ROUNDS: usize = 7;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

async fn raw_latency(url: &str) -> Vec<Duration> {
    let mut ws = raw_socket(url).await;
    let mut samples = Vec::with_capacity(ROUND_TRIPS);
    for i in 0..ROUND_TRIPS {
        let started = Instant::now();
        ws.send(Message::text(format!("{{\"id\":{i},\"method\":\"ping\"}}")))
            .await
            .expect("send");
        loop {
            if let Some(Ok(Message::Text(t))) = ws.next().await {
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

async fn our_latency(url: &str) -> Vec<Duration> {
    let conn = Connection::connect(url, options()).await.expect("connect");
    let mut samples = Vec::with_capacity(ROUND_TRIPS);
    for _ in 0..ROUND_TRIPS {
        let started = Instant::now();
        conn.call(Request::new("ping")).await.expect("ping");
        samples.push(started.elapsed());
    }
    conn.close().await;
    samples
}

/// Throughput of an established connection: one batch to warm it up (buffers, tables and the
/// emulator's side grow to their working size once), then the measured batch.
async fn raw_throughput(url: &str) -> f64 {
    let mut ws = raw_socket(url).await;
    raw_batch(&mut ws).await;
    raw_batch(&mut ws).await
}

/// As [`raw_throughput`]: a warm-up batch, then the measured one.
async fn our_throughput(url: &str) -> f64 {
    let conn = Connection::connect(url, options()).await.expect("connect");
    our_batch(&conn).await;
    let rate = our_batch(&conn).await;
    conn.close().await;
    rate
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// The two latency distributions as cumulative curves (x: µs, log scale; y: share of round
/// trips at or below), one polyline each.
fn svg_plot(series: &[(&str, &str, &[Duration])]) -> String {
    let (w, h, left, bottom, top, right) = (640.0, 400.0, 60.0, 40.0, 30.0, 20.0);
    let all = series.iter().flat_map(|s| s.2.iter());
    let lo = all
        .clone()
        .min()
        .map_or(1.0, |d| d.as_secs_f64() * 1e6)
        .max(1.0);
    let hi = all
        .max()
        .map_or(10.0, |d| d.as_secs_f64() * 1e6)
        .max(lo * 2.0);
    let (lo, hi) = (lo.log10().floor(), hi.log10().ceil());
    let x = |us: f64| left + (us.max(1.0).log10() - lo) / (hi - lo) * (w - left - right);
    let y = |share: f64| top + (1.0 - share) * (h - top - bottom);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         font-family=\"sans-serif\" font-size=\"12\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n\
         <text x=\"{left}\" y=\"18\">ping round trip on loopback, cumulative share (x: µs, log)</text>\n"
    );
    let mut decade = lo;
    while decade <= hi {
        let px = x(10f64.powf(decade));
        let _ = writeln!(
            svg,
            "<line x1=\"{px:.1}\" y1=\"{top}\" x2=\"{px:.1}\" y2=\"{:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{px:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
            h - bottom,
            h - bottom + 16.0,
            10f64.powf(decade)
        );
        decade += 1.0;
    }
    for share in [0.0, 0.5, 0.9, 0.99, 1.0] {
        let py = y(share);
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{py:.1}\" x2=\"{:.1}\" y2=\"{py:.1}\" stroke=\"#ddd\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{share}</text>",
            w - right,
            left - 4.0,
            py + 4.0
        );
    }
    for (i, (name, colour, samples)) in series.iter().enumerate() {
        let mut sorted = samples.to_vec();
        sorted.sort();
        let n = sorted.len().max(1) as f64;
        let step = (sorted.len() / 400).max(1);
        let mut points = String::new();
        for (k, d) in sorted.iter().enumerate().step_by(step) {
            let _ = write!(
                points,
                "{:.1},{:.1} ",
                x(d.as_secs_f64() * 1e6),
                y((k + 1) as f64 / n)
            );
        }
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{points}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" fill=\"{colour}\">{name}</text>",
            w - right - 160.0,
            h - bottom - 40.0 + 16.0 * i as f64
        );
    }
    svg.push_str("</svg>\n");
    svg
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
    // `ROUNDTRIP_PROFILE=1` runs only the pipelined parts, many times, for a profiler;
    // `=ours` or `=raw` runs only one side (e.g. for `perf stat`).
    if std::env::var_os("ROUNDTRIP_PROFILE").is_some() {
        let only = std::env::var("ROUNDTRIP_PROFILE").unwrap_or_default();
        for _ in 0..10 {
            let u = url.clone();
            if only != "raw" {
                let rate = smol::block_on(smol::spawn(async move { our_throughput(&u).await }));
                println!("  pipelined pings: ours {rate:>7.0} /s");
            }
            let u = url.clone();
            if only != "ours" {
                let raw = smol::block_on(smol::spawn(async move { raw_throughput(&u).await }));
                println!("  pipelined pings: raw {raw:>7.0} /s");
            }
        }
        return;
    }
    // Both clients run as tasks on smol's executor, as an application's tasks would, so that
    // they and the connection's own tasks share its thread.
    for _ in 0..ROUNDS {
        let u = url.clone();
        raw_lat.extend(smol::block_on(smol::spawn(
            async move { raw_latency(&u).await },
        )));
        let u = url.clone();
        our_lat.extend(smol::block_on(smol::spawn(
            async move { our_latency(&u).await },
        )));
        let u = url.clone();
        raw_tp.push(smol::block_on(smol::spawn(async move {
            raw_throughput(&u).await
        })));
        let u = url.clone();
        our_tp.push(smol::block_on(smol::spawn(async move {
            our_throughput(&u).await
        })));
    }
    raw_lat.sort();
    our_lat.sort();
    let us = |d: Duration| d.as_secs_f64() * 1e6;
    println!(
        "smol client vs raw async-tungstenite, emulator on loopback ({ROUNDS} alternating rounds)"
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
    // Each round's two runs back to back see the same machine; the median of their ratios is
    // steadier than the ratio of medians when the machine's speed drifts.
    let paired = median(our_tp.iter().zip(&raw_tp).map(|(o, r)| o / r).collect());
    let (raw, ours) = (median(raw_tp), median(our_tp));
    println!(
        "  pipelined pings:       ours {ours:>7.0} /s   raw {raw:>7.0} /s   ratio {:.2}x \
         (median of per-round ratios {paired:.2}x)",
        ours / raw
    );
    let path = std::env::var("LATENCY_SVG").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/latency-smol.svg").to_owned()
    });
    let svg = svg_plot(&[
        ("binance-wsapi-smol", "#d62728", &our_lat),
        ("raw async-tungstenite", "#1f77b4", &raw_lat),
    ]);
    match std::fs::write(&path, svg) {
        Ok(()) => println!("  latency plot: {path}"),
        Err(e) => println!("  latency plot not written to {path}: {e}"),
    }
}
