//! A virtual-time test world: the client against a fake server, no sockets.
//!
//! `FakeServer` is itself sans-IO: it takes request frames, checks their signatures with its own
//! payload builder (from the JSON it received, like Binance does), and queues replies with a
//! latency; per-method behaviours make it drop, delay, duplicate or garble replies, or answer with
//! errors. `Harness` moves frames between the two and moves time forward to the next thing that
//! happens.

#![allow(dead_code, unreachable_pub)]

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use binance_wsapi_proto::{
    Client, Completion, Config, Credentials, Ed25519Signer, Event, ProtocolError, Request,
    SendError, Sent,
};
use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

pub const HMAC_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
pub const HMAC_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
pub const ED_KEY: &str = "4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO";
pub const ED_PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n";
pub const ED_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=\n-----END PUBLIC KEY-----\n";
/// Wall-clock time of the client at the start of every test (ms since the epoch).
pub const START_UNIX_MS: u64 = 1_700_000_000_000;

pub fn hmac_credentials() -> Credentials {
    Credentials::hmac(HMAC_KEY, HMAC_SECRET).unwrap()
}

pub fn ed25519_credentials() -> Credentials {
    Credentials::new(ED_KEY, Ed25519Signer::from_text(ED_PEM, None).unwrap())
}

/// What the server does with requests for one method.
#[derive(Debug, Clone)]
pub enum Behaviour {
    /// Never answer.
    Drop,
    /// Answer after this extra delay.
    Delay(Duration),
    /// Answer twice.
    Duplicate,
    /// Answer with an error.
    Error {
        status: u16,
        code: i64,
        msg: &'static str,
        data: Option<Value>,
    },
    /// Answer with a frame that has the right id but no readable body.
    Garble,
}

#[derive(Debug)]
pub struct FakeServer {
    start: Instant,
    /// How far the server's clock is ahead of the client's wall clock, in ms.
    pub skew_ms: i64,
    pub latency: Duration,
    pub behaviours: HashMap<String, Behaviour>,
    /// Every request received, as JSON.
    pub received: Vec<Value>,
    /// Every request whose signature failed.
    pub bad_signatures: usize,
    /// The REQUEST_WEIGHT limit reported in replies (the count is the number of requests).
    pub weight_limit: u64,
    session_key: Option<String>,
    next_subscription: u64,
    outbox: Vec<(Instant, u64, String)>,
    seq: u64,
}

impl FakeServer {
    pub fn new(start: Instant) -> Self {
        Self {
            start,
            skew_ms: 0,
            latency: Duration::from_millis(5),
            behaviours: HashMap::new(),
            received: Vec::new(),
            bad_signatures: 0,
            weight_limit: 6000,
            session_key: None,
            next_subscription: 0,
            outbox: Vec::new(),
            seq: 0,
        }
    }

    pub fn server_time_ms(&self, now: Instant) -> i64 {
        START_UNIX_MS as i64 + now.duration_since(self.start).as_millis() as i64 + self.skew_ms
    }

    /// Queues a frame (an event) for delivery after the latency.
    pub fn push(&mut self, frame: String, now: Instant) {
        self.seq += 1;
        self.outbox.push((now + self.latency, self.seq, frame));
    }

    pub fn next_delivery(&self) -> Option<Instant> {
        self.outbox.iter().map(|(at, _, _)| *at).min()
    }

    /// The next frame due at `now`, in delivery order.
    pub fn poll_frame(&mut self, now: Instant) -> Option<String> {
        let i = (0..self.outbox.len())
            .filter(|&i| self.outbox[i].0 <= now)
            .min_by_key(|&i| (self.outbox[i].0, self.outbox[i].1))?;
        Some(self.outbox.remove(i).2)
    }

