//! Each fault the emulator can inject, seen from a raw WebSocket client.

mod support;

use std::time::{Duration, Instant};

use binance_wsapi_emulator::{Emulator, EmulatorConfig, Faults};
use serde_json::json;
use support::{now_ms, order, signed, Raw};
use tungstenite::Message;

fn start_with(faults: Faults) -> Emulator {
    let mut config = EmulatorConfig::default();
    config.faults = faults;
    Emulator::start(config).expect("emulator")
}

/// Reads until the connection closes; true if it did within the bound.
fn closes(c: &mut Raw) -> bool {
    for _ in 0..50 {
        match c.ws.read() {
            Ok(Message::Close(_)) | Err(_) => return true,
            Ok(_) => {}
        }
    }
    false
}

#[test]
fn dropped_mid_order_the_order_still_exists() {
    let mut faults = Faults::none();
    faults.drop_mid_order = 1;
    let emu = start_with(faults);
    let mut c = Raw::connect(emu.url());
    let mut frame = order("lost", "SELL", "52000.00", "0.01000000");
    frame["params"] = signed(
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC",
        "price": "52000.00", "quantity": "0.01000000", "newClientOrderId": "reconcile-me"}),
    );
    c.send(&frame.to_string());
    assert!(closes(&mut c), "no reply, the connection closes");
    let mut d = Raw::connect(emu.url());
    let status = d.call(&json!({"id": 1, "method": "order.status",
        "params": signed(json!({"symbol": "BTCUSDT", "origClientOrderId": "reconcile-me"}))}));
    assert_eq!(status["result"]["status"], "NEW", "{status}");
    // The fault was used up: the next order gets its reply.
    assert_eq!(
        d.call(&order("next", "SELL", "52000.00", "0.01000000"))["status"],
        200
    );
}

#[test]
fn duplicated_garbage_and_binary_frames_around_replies() {
    let mut faults = Faults::none();
    faults.duplicate_replies = true;
    faults.garbage_before_reply = true;
    faults.binary_before_reply = true;
    let emu = start_with(faults);
    let mut c = Raw::connect(emu.url());
    c.send(r#"{"id":1,"method":"ping"}"#);
    let mut seen = Vec::new();
    while seen.len() < 4 {
        match c.ws.read().unwrap() {
            Message::Text(t) => seen.push(format!("text {}", t.as_str())),
            Message::Binary(_) => seen.push("binary".into()),
            _ => {}
        }
    }
    assert_eq!(seen[0], "text }{ not json");
    assert_eq!(seen[1], "binary");
    assert_eq!(seen[2], seen[3], "the reply comes twice");
    assert!(seen[2].contains("\"id\":1"));
}

#[test]
fn delayed_and_reordered_replies() {
    let mut faults = Faults::none();
    faults.reply_delay = Some(Duration::from_millis(150));
    let emu = start_with(faults.clone());
    let mut c = Raw::connect(emu.url());
    let sent = Instant::now();
    assert_eq!(c.call(&json!({"id": 1, "method": "ping"}))["status"], 200);
    assert!(sent.elapsed() >= Duration::from_millis(150));

    faults.reply_delay = None;
    faults.reorder_delay = Some(Duration::from_millis(200));
    emu.set_faults(faults);
    let mut c = Raw::connect(emu.url());
    c.send(r#"{"id":"first","method":"ping"}"#);
    c.send(r#"{"id":"second","method":"ping"}"#);
    let a = c.next();
    let b = c.next();
    assert_eq!(
        (a["id"].as_str(), b["id"].as_str()),
        (Some("second"), Some("first"))
    );
}

#[test]
fn throttled_replies_leave_one_per_interval_in_order() {
    let mut faults = Faults::none();
    faults.throttle = Some(Duration::from_millis(50));
    let emu = start_with(faults);
    let mut c = Raw::connect(emu.url());
    let sent = Instant::now();
    for i in 0..5 {
        c.send(&json!({"id": i, "method": "ping"}).to_string());
    }
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(c.next()["id"].as_i64().unwrap());
    }
    let took = sent.elapsed();
    assert_eq!(ids, vec![0, 1, 2, 3, 4], "in order");
    // The first leaves at once, each next one 50 ms later.
    assert!(took >= Duration::from_millis(200), "{took:?}");
    assert!(took < Duration::from_millis(2000), "{took:?}");
}

#[test]
fn forced_429s_answer_without_running_the_request() {
    let mut faults = Faults::none();
    faults.answer_429 = 2;
    let emu = start_with(faults);
    let mut c = Raw::connect(emu.url());
    for id in ["a", "b"] {
        let reply = c.call(&order(id, "SELL", "52000.00", "0.01000000"));
        assert_eq!(
            (reply["id"].as_str(), reply["status"].as_i64()),
            (Some(id), Some(429))
        );
        assert_eq!(reply["error"]["code"], -1003);
        let (now, retry) = (
            reply["error"]["data"]["serverTime"].as_i64().unwrap(),
            reply["error"]["data"]["retryAfter"].as_i64().unwrap(),
        );
        assert_eq!(retry - now, 200);
    }
    // Used up: the next order is placed; the two refused ones were not.
    assert_eq!(
        c.call(&order("c", "SELL", "52000.00", "0.01000000"))["status"],
        200
    );
    let open = c.call(&json!({"id": "open", "method": "openOrders.status",
        "params": signed(json!({"symbol": "BTCUSDT"}))}));
    assert_eq!(open["result"].as_array().map(Vec::len), Some(1), "{open}");
}

#[test]
fn refused_connections_and_drop_after_frames() {
    let mut faults = Faults::none();
    faults.refuse_connections = true;
    let emu = start_with(faults.clone());
    assert!(tungstenite::connect(emu.url()).is_err());
    faults.refuse_connections = false;
    faults.drop_after_frames = Some(2);
    emu.set_faults(faults);
    let mut c = Raw::connect(emu.url());
    assert_eq!(c.call(&json!({"id": 1, "method": "ping"}))["status"], 200);
    c.send(r#"{"id":2,"method":"ping"}"#);
    let reply = c.next();
    assert_eq!(
        reply["id"], 2,
        "the frame that hits the limit is still answered"
    );
    assert!(closes(&mut c));
}

#[test]
fn server_shutdown_notice_and_dropping_every_connection() {
    let emu = start_with(Faults::none());
    let mut a = Raw::connect(emu.url());
    let mut b = Raw::connect(emu.url());
    assert_eq!(a.call(&json!({"id": 1, "method": "ping"}))["status"], 200);
    assert_eq!(b.call(&json!({"id": 1, "method": "ping"}))["status"], 200);
    assert_eq!(emu.connection_count(), 2);
    emu.announce_shutdown();
    for c in [&mut a, &mut b] {
        let notice = c.next();
        assert_eq!(notice["event"]["e"], "serverShutdown");
        assert!(notice.get("id").is_none() && notice.get("subscriptionId").is_none());
        assert!((notice["event"]["E"].as_i64().unwrap() - now_ms()).abs() < 5000);
    }
    emu.drop_connections();
    assert!(closes(&mut a) && closes(&mut b));
    let mut c = Raw::connect(emu.url());
    assert_eq!(
        c.call(&json!({"id": 2, "method": "ping"}))["status"],
        200,
        "still accepting"
    );
}
