//! The emulator's request handling as a fuzz target: frames in, replies out, exchange checked after
//! every frame.
//!
//! Input: frames separated by `\n`. A frame that starts with `!` is signed by the harness with the
//! demo HMAC key (its `apiKey`, `timestamp` and `signature` are filled in), so the fuzzer reaches
//! order matching and account code and not only the signature check; any other frame is sent as
//! it is.
//!
//! Invariants, after each frame: no panic; every frame sent out is a JSON object; every frame gets
//! exactly one reply, with `status`; a 200 reply carries `result` and echoes the request's id; an error reply carries a negative `code` and a `msg`; no balance is
//! negative; no book is crossed (best bid below best ask).

use binance_wsapi_emulator::book::Side;
use binance_wsapi_emulator::connection::{Connection, Out, Shared};
use binance_wsapi_emulator::exchange::Exchange;
use binance_wsapi_emulator::frame::parse_request;
use binance_wsapi_emulator::rate_limit::RateLimiter;
use binance_wsapi_emulator::{DemoKeys, EmulatorConfig};
use binance_wsapi_proto::{HmacSigner, Signer};
use serde_json::{Map, Value};

/// Server time at the first frame (ms).
const START_MS: i64 = 1_700_000_000_000;

/// Runs one input; panics when an invariant breaks.
pub fn emulator_request(data: &[u8]) {
    run_frames(data);
}

/// Runs one input and returns the status of each reply, in order.
pub fn run_frames(data: &[u8]) -> Vec<u64> {
    let mut statuses = Vec::new();
    let config = EmulatorConfig::default();
    let keys = DemoKeys::for_seed(config.seed);
    let exchange = Exchange::new(
        config.markets.clone(),
        &keys.account(),
        config.seed,
        START_MS,
    )
    .expect("the demo account is valid");
    let mut shared = Shared {
        exchange,
        limiter: RateLimiter::new(config.limits.clone()),
    };
    let signer = HmacSigner::new(&keys.hmac_secret).expect("the demo secret is valid");
    let mut conn_id = 1;
    let mut conn = Connection::new(conn_id, "127.0.0.1".into(), START_MS, true);
    let mut now = START_MS;
    for raw in data.split(|&b| b == b'\n').take(64) {
        now += 1 + (raw.len() as i64 % 997);
        let text = match raw.strip_prefix(b"!") {
            Some(rest) => sign_frame(rest, &keys.hmac_api_key, &signer, now),
            None => String::from_utf8_lossy(raw).into_owned(),
        };
        let out = conn.handle_text(&text, now, &mut shared);
        statuses.push(check_replies(&text, &out));
        for (_, event) in shared.exchange.take_outbox() {
            assert!(
                serde_json::from_str::<Map<String, Value>>(&event).is_ok(),
                "event is not a JSON object: {event}"
            );
        }
        check_exchange(&shared.exchange);
        if out.contains(&Out::Close) {
            shared.exchange.forget_connection(conn_id);
            conn_id += 1;
            conn = Connection::new(conn_id, "127.0.0.1".into(), now, true);
        }
    }
    statuses
}

/// Adds `apiKey`, `timestamp` and an HMAC `signature` to a frame's params, as a client would. The
/// payload comes from the emulator's own reading of the unsigned frame, so the harness and the
/// server cannot disagree on it. Input that is not a JSON object is passed through unchanged, and a
/// frame the emulator cannot read goes out unsigned (it is refused either way).
fn sign_frame(rest: &[u8], api_key: &str, signer: &HmacSigner, now: i64) -> String {
    let Ok(Value::Object(mut frame)) = serde_json::from_slice::<Value>(rest) else {
        return String::from_utf8_lossy(rest).into_owned();
    };
    let mut params = match frame.remove("params") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    params.remove("signature");
    params
        .entry("apiKey")
        .or_insert_with(|| Value::String(api_key.to_owned()));
    params
        .entry("timestamp")
        .or_insert_with(|| Value::from(now));
    frame.insert("params".into(), Value::Object(params));
    let unsigned = Value::Object(frame);
    let Ok(read) = parse_request(&unsigned.to_string()) else {
        return unsigned.to_string();
    };
    let mut signature = String::new();
    signer
        .sign(read.signature_payload().as_bytes(), &mut signature)
        .expect("HMAC signing cannot fail");
    let mut signed = unsigned;
    signed["params"]["signature"] = Value::String(signature);
    signed.to_string()
}