    pub fn handle_request(&mut self, text: &str, now: Instant) {
        let request: Value = serde_json::from_str(text).expect("client frames are JSON");
        self.received.push(request.clone());
        let id = request["id"].clone();
        let method = request["method"].as_str().unwrap_or_default().to_owned();
        let params = request.get("params").cloned().unwrap_or_else(|| json!({}));
        let reply = match self.answer(&method, &params, now) {
            Ok(result) => json!({"id": id, "status": 200, "result": result, "rateLimits": [
                {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": self.weight_limit, "count": self.received.len()}
            ]}),
            Err((status, code, msg)) => {
                json!({"id": id, "status": status, "error": {"code": code, "msg": msg}})
            }
        };
        match self.behaviours.get(&method).cloned() {
            None => self.push(reply.to_string(), now),
            Some(Behaviour::Drop) => {}
            Some(Behaviour::Delay(d)) => self.push(reply.to_string(), now + d),
            Some(Behaviour::Duplicate) => {
                self.push(reply.to_string(), now);
                self.push(reply.to_string(), now);
            }
            Some(Behaviour::Error {
                status,
                code,
                msg,
                data,
            }) => {
                let mut error = json!({"code": code, "msg": msg});
                if let Some(data) = data {
                    error["data"] = data;
                }
                self.push(
                    json!({"id": id, "status": status, "error": error}).to_string(),
                    now,
                );
            }
            Some(Behaviour::Garble) => self.push(json!({"id": id, "status": 200}).to_string(), now),
        }
    }

    fn answer(
        &mut self,
        method: &str,
        params: &Value,
        now: Instant,
    ) -> Result<Value, (u16, i64, String)> {
        let signed = binance_wsapi_proto::method_info(method).map(|m| m.security);
        use binance_wsapi_proto::Security;
        match signed {
            Some(Security::Signed)
                if self.session_key.is_some() && params.get("apiKey").is_none() =>
            {
                self.check_timestamp(params, now)?;
            }
            Some(Security::Signed | Security::AlwaysSigned) => {
                self.check_timestamp(params, now)?;
                self.check_signature(params)?;
            }
            Some(Security::Session) if self.session_key.is_none() => {
                return Err((
                    400,
                    -2015,
                    "Invalid API-key, IP, or permissions for action.".into(),
                ));
            }
            _ => {}
        }
        Ok(match method {
            "ping" => json!({}),
            "time" => json!({"serverTime": self.server_time_ms(now)}),
            "session.logon" => {
                let key = params["apiKey"].as_str().unwrap_or_default().to_owned();
                if key != ED_KEY {
                    return Err((400, -4056, "HMAC_SHA256 API key is not supported.".into()));
                }
                self.session_key = Some(key.clone());
                json!({"apiKey": key, "authorizedSince": self.server_time_ms(now), "connectedSince": 0,
                       "returnRateLimits": true, "serverTime": self.server_time_ms(now), "userDataStream": false})
            }
            "session.logout" => {
                self.session_key = None;
                json!({"apiKey": null, "authorizedSince": null, "connectedSince": 0,
                       "returnRateLimits": true, "serverTime": self.server_time_ms(now), "userDataStream": false})
            }
            "userDataStream.subscribe" | "userDataStream.subscribe.signature" => {
                let id = self.next_subscription;
                self.next_subscription += 1;
                json!({"subscriptionId": id})
            }
            "userDataStream.unsubscribe" => json!({}),
            "order.place" => json!({
                "symbol": params["symbol"], "orderId": 12569099453_i64, "orderListId": -1,
                "clientOrderId": params["newClientOrderId"], "transactTime": self.server_time_ms(now)
            }),
            _ => json!({}),
        })
    }

    fn check_timestamp(&self, params: &Value, now: Instant) -> Result<(), (u16, i64, String)> {
        let ts = params["timestamp"].as_i64().ok_or((
            400,
            -1102,
            "Mandatory parameter 'timestamp' was not sent".to_owned(),
        ))?;
        let server = self.server_time_ms(now);
        let window = params
            .get("recvWindow")
            .and_then(Value::as_i64)
            .unwrap_or(5000);
        if ts >= server + 1000 || server - ts > window {
            return Err((
                400,
                -1021,
                "Timestamp for this request is outside of the recvWindow.".into(),
            ));
        }
        Ok(())
    }

    fn check_signature(&mut self, params: &Value) -> Result<(), (u16, i64, String)> {
        let map = params.as_object().expect("params object");
        let mut names: Vec<&String> = map.keys().filter(|k| *k != "signature").collect();
        names.sort();
        let payload = names
            .iter()
            .map(|n| {
                let value = match &map[*n] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                format!("{n}={value}")
            })
            .collect::<Vec<_>>()
            .join("&");
        let signature = map
            .get("signature")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let ok = match map.get("apiKey").and_then(Value::as_str) {
            Some(HMAC_KEY) => {
                let mut mac = Hmac::<Sha256>::new_from_slice(HMAC_SECRET.as_bytes()).unwrap();
                mac.update(payload.as_bytes());
                let expected: String = mac
                    .finalize()
                    .into_bytes()
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                expected.eq_ignore_ascii_case(signature)
            }
            Some(ED_KEY) => {
                use base64::Engine as _;
                let key = VerifyingKey::from_public_key_pem(ED_PUBLIC_PEM).unwrap();
                base64::engine::general_purpose::STANDARD
                    .decode(signature)
                    .ok()
                    .and_then(|b| Signature::from_slice(&b).ok())
                    .is_some_and(|sig| key.verify(payload.as_bytes(), &sig).is_ok())
            }
            _ => {
                return Err((
                    401,
                    -2015,
                    "Invalid API-key, IP, or permissions for action.".into(),
                ))
            }
        };
        if ok {
            Ok(())
        } else {
            self.bad_signatures += 1;
            Err((
                400,
                -1022,
                "Signature for this request is not valid.".into(),
            ))
        }
    }
}

/// The client and the fake server in virtual time.
#[derive(Debug)]
pub struct Harness {
    pub client: Client,
    pub server: FakeServer,
    pub now: Instant,
    pub start: Instant,
    /// Client-to-server latency.
    pub uplink: Duration,
    in_flight: VecDeque<(Instant, String)>,
    pub events: Vec<Event>,
    pub protocol_errors: Vec<ProtocolError>,
    pub connected: bool,
}

impl Harness {
    pub fn new(config: Config) -> Self {
        let start = Instant::now();
        let client = Client::new(config, start, Duration::from_millis(START_UNIX_MS), 42)
            .unwrap()
            .with_credentials(hmac_credentials());
        Self {
            client,
            server: FakeServer::new(start),
            now: start,
            start,
            uplink: Duration::from_millis(5),
            in_flight: VecDeque::new(),
            events: Vec::new(),
            protocol_errors: Vec::new(),
            connected: true,
        }
    }

