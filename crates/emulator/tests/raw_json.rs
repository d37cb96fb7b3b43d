//! The emulator over a real socket, spoken to in raw JSON with a plain WebSocket client (no client
//! crate involved), as another language's client would.

mod support;

use std::time::Duration;

use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::rate_limit::Limits;
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use support::{now_ms, order, signed, start, Raw};
use tungstenite::Message;

#[test]
fn ids_are_echoed_with_their_type_and_params_may_be_absent() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    for id in [
        json!(42),
        json!("e2a85d9f-07a5-4f94-8d5f-789dc3deb097"),
        json!(null),
    ] {
        let reply = c.call(&json!({"id": id, "method": "ping"}));
        assert_eq!(reply["status"], 200, "{reply}");
        assert_eq!(reply["result"], json!({}));
        assert_eq!(reply["rateLimits"][0]["rateLimitType"], "REQUEST_WEIGHT");
    }
    let time = c.call(&json!({"id": 1, "method": "time", "params": {}}));
    assert!((time["result"]["serverTime"].as_i64().unwrap() - now_ms()).abs() < 5000);
    let info = c.call(&json!({"id": 2, "method": "exchangeInfo", "params": {"symbol": "BTCUSDT"}}));
    assert_eq!(info["result"]["symbols"][0]["symbol"], "BTCUSDT");
    assert_eq!(
        info["rateLimits"][0]["count"],
        2 + 1 + 1 + 1 + 1 + 20,
        "connecting costs 2"
    );
    let bad = c.call(&json!({"id": 3, "method": "exchangeInfo", "params": {"symbol": "NOPE"}}));
    assert_eq!(
        (bad["status"].as_i64(), bad["error"]["code"].as_i64()),
        (Some(400), Some(-1121))
    );
}

#[test]
fn limit_orders_rest_fill_cancel_and_are_found() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    let rest = c.call(&order("a", "SELL", "52000.00", "0.01000000"));
    assert_eq!(rest["result"]["status"], "NEW", "{rest}");
    let order_id = rest["result"]["orderId"].as_i64().unwrap();
    assert_eq!(rest["rateLimits"][0]["rateLimitType"], "ORDERS");
    assert_eq!(rest["rateLimits"][0]["count"], 1);
    let fill = c.call(&order("b", "BUY", "52000.00", "0.01000000"));
    assert_eq!(fill["result"]["status"], "FILLED", "{fill}");
    assert_eq!(fill["result"]["fills"][0]["price"], "30015.00000000");
    assert_eq!(fill["result"]["fills"][0]["commissionAsset"], "BTC");

    let status = c.call(&json!({"id": "s", "method": "order.status", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}));
    assert_eq!(status["result"]["status"], "NEW");
    let open = c.call(&json!({"id": "o", "method": "openOrders.status", "params": signed(json!({"symbol": "BTCUSDT"}))}));
    assert_eq!(open["result"].as_array().unwrap().len(), 1);
    let cancel = c.call(&json!({"id": "c", "method": "order.cancel", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}));
    assert_eq!(cancel["result"]["status"], "CANCELED", "{cancel}");
    let again = c.call(&json!({"id": "c2", "method": "order.cancel", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}));
    assert_eq!(again["error"]["code"], -2011);
    let none = c.call(&json!({"id": "x", "method": "openOrders.cancelAll", "params": signed(json!({"symbol": "BTCUSDT"}))}));
    assert_eq!(none["error"]["code"], -2011);
    let account = c.call(&json!({"id": "acct", "method": "account.status", "params": signed(json!({"omitZeroBalances": true}))}));
    let balances = account["result"]["balances"].as_array().unwrap();
    let btc = balances.iter().find(|b| b["asset"] == "BTC").unwrap();
    assert_eq!(
        btc["free"], "100.00999000",
        "bought 0.01 BTC minus 0.1% commission"
    );
    assert_eq!(btc["locked"], "0.00000000");
}

