//! Orders per second the emulator matches over loopback, from several connections at once.
//! Each connection pipelines signed LIMIT orders (alternately resting and filling) and then reads
//! every reply. Run with `cargo bench -p binance-wsapi-emulator --bench throughput`.

#![allow(clippy::print_stdout, missing_docs)]

use std::time::{Duration, Instant};

use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::rate_limit::Limits;
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::{Client, Config, Credentials, Decimal, Request};
use tungstenite::Message;

const CONNECTIONS: usize = 4;
const ORDERS_PER_CONNECTION: usize = 5_000;

fn run_connection(url: &str, seed: u64) -> usize {
    let (mut ws, _) = tungstenite::connect(url).expect("connect");
    let now = Instant::now();
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("clock");
    let mut config = Config::default();
    config.max_pending = ORDERS_PER_CONNECTION + 1;
    config.request_timeout = Duration::from_secs(120);
    let mut client = Client::new(config, now, unix, seed)
        .expect("config")
        .with_credentials(Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET).expect("key"));
    let qty: Decimal = "0.00100000".parse().expect("qty");
    for i in 0..ORDERS_PER_CONNECTION {
        let (side, price) = if i % 2 == 0 {
            ("BUY", "29990.00")
        } else {
            ("BUY", "30015.00")
        };
        let request = Request::new("order.place")
            .param("symbol", "BTCUSDT")
            .param("side", side)
            .param("type", "LIMIT")
            .param("timeInForce", "GTC")
            .param("price", price.parse::<Decimal>().expect("price"))
            .param("quantity", qty)
            .param("newOrderRespType", "ACK");
        client.send(request, Instant::now()).expect("send");
        let frame = client.poll_transmit().expect("frame");
        ws.write(Message::text(frame.text)).expect("write");
    }
    ws.flush().expect("flush");
    let mut ok = 0;
    while client.pending_len() > 0 {
        if let Message::Text(t) = ws.read().expect("read") {
            let _ = client.handle_text(t.as_str(), Instant::now());
            while let Some(event) = client.poll_event() {
                if let binance_wsapi_proto::Event::Completed(c) = event {
                    if c.response().is_some() {
                        ok += 1;
                    }
                }
            }
        }
    }
    ok
}

fn main() {
    let mut config = EmulatorConfig::default();
    config.limits = Limits {
        weight_per_minute: u64::MAX / 2,
        orders_per_10s: u64::MAX / 2,
        orders_per_day: u64::MAX / 2,
        ..Limits::default()
    };
    let emu = Emulator::start(config).expect("emulator");
    let url = emu.url().to_owned();
    let started = Instant::now();
    let handles: Vec<_> = (0..CONNECTIONS)
        .map(|i| {
            let url = url.clone();
            std::thread::spawn(move || run_connection(&url, i as u64))
        })
        .collect();
    let accepted: usize = handles.into_iter().map(|h| h.join().expect("thread")).sum();
    let elapsed = started.elapsed();
    let total = CONNECTIONS * ORDERS_PER_CONNECTION;
    println!("emulator throughput: {total} signed order.place over {CONNECTIONS} connections");
    println!(
        "  {accepted} accepted in {:.2} s = {:.0} orders/s (half rest, half fill against the market maker)",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64()
    );
}
