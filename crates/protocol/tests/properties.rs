//! Property tests: exactly-once completion under any interleaving, order-independent signatures,
//! a total `handle_text`, and decimals that render without exponents and round-trip.

mod support;

use std::collections::BTreeMap;
use std::str::FromStr;
use std::time::Duration;

use binance_wsapi_proto::{
    Client, Config, Decimal, Event, Outcome, ParamValue, Params, Request, RequestId, UnknownCause,
};
use proptest::prelude::*;
use support::{Behaviour, Harness};

#[derive(Debug, Clone)]
enum Op {
    Send { method: usize, timeout_ms: u64 },
    Behave { method: usize, behaviour: u8 },
    Advance { ms: u64 },
    Garbage(String),
    Disconnect,
}

const METHODS: [&str; 5] = [
    "ping",
    "time",
    "order.place",
    "order.cancel",
    "account.status",
];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..METHODS.len(), 1..3000_u64).prop_map(|(method, timeout_ms)| Op::Send { method, timeout_ms }),
        2 => (0..METHODS.len(), 0..6_u8).prop_map(|(method, behaviour)| Op::Behave { method, behaviour }),
        4 => (0..2000_u64).prop_map(|ms| Op::Advance { ms }),
        1 => ".{0,40}".prop_map(Op::Garbage),
        1 => Just(Op::Disconnect),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every id `send` returned completes exactly once, whatever the server does (answers, drops,
    /// delays past the deadline, duplicates, garbles, errors) and whenever the connection dies;
    /// late replies only follow timeouts; order-changing requests are never reported as plain
    /// timeouts or losses.
    #[test]
    fn every_request_ends_exactly_once(ops in proptest::collection::vec(op(), 1..60)) {
        let mut h = Harness::new(Config::default());
        let mut sent = Vec::new();
        for op in ops {
            match op {
                Op::Send { method, timeout_ms } => {
                    let mut request = Request::new(METHODS[method]).timeout(Duration::from_millis(timeout_ms));
                    if METHODS[method] == "order.cancel" {
                        request = request.param("symbol", "BTCUSDT").param("origClientOrderId", "abc");
                    }
                    if let Ok(s) = h.send(request) {
                        sent.push(s.id);
                    }
                }
                Op::Behave { method, behaviour } => {
                    let b = match behaviour {
                        0 => None,
                        1 => Some(Behaviour::Drop),
                        2 => Some(Behaviour::Delay(Duration::from_millis(2500))),
                        3 => Some(Behaviour::Duplicate),
                        4 => Some(Behaviour::Garble),
                        _ => Some(Behaviour::Error { status: 503, code: -1006, msg: "x", data: None }),
                    };
                    match b {
                        Some(b) => { h.server.behaviours.insert(METHODS[method].to_owned(), b); }
                        None => { h.server.behaviours.remove(METHODS[method]); }
                    }
                }
                Op::Advance { ms } => h.run_for(Duration::from_millis(ms)),
                Op::Garbage(text) => h.deliver(&text),
                Op::Disconnect => {
                    h.disconnect();
                    break;
                }
            }
        }
        h.run_for(Duration::from_secs(10));
        let mut completed: BTreeMap<RequestId, usize> = BTreeMap::new();
        let mut timed_out = Vec::new();
        for event in &h.events {
            match event {
                Event::Completed(c) => {
                    *completed.entry(c.id).or_default() += 1;
                    let is_order = c.method == "order.place" || c.method == "order.cancel";
                    match &c.outcome {
                        Outcome::TimedOut | Outcome::ConnectionLost => prop_assert!(!is_order, "{c:?}"),
                        Outcome::Unknown(cause) => {
                            prop_assert!(is_order, "{c:?}");
                            if matches!(cause, UnknownCause::TimedOut) { timed_out.push(c.id); }
                        }
                        _ => {}
                    }
                    if matches!(c.outcome, Outcome::TimedOut) { timed_out.push(c.id); }
                    if c.method == "order.cancel" {
                        prop_assert_eq!(c.client_order_id.map(|i| i.to_string()), Some("abc".to_owned()));
                    }
                }
                Event::LateReply(c) => prop_assert!(timed_out.contains(&c.id), "{c:?}"),
                _ => {}
            }
        }
        for id in &sent {
            prop_assert_eq!(completed.get(id).copied(), Some(1), "{}", id);
        }
        prop_assert_eq!(completed.len(), sent.len());
        prop_assert_eq!(h.client.pending_len(), 0);
    }

    /// The signed payload and the frame do not depend on the order parameters were added in.
    /// (Values are non-empty: `send` refuses an empty text value.)
    #[test]
    fn signature_does_not_depend_on_insertion_order(
        entries in proptest::collection::btree_map("[a-zA-Z][a-zA-Z0-9]{0,12}", "[ -~]{1,16}", 0..12),
        seed in any::<u64>(),
    ) {
        let entries: Vec<(String, String)> = entries
            .into_iter()
            .filter(|(k, _)| k != "apiKey" && k != "signature" && k != "timestamp" && k != "recvWindow")
            .collect();
        let mut shuffled = entries.clone();
        // A seeded Fisher-Yates shuffle.
        let mut state = seed;
        for i in (1..shuffled.len()).rev() {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (state >> 33) as usize % (i + 1));
        }
        let frame = |list: &[(String, String)]| {
            let now = std::time::Instant::now();
            let mut c = Client::new(Config::default(), now, Duration::from_secs(1), 0)
                .unwrap()
                .with_credentials(support::hmac_credentials());
            let mut request = Request::new("account.status").timestamp(1).id(RequestId::Int(1));
            for (k, v) in list {
                request = request.param(k.clone(), v.clone());
            }
            c.send(request, now).unwrap();
            (c.poll_transmit().unwrap().text, c.last_signed_payload().to_owned())
        };
        let (frame_a, payload_a) = frame(&entries);
        let (frame_b, payload_b) = frame(&shuffled);
        prop_assert_eq!(&frame_a, &frame_b);
        prop_assert_eq!(&payload_a, &payload_b);
        // And the payload is exactly the sorted `k=v` list, values raw.
        let mut expected: Vec<(String, String)> = entries.clone();
        expected.push(("apiKey".into(), support::HMAC_KEY.into()));
        expected.push(("timestamp".into(), "1".into()));
        expected.sort();
        let expected: Vec<String> = expected.iter().map(|(k, v)| format!("{k}={v}")).collect();
        prop_assert_eq!(payload_a, expected.join("&"));
    }

    /// `handle_text` is total: any text gives `Ok` or a `ProtocolError`, never a panic, and
    /// never an event for a request that was not sent.
    #[test]
    fn handle_text_never_panics(text in any::<String>()) {
        let now = std::time::Instant::now();
        let mut c = Client::new(Config::default(), now, Duration::from_secs(1), 0).unwrap();
        let _ = c.handle_text(&text, now);
        while let Some(e) = c.poll_event() {
            prop_assert!(!matches!(e, Event::Completed(_) | Event::LateReply(_)), "{e:?}");
        }
    }

    /// The same, for inputs close to real frames (where the interesting branches are).
    #[test]
    fn handle_text_never_panics_on_frame_like_input(
        parts in proptest::collection::vec(prop_oneof![
            Just("{".to_owned()), Just("}".to_owned()), Just("\"id\":".to_owned()), Just("null".to_owned()),
            Just("\"status\":".to_owned()), Just("200".to_owned()), Just("\"result\":".to_owned()),
            Just("\"error\":{\"code\":-1,\"msg\":\"m\"}".to_owned()), Just("\"event\":".to_owned()),
            Just("{\"e\":\"x\"}".to_owned()), Just("\"subscriptionId\":".to_owned()), Just(",".to_owned()),
            Just("\"rateLimits\":[]".to_owned()), Just("1".to_owned()), Just("-1".to_owned()), Just("[".to_owned()),
            "[a-z\"]{0,4}".prop_map(|s| s),
        ], 0..24)
    ) {
        let text: String = parts.concat();
        let now = std::time::Instant::now();
        let mut c = Client::new(Config::default(), now, Duration::from_secs(1), 0).unwrap();
        c.send(Request::new("ping"), now).unwrap();
        let _ = c.handle_text(&text, now);
        let _ = c.poll_event();
    }

    /// Decimals are sent in plain notation (never an exponent), keep their scale, and read back as
    /// the same value.
    #[test]
    fn decimals_render_plainly_and_round_trip(mantissa in any::<i64>(), scale in 0_u32..=28) {
        let d = Decimal::new(mantissa, scale);
        let mut params = Params::new();
        params.set("price", d);
        let now = std::time::Instant::now();
        let mut c = Client::new(Config::default(), now, Duration::from_secs(1), 0).unwrap();
        c.send(Request::new("ping").with_params(params), now).unwrap();
        let frame: serde_json::Value = serde_json::from_str(&c.poll_transmit().unwrap().text).unwrap();
        let text = frame["params"]["price"].as_str().unwrap().to_owned();
        prop_assert!(!text.contains(['e', 'E']), "{}", text);
        let back = Decimal::from_str(&text).unwrap();
        prop_assert_eq!(back, d);
        prop_assert_eq!(back.scale(), d.scale());
        prop_assert_eq!(ParamValue::Decimal(back), ParamValue::Decimal(d));
    }
}