#[test]
fn signatures_are_checked_over_the_raw_text_received() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    let ts = now_ms();
    // The quantity goes as a JSON number; its literal text "0.01000000" is what gets signed.
    let payload = format!(
        "apiKey={DEMO_HMAC_API_KEY}&price=52000.00&quantity=0.01000000&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp={ts}&type=LIMIT"
    );
    let sign = |text: &str| {
        let mut mac = Hmac::<Sha256>::new_from_slice(DEMO_HMAC_SECRET.as_bytes()).unwrap();
        mac.update(text.as_bytes());
        mac.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let frame = |id: u32, sig: &str| {
        format!(
            r#"{{"id":{id},"method":"order.place","params":{{"symbol":"BTCUSDT","side":"SELL","type":"LIMIT","timeInForce":"GTC","price":"52000.00","quantity":0.01000000,"timestamp":{ts},"apiKey":"{DEMO_HMAC_API_KEY}","signature":"{sig}"}}}}"#
        )
    };
    c.send(&frame(1, &sign(&payload)));
    let ok = c.next();
    assert_eq!(ok["status"], 200, "{ok}");
    let reformatted = payload.replace("quantity=0.01000000", "quantity=0.01");
    c.send(&frame(2, &sign(&reformatted)));
    let bad = c.next();
    assert_eq!(bad["error"]["code"], -1022, "{bad}");
    c.send(&frame(3, &sign(&payload).to_uppercase()));
    assert_eq!(
        c.next()["status"],
        200,
        "HMAC hex is compared case-insensitively"
    );
}

