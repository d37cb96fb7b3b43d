//! Criterion statistics for the two hot paths and their floors (the `core` bench prints the
//! ratios and allocation counts). Run with
//! `cargo bench -p binance-wsapi-proto --bench criterion`.

#![allow(missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use binance_wsapi_proto::{Client, Config, Credentials, Decimal, Request};
use criterion::{criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const REPLY: &str = r#"{"id":1,"status":200,"result":{"symbol":"BTCUSDT","orderId":12569099453,"orderListId":-1,"clientOrderId":"4d96324ff9d44481926157ec08158a40","transactTime":1660801715639,"price":"23416.10000000","origQty":"0.00847000","executedQty":"0.00847000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"198.33521500","status":"FILLED","timeInForce":"GTC","type":"LIMIT","side":"SELL","workingTime":1660801715639,"fills":[{"price":"23416.10000000","qty":"0.00635000","commission":"0.000000","commissionAsset":"BNB","tradeId":1650422481}],"selfTradePreventionMode":"NONE"},"rateLimits":[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":1},{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":1}]}"#;

const CHUNK: u64 = 10_000;

fn client(now: Instant) -> Client {
    let mut config = Config::default();
    config.max_pending = CHUNK as usize;
    Client::new(config, now, Duration::from_millis(1_660_801_715_431), 7)
        .expect("config")
        .with_credentials(Credentials::hmac(KEY, SECRET).expect("key"))
}

fn order() -> Request {
    Request::new("order.place")
        .param("symbol", "BTCUSDT")
        .param("side", "SELL")
        .param("type", "LIMIT")
        .param("timeInForce", "GTC")
        .param("price", Decimal::new(2_341_610_000_000, 8))
        .param("quantity", Decimal::new(847_000, 8))
}

#[derive(serde::Deserialize)]
struct FloorReply<'a> {
    id: i64,
    status: u16,
    #[serde(borrow)]
    result: &'a serde_json::value::RawValue,
    #[serde(rename = "rateLimits")]
    rate_limits: Vec<binance_wsapi_proto::RateLimit>,
}

fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
}

/// Times `iters` operations on long-lived clients (as in real use), with a fresh client prepared
/// by `setup` every CHUNK operations outside the timing. `run` gets the client and the index of
/// the operation within its chunk.
fn chunked(
    iters: u64,
    mut setup: impl FnMut(u64) -> Client,
    mut run: impl FnMut(&mut Client, usize),
) -> Duration {
    let mut total = Duration::ZERO;
    let mut left = iters;
    while left > 0 {
        let n = left.min(CHUNK);
        let mut cl = setup(n);
        let start = Instant::now();
        for i in 0..n as usize {
            run(&mut cl, i);
        }
        total += start.elapsed();
        left -= n;
    }
    total
}

fn sign(c: &mut Criterion) {
    let now = Instant::now();
    let payload = {
        let mut cl = client(now);
        cl.send(order(), now).expect("send");
        cl.last_signed_payload().to_owned()
    };
    let mut group = c.benchmark_group("order.place build + sign");
    group.bench_function("client", |b| {
        b.iter_custom(|iters| {
            chunked(
                iters,
                |_| client(now),
                |cl, _| {
                    cl.send(order(), now).expect("send");
                    black_box(cl.poll_transmit());
                },
            )
        })
    });
    group.bench_function("floor: HMAC-SHA256 + hex", |b| {
        let mut out = String::with_capacity(64);
        b.iter(|| {
            out.clear();
            let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
            mac.update(black_box(payload.as_bytes()));
            push_hex(&mac.finalize().into_bytes(), &mut out);
            black_box(&out);
        })
    });
    group.finish();
}

fn parse(c: &mut Criterion) {
    let now = Instant::now();
    let mut group = c.benchmark_group("order.place FULL reply");
    // One reply per pending request, each with its own id, on long-lived clients.
    let replies: Vec<String> = (1..=CHUNK)
        .map(|id| REPLY.replacen("\"id\":1,", &format!("\"id\":{id},"), 1))
        .collect();
    let pinged = |n: u64| {
        let mut cl = client(now);
        for _ in 0..n {
            cl.send(Request::new("ping"), now).expect("send");
            let _ = cl.poll_transmit();
        }
        cl
    };
    group.bench_function("client", |b| {
        b.iter_custom(|iters| {
            chunked(iters, pinged, |cl, i| {
                cl.handle_text(black_box(&replies[i]), now).expect("reply");
                black_box(cl.poll_event());
            })
        })
    });
    group.bench_function(
        "floor: serde struct (id, status, raw result, rate limits)",
        |b| {
            b.iter(|| {
                let reply: FloorReply<'_> = serde_json::from_str(black_box(REPLY)).expect("json");
                black_box((
                    reply.result.to_owned(),
                    reply.rate_limits,
                    reply.id,
                    reply.status,
                ))
            })
        },
    );
    group.finish();
}

criterion_group!(benches, sign, parse);
criterion_main!(benches);