    pub fn send(&mut self, request: Request) -> Result<Sent, SendError> {
        let sent = self.client.send(request, self.now);
        self.drain();
        sent
    }

    /// Moves the client's output into the world (the drain contract).
    pub fn drain(&mut self) {
        while let Some(t) = self.client.poll_transmit() {
            if self.connected {
                self.in_flight.push_back((self.now + self.uplink, t.text));
            }
        }
        while let Some(e) = self.client.poll_event() {
            self.events.push(e);
        }
    }

    /// Feeds one frame to the client as if the server sent it now.
    pub fn deliver(&mut self, frame: &str) {
        if let Err(e) = self.client.handle_text(frame, self.now) {
            self.protocol_errors.push(e);
        }
        self.drain();
    }

    /// Does the next thing that happens, no later than `horizon`. Returns false if nothing is due
    /// by then (time is then moved to `horizon`).
    pub fn step(&mut self, horizon: Instant) -> bool {
        let uplink = self.in_flight.front().map(|(at, _)| *at);
        let downlink = if self.connected {
            self.server.next_delivery()
        } else {
            None
        };
        let timer = self.client.poll_timeout().map(|t| t.at);
        let Some(next) = [uplink, downlink, timer].into_iter().flatten().min() else {
            self.now = self.now.max(horizon);
            return false;
        };
        if next > horizon {
            self.now = self.now.max(horizon);
            return false;
        }
        self.now = self.now.max(next);
        if uplink == Some(next) {
            let (_, frame) = self.in_flight.pop_front().unwrap();
            self.server.handle_request(&frame, self.now);
        } else if downlink == Some(next) {
            while let Some(frame) = self.server.poll_frame(self.now) {
                self.deliver(&frame);
            }
        } else {
            self.client.handle_timeout(self.now);
            self.drain();
        }
        true
    }

    /// Runs for `d` of virtual time (bounded in steps, so a busy loop fails the test).
    pub fn run_for(&mut self, d: Duration) {
        let horizon = self.now + d;
        for _ in 0..100_000 {
            if !self.step(horizon) {
                return;
            }
        }
        panic!("the world did not settle: busy loop?");
    }

    /// Drops the connection: nothing more moves, and the client is told.
    pub fn disconnect(&mut self) {
        self.connected = false;
        self.in_flight.clear();
        self.client.handle_close(self.now);
        self.drain();
    }

    /// The completion of `id`, if it has come.
    pub fn completion(&self, id: binance_wsapi_proto::RequestId) -> Option<&Completion> {
        self.events.iter().find_map(|e| match e {
            Event::Completed(c) if c.id == id => Some(c),
            _ => None,
        })
    }

    /// A short name per event, for transcripts.
    pub fn transcript(&self) -> Vec<String> {
        self.events.iter().map(event_kind).collect()
    }
}

pub fn event_kind(e: &Event) -> String {
    use binance_wsapi_proto::Outcome;
    let outcome = |o: &Outcome| match o {
        Outcome::Success(_) => "ok".to_owned(),
        Outcome::Error(e) => format!("error {}", e.code),
        Outcome::Unknown(c) => format!("unknown {c:?}")
            .split(['(', ' '])
            .take(2)
            .collect::<Vec<_>>()
            .join(" "),
        Outcome::TimedOut => "timed out".to_owned(),
        Outcome::ConnectionLost => "connection lost".to_owned(),
        Outcome::MalformedReply(_) => "malformed".to_owned(),
        Outcome::NotSent => "not sent".to_owned(),
        _ => "other".to_owned(),
    };
    match e {
        Event::Completed(c) => format!("{}: {}", c.method, outcome(&c.outcome)),
        Event::LateReply(c) => format!("late {}: {}", c.method, outcome(&c.outcome)),
        Event::UserData(u) => format!("user data {}", u.event_type),
        Event::ServerShutdown { .. } => "server shutdown".to_owned(),
        Event::SessionRevoked(_) => "session revoked".to_owned(),
        Event::UnsolicitedError(e) => format!("unsolicited {}", e.code),
        Event::RateLimited { banned, .. } => format!("rate limited (banned: {banned})"),
        Event::Idle { .. } => "idle".to_owned(),
        Event::RenewDue { .. } => "renew due".to_owned(),
        Event::UserDataDropped { total } => format!("user data dropped ({total})"),
        _ => "other".to_owned(),
    }
}
