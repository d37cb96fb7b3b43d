//! Entry points for the fuzz targets in `fuzz/` and for their stable-toolchain replay test.
//! Not a public API: enabled only by the internal `__fuzzing` feature.
//!
//! Each function states one invariant and panics when it is broken.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::{Client, Config, Credentials, Event, Outcome, ParamValue, Params, Request, RequestId};

const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

fn client(now: Instant) -> Client {
    let config = Config {
        max_pending: 64,
        max_frame_len: 1 << 16,
        ..Config::default()
    };
    Client::new(config, now, Duration::from_millis(1_700_000_000_000), 1)
        .expect("valid config")
        .with_credentials(Credentials::hmac(KEY, SECRET).expect("valid secret"))
}

/// Invariant: `handle_text` never panics on any input, and a frame it rejects leaves the client
/// able to send and complete requests.
pub fn handle_text(data: &[u8]) {
    let now = Instant::now();
    let mut c = client(now);
    let sent = c
        .send(Request::new("ping"), now)
        .expect("fresh client sends");
    let _ = c.poll_transmit();
    let text = String::from_utf8_lossy(data);
    let _ = c.handle_text(&text, now);
    while c.poll_event().is_some() {}
    // The client still works: a well-formed reply (or a timeout) ends the request.
    let _ = c.handle_text(
        &format!("{{\"id\":{},\"status\":200,\"result\":{{}}}}", sent.id),
        now,
    );
    c.handle_timeout(now + Duration::from_secs(3600));
    assert_eq!(c.pending_len(), 0);
    assert!(c
        .send(Request::new("ping"), now + Duration::from_secs(3600))
        .is_ok());
}

/// Invariant: under any sequence of sends, replies (good, bad, duplicate, late), timeouts and a
/// close, every id returned by `send` completes exactly once, and a late reply only follows a
/// timeout.
pub fn session(data: &[u8]) {
    let mut now = Instant::now();
    let mut c = client(now);
    let mut sent: Vec<RequestId> = Vec::new();
    let mut completed: BTreeMap<RequestId, usize> = BTreeMap::new();
    let mut timed_out: Vec<RequestId> = Vec::new();
    let methods = [
        "ping",
        "time",
        "order.place",
        "order.cancel",
        "account.status",
        "x.unknown",
    ];
    for chunk in data.chunks(2) {
        let op = chunk[0];
        let arg = chunk.get(1).copied().unwrap_or(0);
        match op % 8 {
            0 | 1 => {
                let method = methods[usize::from(arg) % methods.len()];
                let request =
                    Request::new(method).timeout(Duration::from_millis(u64::from(arg) * 10 + 1));
                if let Ok(s) = c.send(request, now) {
                    sent.push(s.id);
                }
            }
            2 | 3 => {
                if !sent.is_empty() {
                    let id = sent[usize::from(arg) % sent.len()];
                    let frame = match arg % 4 {
                        0 => format!("{{\"id\":{id},\"status\":200,\"result\":{{\"serverTime\":1}}}}"),
                        1 => format!("{{\"id\":{id},\"status\":400,\"error\":{{\"code\":-1013,\"msg\":\"x\"}}}}"),
                        2 => format!("{{\"id\":{id},\"status\":503,\"error\":{{\"code\":-1007,\"msg\":\"x\"}}}}"),
                        _ => format!("{{\"id\":{id},\"status\":\"bad\"}}"),
                    };
                    let _ = c.handle_text(&frame, now);
                }
            }
            4 => now += Duration::from_millis(u64::from(arg) * 7),
            5 => c.handle_timeout(now),
            6 => while c.poll_transmit().is_some() {},
            _ => {
                if arg % 16 == 0 {
                    c.handle_close(now);
                }
            }
        }
        while let Some(event) = c.poll_event() {
            match event {
                Event::Completed(done) => {
                    *completed.entry(done.id).or_default() += 1;
                    if matches!(
                        done.outcome,
                        Outcome::TimedOut | Outcome::Unknown(crate::UnknownCause::TimedOut)
                    ) {
                        timed_out.push(done.id);
                    }
                }
                Event::LateReply(done) => {
                    assert!(
                        timed_out.contains(&done.id),
                        "late reply without a timeout: {done:?}"
                    );
                }
                _ => {}
            }
        }
        // Ids may be reused once completed; count per send by checking at completion time.
        for (id, n) in &completed {
            let sends = sent.iter().filter(|s| *s == id).count();
            assert!(
                *n <= sends,
                "{id} completed {n} times but was sent {sends} times"
            );
        }
    }
    c.handle_close(now);
    while let Some(event) = c.poll_event() {
        if let Event::Completed(done) = event {
            *completed.entry(done.id).or_default() += 1;
        }
    }
    for id in &sent {
        let sends = sent.iter().filter(|s| *s == id).count();
        assert_eq!(completed.get(id).copied().unwrap_or(0), sends, "{id}");
    }
}

/// Invariant: encoding never panics; the frame is valid JSON whose params hold exactly the
/// values given (plus what the client adds), and the same params give the same frame whatever
/// order they were set in.
pub fn encode_request(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut pairs: Vec<(String, ParamValue)> = Vec::new();
    for (i, part) in text.split('&').enumerate().take(32) {
        let (name, value) = part.split_once('=').unwrap_or((part, ""));
        let value = match i % 4 {
            0 => ParamValue::from(value.to_owned()),
            1 => value
                .parse::<i64>()
                .map(ParamValue::Int)
                .unwrap_or_else(|_| value.to_owned().into()),
            2 => value
                .parse::<crate::Decimal>()
                .map(ParamValue::Decimal)
                .unwrap_or_else(|_| value.to_owned().into()),
            _ => ParamValue::Bool(value.len() % 2 == 0),
        };
        pairs.push((name.to_owned(), value));
    }
    let frame_for = |pairs: &[(String, ParamValue)]| {
        let now = Instant::now();
        let mut c = client(now);
        let mut params = Params::new();
        for (n, v) in pairs {
            params.set(n.clone(), v.clone());
        }
        let request = Request::new("account.status")
            .with_params(params)
            .timestamp(1)
            .id(RequestId::Int(1));
        c.send(request, now)
            .ok()
            .and_then(|_| c.poll_transmit())
            .map(|t| t.text)
    };
    let forward = frame_for(&pairs);
    let mut reversed = pairs.clone();
    reversed.reverse();
    // Later values win on duplicate names, so reverse only distinct names.
    let mut seen = std::collections::HashSet::new();
    reversed.retain(|(n, _)| seen.insert(n.clone()));
    let mut dedup_forward = reversed.clone();
    dedup_forward.reverse();
    assert_eq!(frame_for(&dedup_forward), frame_for(&reversed));
    if let Some(frame) = forward {
        let v: serde_json::Value = serde_json::from_str(&frame).expect("frame is JSON");
        let params = v["params"].as_object().expect("params object");
        for (name, _) in &dedup_forward {
            assert!(
                params.contains_key(name.as_str()),
                "{name} missing from {frame}"
            );
        }
        assert!(params.contains_key("signature"));
    }
}
