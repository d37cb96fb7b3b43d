//! A plain WebSocket client speaking raw JSON to the emulator, shared by the socket tests.

#![allow(dead_code, unreachable_pub)]

use std::net::TcpStream;
use std::time::Duration;

use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

pub struct Raw {
    pub ws: WebSocket<MaybeTlsStream<TcpStream>>,
    pub events: Vec<Value>,
}

impl Raw {
    pub fn connect(url: &str) -> Self {
        let (mut ws, _) = tungstenite::connect(url).expect("connect");
        if let MaybeTlsStream::Plain(s) = ws.get_mut() {
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        }
        Self {
            ws,
            events: Vec::new(),
        }
    }

    pub fn send(&mut self, frame: &str) {
        self.ws.send(Message::text(frame)).expect("send");
    }

    /// The next text frame (bounded by the read timeout).
    pub fn next(&mut self) -> Value {
        for _ in 0..100 {
            match self.ws.read().expect("read") {
                Message::Text(t) => return serde_json::from_str(t.as_str()).expect("json"),
                _ => continue,
            }
        }
        panic!("no text frame")
    }

    /// Sends `frame` and returns the reply with the same id; events seen meanwhile are kept.
    pub fn call(&mut self, frame: &Value) -> Value {
        self.send(&frame.to_string());
        for _ in 0..100 {
            let v = self.next();
            if v.get("id").is_some() && v["id"] == frame["id"] {
                return v;
            }
            self.events.push(v);
        }
        panic!("no reply")
    }
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// Signs `params` (a JSON object) with the demo HMAC key: adds apiKey, timestamp and signature.
pub fn signed(params: Value) -> Value {
    let mut params = params;
    params["apiKey"] = json!(DEMO_HMAC_API_KEY);
    if params.get("timestamp").is_none() {
        params["timestamp"] = json!(now_ms());
    }
    let map = params.as_object().unwrap();
    let mut names: Vec<&String> = map.keys().collect();
    names.sort();
    let payload: Vec<String> = names
        .iter()
        .map(|n| match &map[*n] {
            Value::String(s) => format!("{n}={s}"),
            other => format!("{n}={other}"),
        })
        .collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(DEMO_HMAC_SECRET.as_bytes()).unwrap();
    mac.update(payload.join("&").as_bytes());
    let sig: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    params["signature"] = json!(sig);
    params
}

pub fn order(id: &str, side: &str, price: &str, qty: &str) -> Value {
    json!({"id": id, "method": "order.place", "params": signed(json!({
        "symbol": "BTCUSDT", "side": side, "type": "LIMIT", "timeInForce": "GTC",
        "price": price, "quantity": qty}))})
}

pub fn start() -> Emulator {
    Emulator::start(EmulatorConfig::default()).expect("emulator")
}