/// Checks the frames sent for one request; returns the reply's status.
fn check_replies(request: &str, out: &[Out]) -> u64 {
    let mut replies = 0;
    let mut reply_status = 0;
    for item in out {
        let Out::Text(text) = item else { continue };
        let frame: Map<String, Value> = serde_json::from_str(text)
            .unwrap_or_else(|e| panic!("reply is not a JSON object ({e}): {text}"));
        let Some(status) = frame.get("status") else {
            continue;
        };
        replies += 1;
        let status = status
            .as_u64()
            .unwrap_or_else(|| panic!("status is not a number: {text}"));
        reply_status = status;
        if status == 200 {
            assert!(frame.contains_key("result"), "200 without result: {text}");
            let sent: Value =
                serde_json::from_str(request).expect("a 200 reply needs a JSON request");
            let id = sent.get("id").cloned().unwrap_or(Value::Null);
            assert_eq!(
                frame.get("id"),
                Some(&id),
                "id not echoed for {request}: {text}"
            );
        } else {
            let error = frame
                .get("error")
                .unwrap_or_else(|| panic!("status {status} without error: {text}"));
            assert!(
                error
                    .get("code")
                    .and_then(Value::as_i64)
                    .is_some_and(|c| c < 0),
                "error code not negative: {text}"
            );
            assert!(
                error.get("msg").is_some_and(Value::is_string),
                "no msg: {text}"
            );
        }
    }
    assert_eq!(replies, 1, "{replies} replies to {request}: {out:?}");
    reply_status
}

fn check_exchange(exchange: &Exchange) {
    for account in exchange.accounts() {
        for (asset, balance) in &account.balances {
            assert!(
                !balance.free.is_sign_negative() || balance.free.is_zero(),
                "{} {asset} free {} < 0",
                account.name,
                balance.free
            );
            assert!(
                !balance.locked.is_sign_negative() || balance.locked.is_zero(),
                "{} {asset} locked {} < 0",
                account.name,
                balance.locked
            );
        }
    }
    for market in exchange.markets() {
        let bid = exchange
            .depth(&market.symbol, Side::Buy)
            .first()
            .map(|l| l.0);
        let ask = exchange
            .depth(&market.symbol, Side::Sell)
            .first()
            .map(|l| l.0);
        if let (Some(bid), Some(ask)) = (bid, ask) {
            assert!(
                bid < ask,
                "{} crossed: bid {bid} >= ask {ask}",
                market.symbol
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::run_frames;

    /// The harness's own signing must pass the emulator's checks, or the fuzzer never gets past them.
    #[test]
    fn signed_frames_reach_the_methods() {
        let input = concat!(
            "!{\"id\":1,\"method\":\"order.place\",\"params\":{\"symbol\":\"BTCUSDT\",",
            "\"side\":\"BUY\",\"type\":\"LIMIT\",\"timeInForce\":\"GTC\",",
            "\"price\":\"29000\",\"quantity\":\"0.01\"}}\n",
            "!{\"id\":2,\"method\":\"account.status\"}\n",
            "{\"id\":3,\"method\":\"account.status\",\"params\":{\"apiKey\":\"x\"}}\n",
            "{\"id\":4,\"method\":\"ping\"}",
        );
        assert_eq!(run_frames(input.as_bytes()), [200, 200, 400, 200]);
    }
}