#[test]
fn error_paths_use_binance_codes() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    let cases: Vec<(Value, i64)> = vec![
        (json!({"id": 1, "method": "order.explode"}), -1020),
        (
            json!({"id": 2, "method": "ping", "params": {"extra": 1}}),
            -1104,
        ),
        (
            json!({"id": 3, "method": "account.status", "params": {"apiKey": "nope", "timestamp": now_ms(), "signature": "00"}}),
            -2015,
        ),
        (
            json!({"id": 4, "method": "account.status", "params": {"apiKey": DEMO_HMAC_API_KEY, "timestamp": now_ms(), "signature": "00"}}),
            -1022,
        ),
        (
            json!({"id": 5, "method": "account.status", "params": {"apiKey": DEMO_HMAC_API_KEY, "signature": "00"}}),
            -1102,
        ),
        (
            json!({"id": 6, "method": "account.status", "params": signed(json!({"timestamp": now_ms() - 10_000}))}),
            -1021,
        ),
        (
            json!({"id": 7, "method": "account.status", "params": signed(json!({"recvWindow": 60001}))}),
            -1102,
        ),
        (
            json!({"id": 8, "method": "order.place", "params": signed(json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC", "price": "52000.001", "quantity": "0.01"}))}),
            -1013,
        ),
        (
            json!({"id": 9, "method": "order.place", "params": signed(json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "price": "52000", "quantity": "0.01"}))}),
            -1102,
        ),
        (
            json!({"id": 10, "method": "order.place", "params": signed(json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC", "price": "1e-7", "quantity": "0.01"}))}),
            -1100,
        ),
        (
            json!({"id": 11, "method": "order.place", "params": signed(json!({"symbol": "BTCUSDT", "side": "SIDEWAYS", "type": "LIMIT"}))}),
            -1117,
        ),
        (
            json!({"id": 12, "method": "order.status", "params": signed(json!({"symbol": "BTCUSDT", "orderId": 999_999_999}))}),
            -2013,
        ),
        (
            json!({"id": 13, "method": "userDataStream.subscribe"}),
            -2015,
        ),
    ];
    for (frame, code) in cases {
        let reply = c.call(&frame);
        assert_eq!(reply["error"]["code"], code, "{frame} -> {reply}");
        assert_eq!(reply["status"], 400, "{reply}");
    }
    c.send(r#"{"id":1,"method":"ping","params":{"a":1,"a":2}}"#);
    assert_eq!(c.next()["error"]["code"], -1101);
    c.send("not json");
    let reply = c.next();
    assert_eq!(
        (reply["id"].clone(), reply["error"]["code"].as_i64()),
        (Value::Null, Some(-1102))
    );
}

#[test]
fn session_logon_and_user_data_events() {
    let emu = start();
    let keys = emu.demo_keys().unwrap().clone();
    let mut c = Raw::connect(emu.url());
    // HMAC keys cannot log on.
    let hmac_logon =
        c.call(&json!({"id": 1, "method": "session.logon", "params": signed(json!({}))}));
    assert!(hmac_logon.get("error").is_some(), "{hmac_logon}");
    // Ed25519 logon, signed by our own protocol crate.
    let creds = binance_wsapi_proto::Credentials::ed25519(
        keys.ed25519_api_key.as_str(),
        &keys.ed25519_private_pem,
        None,
    )
    .unwrap();
    let now = std::time::Instant::now();
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    let mut client =
        binance_wsapi_proto::Client::new(binance_wsapi_proto::Config::default(), now, unix, 1)
            .unwrap()
            .with_credentials(creds);
    client
        .send(
            binance_wsapi_proto::Request::new("session.logon")
                .id(binance_wsapi_proto::RequestId::Int(2)),
            now,
        )
        .unwrap();
    c.send(&client.poll_transmit().unwrap().text);
    let logon = c.next();
    assert_eq!(
        logon["result"]["apiKey"],
        keys.ed25519_api_key.as_str(),
        "{logon}"
    );
    // Signed requests now need only a timestamp.
    let status =
        c.call(&json!({"id": 3, "method": "account.status", "params": {"timestamp": now_ms()}}));
    assert_eq!(status["status"], 200, "{status}");
    let sub = c.call(&json!({"id": 4, "method": "userDataStream.subscribe"}));
    assert_eq!(sub["result"]["subscriptionId"], 0);
    let subs = c.call(&json!({"id": 5, "method": "session.subscriptions"}));
    assert_eq!(subs["result"], json!([{"subscriptionId": 0}]));
    let placed = c.call(&json!({"id": 6, "method": "order.place", "params": {"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC", "price": "29000.00", "quantity": "0.01000000", "timestamp": now_ms()}}));
    assert_eq!(placed["result"]["status"], "NEW", "{placed}");
    // executionReport NEW and the account position arrive as events on subscription 0.
    while c.events.len() < 2 {
        let e = c.next();
        c.events.push(e);
    }
    let kinds: Vec<&str> = c
        .events
        .iter()
        .map(|e| e["event"]["e"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"executionReport") && kinds.contains(&"outboundAccountPosition"),
        "{kinds:?}"
    );
    assert!(c.events.iter().all(|e| e["subscriptionId"] == 0));
    let report = c
        .events
        .iter()
        .find(|e| e["event"]["e"] == "executionReport")
        .unwrap();
    assert_eq!(report["event"]["x"], "NEW");
    assert_eq!(report["event"]["i"], placed["result"]["orderId"]);
    c.events.clear();
    let unsub = c.call(&json!({"id": 7, "method": "userDataStream.unsubscribe"}));
    assert_eq!(unsub["status"], 200);
    let terminated = if c.events.is_empty() {
        c.next()
    } else {
        c.events.remove(0)
    };
    assert_eq!(terminated["event"]["e"], "eventStreamTerminated");
    let logout = c.call(&json!({"id": 8, "method": "session.logout"}));
    assert_eq!(logout["result"]["apiKey"], Value::Null);
    let after =
        c.call(&json!({"id": 9, "method": "account.status", "params": {"timestamp": now_ms()}}));
    assert_eq!(
        after["error"]["code"], -1102,
        "apiKey needed again: {after}"
    );
}

#[test]
fn rate_limits_429_then_418_and_the_socket_closes() {
    let mut config = EmulatorConfig::default();
    // Connecting costs 2, then three pings fit.
    config.limits = Limits {
        weight_per_minute: 5,
        violations_before_ban: 1,
        ..Limits::default()
    };
    let emu = Emulator::start(config).unwrap();
    let mut c = Raw::connect(emu.url());
    for i in 0..3 {
        assert_eq!(c.call(&json!({"id": i, "method": "ping"}))["status"], 200);
    }
    let limited = c.call(&json!({"id": 10, "method": "ping"}));
    assert_eq!(
        (
            limited["status"].as_i64(),
            limited["error"]["code"].as_i64()
        ),
        (Some(429), Some(-1003)),
        "{limited}"
    );
    assert!(limited["error"]["data"]["retryAfter"].as_i64().unwrap() > now_ms() - 1000);
    let banned = c.call(&json!({"id": 11, "method": "ping"}));
    assert_eq!(banned["status"], 418, "{banned}");
    let mut closed = false;
    for _ in 0..10 {
        match c.ws.read() {
            Ok(Message::Close(_)) | Err(_) => {
                closed = true;
                break;
            }
            Ok(_) => {}
        }
    }
    assert!(closed, "the socket closes after a ban");
}

#[test]
fn return_rate_limits_false_in_the_url_or_params() {
    let emu = start();
    let mut c = Raw::connect(&format!("{}?returnRateLimits=false", emu.url()));
    let reply = c.call(&json!({"id": 1, "method": "ping"}));
    assert!(reply.get("rateLimits").is_none(), "{reply}");
    let mut d = Raw::connect(emu.url());
    let reply = d.call(&json!({"id": 1, "method": "ping", "params": {"returnRateLimits": false}}));
    assert!(reply.get("rateLimits").is_none(), "{reply}");
}

#[test]
fn binary_frames_close_the_connection() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    c.ws.send(Message::Binary(vec![1, 2, 3].into())).unwrap();
    let mut code = None;
    for _ in 0..10 {
        match c.ws.read() {
            Ok(Message::Close(frame)) => {
                code = frame.map(|f| u16::from(f.code));
                break;
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    assert_eq!(code, Some(1003));
}

#[test]
fn the_server_pings_and_drops_silent_clients() {
    let mut config = EmulatorConfig::default();
    config.ping_interval = Duration::from_millis(50);
    config.pong_timeout = Duration::from_millis(120);
    let emu = Emulator::start(config).unwrap();
    // A client that reads answers pings (tungstenite queues the pong) and stays connected.
    let mut alive = Raw::connect(emu.url());
    let mut pings = 0;
    for _ in 0..6 {
        if let Ok(Message::Ping(_)) = alive.ws.read() {
            pings += 1;
        }
        let _ = alive.ws.flush();
    }
    assert!(pings >= 3, "{pings}");
    assert_eq!(
        alive.call(&json!({"id": 1, "method": "ping"}))["status"],
        200
    );
    // A client that never reads never pongs, and is dropped.
    let mut silent = Raw::connect(emu.url());
    std::thread::sleep(Duration::from_millis(400));
    let mut closed = false;
    for _ in 0..50 {
        match silent.ws.read() {
            Ok(Message::Close(_)) | Err(_) => {
                closed = true;
                break;
            }
            Ok(_) => {}
        }
    }
    assert!(closed);
}

#[test]
fn events_follow_replies_without_delay() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    let sub = c.call(&json!({"id": 1, "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}));
    assert_eq!(sub["status"], 200);
    let started = std::time::Instant::now();
    c.call(&order("o", "BUY", "29000.00", "0.01000000"));
    let reply_at = started.elapsed();
    while c.events.len() < 2 {
        let e = c.next();
        c.events.push(e);
    }
    let events_at = started.elapsed();
    assert!(
        events_at < Duration::from_millis(30),
        "reply after {reply_at:?}, events after {events_at:?}"
    );
}

#[test]
fn market_data_and_account_history_come_from_the_emulators_own_trades() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    // Two fills against the market maker's ask at 30015.
    for id in ["t1", "t2"] {
        assert_eq!(
            c.call(&order(id, "BUY", "30015.00", "0.01000000"))["result"]["status"],
            "FILLED"
        );
    }
    let recent = c.call(
        &json!({"id": 1, "method": "trades.recent", "params": {"symbol": "BTCUSDT", "limit": 5}}),
    );
    let list = recent["result"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{recent}");
    assert_eq!(list[1]["price"], "30015.00000000");
    assert_eq!(list[1]["isBuyerMaker"], false, "the buyer took");
    let agg =
        c.call(&json!({"id": 2, "method": "trades.aggregate", "params": {"symbol": "BTCUSDT"}}));
    assert_eq!(agg["result"].as_array().unwrap().len(), 2);
    let klines = c.call(
        &json!({"id": 3, "method": "klines", "params": {"symbol": "BTCUSDT", "interval": "1m"}}),
    );
    let k = &klines["result"][0];
    assert_eq!(
        (k[1].as_str(), k[5].as_str(), k[8].as_i64()),
        (Some("30015.00000000"), Some("0.02000000"), Some(2)),
        "{klines}"
    );
    let bad = c.call(
        &json!({"id": 4, "method": "klines", "params": {"symbol": "BTCUSDT", "interval": "7m"}}),
    );
    assert_eq!(bad["error"]["code"], -1120);
    let ticker =
        c.call(&json!({"id": 5, "method": "ticker.24hr", "params": {"symbol": "BTCUSDT"}}));
    assert_eq!(ticker["result"]["count"], 2, "{ticker}");
    assert_eq!(ticker["result"]["lastPrice"], "30015.00000000");
    let all = c.call(&json!({"id": 6, "method": "ticker.24hr"}));
    assert_eq!(
        all["result"].as_array().unwrap().len(),
        4,
        "an array for all symbols"
    );

    let mine = c.call(
        &json!({"id": 7, "method": "myTrades", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    );
    let mine = mine["result"].as_array().unwrap().clone();
    assert_eq!(mine.len(), 2);
    assert_eq!(
        (mine[0]["isBuyer"].as_bool(), mine[0]["isMaker"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(mine[0]["commissionAsset"], "BTC");
    let orders = c.call(
        &json!({"id": 8, "method": "allOrders", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    );
    assert_eq!(orders["result"].as_array().unwrap().len(), 2);
    let counts = c.call(
        &json!({"id": 9, "method": "account.rateLimits.orders", "params": signed(json!({}))}),
    );
    assert_eq!(
        counts["result"][0]["count"], 0,
        "both orders filled, so none counts: {counts}"
    );
    assert_eq!(counts["result"][0]["rateLimitType"], "ORDERS");
    let commission = c.call(&json!({"id": 10, "method": "account.commission", "params": signed(json!({"symbol": "BTCUSDT"}))}));
    assert_eq!(
        commission["result"]["standardCommission"]["taker"],
        "0.00100000"
    );
}

#[test]
fn cancel_replace_and_amend_keep_priority() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    let placed = c.call(&order("p", "SELL", "52000.00", "0.01000000"));
    let client_id = placed["result"]["clientOrderId"]
        .as_str()
        .unwrap()
        .to_owned();
    let replace = |mode: &str, cancel_id: &str, price: &str| {
        json!({"id": "r", "method": "order.cancelReplace", "params": signed(json!({
            "symbol": "BTCUSDT", "cancelReplaceMode": mode, "cancelOrigClientOrderId": cancel_id,
            "side": "SELL", "type": "LIMIT", "timeInForce": "GTC", "price": price, "quantity": "0.02000000"}))})
    };
    let ok = c.call(&replace("STOP_ON_FAILURE", &client_id, "51000.00"));
    assert_eq!(
        (
            ok["result"]["cancelResult"].as_str(),
            ok["result"]["newOrderResult"].as_str()
        ),
        (Some("SUCCESS"), Some("SUCCESS")),
        "{ok}"
    );
    let new_id = ok["result"]["newOrderResponse"]["clientOrderId"]
        .as_str()
        .unwrap()
        .to_owned();
    let stopped = c.call(&replace("STOP_ON_FAILURE", "gone", "51000.00"));
    assert_eq!(
        (
            stopped["status"].as_i64(),
            stopped["error"]["code"].as_i64()
        ),
        (Some(400), Some(-2022)),
        "{stopped}"
    );
    assert_eq!(stopped["error"]["data"]["newOrderResult"], "NOT_ATTEMPTED");
    assert_eq!(stopped["error"]["data"]["cancelResponse"]["code"], -2011);
    let partial = c.call(&replace("ALLOW_FAILURE", "gone", "51000.00"));
    assert_eq!(
        (
            partial["status"].as_i64(),
            partial["error"]["code"].as_i64()
        ),
        (Some(409), Some(-2021)),
        "{partial}"
    );
    assert_eq!(partial["error"]["data"]["newOrderResult"], "SUCCESS");

    let amend = |qty: &str| {
        json!({"id": "a", "method": "order.amend.keepPriority", "params": signed(json!({
            "symbol": "BTCUSDT", "origClientOrderId": new_id, "newQty": qty}))})
    };
    let amended = c.call(&amend("0.01500000"));
    assert_eq!(
        amended["result"]["amendedOrder"]["qty"], "0.01500000",
        "{amended}"
    );
    assert_eq!(
        amended["result"]["amendedOrder"]["origClientOrderId"],
        new_id.as_str()
    );
    let up = c.call(&amend("0.05000000"));
    assert_eq!(up["error"]["code"], -2038, "{up}");
    let account = c.call(&json!({"id": "acct", "method": "account.status", "params": signed(json!({"omitZeroBalances": true}))}));
    let btc = account["result"]["balances"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["asset"] == "BTC")
        .unwrap()
        .clone();
    assert_eq!(
        btc["locked"], "0.03500000",
        "0.015 amended + 0.02 from the ALLOW_FAILURE replace: {btc}"
    );
}

#[test]
fn rolling_tickers_rules_reference_prices_and_amendment_history() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    assert_eq!(
        c.call(&order("t", "BUY", "30015.00", "0.01000000"))["result"]["status"],
        "FILLED"
    );
    let rolling = c.call(&json!({"id": 1, "method": "ticker", "params": {"symbols": ["BTCUSDT", "ETHUSDT"], "windowSize": "1h"}}));
    let list = rolling["result"].as_array().unwrap();
    assert_eq!(
        (list[0]["count"].as_i64(), list[1]["count"].as_i64()),
        (Some(1), Some(0)),
        "{rolling}"
    );
    let mini = c.call(
        &json!({"id": 2, "method": "ticker", "params": {"symbol": "BTCUSDT", "type": "MINI"}}),
    );
    assert!(
        mini["result"].get("priceChange").is_none()
            && mini["result"]["lastPrice"] == "30015.00000000",
        "{mini}"
    );
    let bad = c.call(
        &json!({"id": 3, "method": "ticker", "params": {"symbol": "BTCUSDT", "windowSize": "9d"}}),
    );
    assert!(bad.get("error").is_some());
    let day =
        c.call(&json!({"id": 4, "method": "ticker.tradingDay", "params": {"symbol": "BTCUSDT"}}));
    assert_eq!(day["result"]["count"], 1);
    assert_eq!(day["result"]["openTime"].as_i64().unwrap() % 86_400_000, 0);
    let rules =
        c.call(&json!({"id": 5, "method": "executionRules", "params": {"symbol": "BTCUSDT"}}));
    assert_eq!(
        rules["result"]["symbolRules"][0]["rules"][0]["ruleType"],
        "PRICE_RANGE"
    );
    let reference =
        c.call(&json!({"id": 6, "method": "referencePrice", "params": {"symbol": "BTCUSDT"}}));
    assert_eq!(reference["result"]["referencePrice"], "30000.00000000");
    let filters = c.call(
        &json!({"id": 7, "method": "myFilters", "params": signed(json!({"symbol": "BTCUSDT"}))}),
    );
    assert_eq!(filters["result"]["assetFilters"], json!([]));

    let rest = c.call(&order("r", "SELL", "52000.00", "0.01000000"));
    let order_id = rest["result"]["orderId"].as_i64().unwrap();
    let amend = c.call(&json!({"id": 8, "method": "order.amend.keepPriority", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id, "newQty": "0.005"}))}));
    assert_eq!(amend["status"], 200, "{amend}");
    let history = c.call(&json!({"id": 9, "method": "order.amendments", "params": signed(json!({"symbol": "BTCUSDT", "orderId": order_id}))}));
    let h = &history["result"][0];
    assert_eq!(
        (h["origQty"].as_str(), h["newQty"].as_str()),
        (Some("0.01000000"), Some("0.00500000")),
        "{history}"
    );
    assert_eq!(h["origClientOrderId"], rest["result"]["clientOrderId"]);
}

#[test]
fn every_method_the_emulator_answers_is_a_real_one() {
    let names: Vec<&str> = binance_wsapi_emulator::methods::names().collect();
    for name in &names {
        assert!(
            binance_wsapi_proto::method_info(name).is_some(),
            "{name} is not a Binance method"
        );
    }
    assert_eq!(names.len(), 55, "{names:?}");
}

#[test]
fn connection_attempts_per_ip_are_limited_with_http_429() {
    let mut config = EmulatorConfig::default();
    config.limits = Limits {
        connections_per_5min: 2,
        ..Limits::default()
    };
    let emu = Emulator::start(config).unwrap();
    let mut first = Raw::connect(emu.url());
    let _second = Raw::connect(emu.url());
    match tungstenite::connect(emu.url()) {
        Err(tungstenite::Error::Http(response)) => assert_eq!(response.status().as_u16(), 429),
        other => panic!("third connection: {:?}", other.map(|_| ())),
    }
    // Connecting cost 2 weight each; one ping adds 1.
    let reply = first.call(&json!({"id": 1, "method": "ping"}));
    assert_eq!(reply["rateLimits"][0]["count"], 2 + 2 + 1, "{reply}");
}

#[test]
fn deposits_send_balance_updates() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    assert_eq!(c.call(&json!({"id": 1, "method": "userDataStream.subscribe.signature", "params": signed(json!({}))}))["status"], 200);
    emu.deposit("demo", "BTC", "1.5".parse().unwrap()).unwrap();
    let mut kinds = Vec::new();
    while kinds.len() < 2 {
        let e = c.next();
        kinds.push(e["event"]["e"].as_str().unwrap().to_owned());
        if e["event"]["e"] == "balanceUpdate" {
            assert_eq!(e["event"]["d"], "1.50000000");
        }
    }
    assert_eq!(kinds, ["balanceUpdate", "outboundAccountPosition"]);
    assert!(
        emu.deposit("demo", "BTC", "-1000".parse().unwrap())
            .is_err(),
        "cannot overdraw"
    );
    assert!(emu.deposit("nobody", "BTC", "1".parse().unwrap()).is_err());
}

#[test]
fn filled_orders_stop_counting_as_unfilled() {
    let emu = start();
    let mut c = Raw::connect(emu.url());
    let rest = c.call(&order("a", "BUY", "29000.00", "0.01000000"));
    assert_eq!(rest["rateLimits"][0]["count"], 1, "a resting order counts");
    let fill = c.call(&order("b", "BUY", "30015.00", "0.01000000"));
    assert_eq!(fill["result"]["status"], "FILLED");
    assert_eq!(fill["rateLimits"][0]["count"], 1, "a filled one does not");
}
