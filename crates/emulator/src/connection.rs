//! One client connection, without IO: a request frame in, reply frames out. Authentication,
//! timestamps, parameter checks and rate limits happen here, in Binance's order; the method itself
//! runs in [`crate::methods`].

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::accounts::AccountId;
use crate::errors::ApiErr;
use crate::exchange::{ConnId, Exchange};
use crate::frame::{parse_request, RequestFrame};
use crate::methods::{self, Security};
use crate::rate_limit::{RateLimiter, Verdict};

/// State shared by all connections.
#[derive(Debug)]
pub struct Shared {
    /// Accounts, books, orders.
    pub exchange: Exchange,
    /// Rate-limit counters.
    pub limiter: RateLimiter,
}

/// What the connection must do after a frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Out {
    /// Send this text frame.
    Text(String),
    /// Close the connection (after an IP ban).
    Close,
}

/// The session logged on with `session.logon`.
#[derive(Debug, Clone)]
pub struct Session {
    /// The Ed25519 key.
    pub api_key: String,
    /// Its account.
    pub account: AccountId,
    /// When (ms).
    pub since: i64,
}

/// Per-connection state.
#[derive(Debug)]
pub struct Connection {
    /// Id for routing events.
    pub id: ConnId,
    /// The peer's IP (rate limits are per IP).
    pub ip: String,
    /// When it connected (ms).
    pub connected_since: i64,
    /// Whether replies carry `rateLimits` by default (`returnRateLimits` URL parameter).
    pub return_rate_limits: bool,
    /// The logged-on session, if any.
    pub session: Option<Session>,
    /// The subscription made with `userDataStream.subscribe`, if any.
    pub session_subscription: Option<u64>,
    /// Subscriptions ever made (Binance allows 65535 per connection).
    pub subscriptions_made: u64,
}

impl Connection {
    /// A connection from `ip`.
    pub fn new(id: ConnId, ip: String, now: i64, return_rate_limits: bool) -> Self {
        Self {
            id,
            ip,
            connected_since: now,
            return_rate_limits,
            session: None,
            session_subscription: None,
            subscriptions_made: 0,
        }
    }

    /// Handles one text frame at server time `now` (ms).
    pub fn handle_text(&mut self, text: &str, now: i64, shared: &mut Shared) -> Vec<Out> {
        let request = match parse_request(text) {
            Ok(r) => r,
            Err(e) => return vec![reply_error(&e.id, &e.error, None)],
        };
        let Some(spec) = methods::find(strip_version(&request.method)) else {
            return self.refuse(&request, &ApiErr::unsupported(), shared, now);
        };
        match shared
            .limiter
            .charge_weight(&self.ip, (spec.weight)(&request), now)
        {
            Verdict::Allowed => {}
            Verdict::Refused { error, close } => {
                let mut out = vec![reply_error(&request.id, &error, None)];
                if close {
                    out.push(Out::Close);
                }
                return out;
            }
        }
        if let Err(e) = check_params(spec.name, &request) {
            return self.refuse(&request, &e, shared, now);
        }
        let account = match self.authenticate(spec.security, &request, shared, now) {
            Ok(a) => a,
            Err(e) => return self.refuse(&request, &e, shared, now),
        };
        let result = (spec.handler)(&mut methods::Ctx {
            shared: &mut *shared,
            conn: &mut *self,
            request: &request,
            account,
            now,
        });
        if result.is_ok() && spec.free_on_success {
            shared
                .limiter
                .refund_weight(&self.ip, (spec.weight)(&request));
        }
        // Filled orders stop counting as unfilled.
        for account in shared.exchange.take_first_fills() {
            shared.limiter.uncount_order(account, now);
        }
        let limits = self.rate_limits_for(
            &request,
            shared,
            account.filter(|_| spec.counts_orders),
            now,
        );
        match result {
            Ok(value) => {
                let mut reply = json!({"id": request.id, "status": 200, "result": value});
                if let Some(limits) = limits {
                    reply["rateLimits"] = limits;
                }
                vec![Out::Text(reply.to_string())]
            }
            Err(e) => vec![reply_error(&request.id, &e, limits)],
        }
    }

    fn refuse(
        &mut self,
        request: &RequestFrame,
        error: &ApiErr,
        shared: &mut Shared,
        now: i64,
    ) -> Vec<Out> {
        let limits = self.rate_limits_for(request, shared, None, now);
        vec![reply_error(&request.id, error, limits)]
    }

    fn rate_limits_for(
        &self,
        request: &RequestFrame,
        shared: &mut Shared,
        account: Option<AccountId>,
        now: i64,
    ) -> Option<Value> {
        let wanted = match request.bool_opt("returnRateLimits") {
            Ok(Some(b)) => b,
            _ => self.return_rate_limits,
        };
        wanted.then(|| shared.limiter.report(&self.ip, account, now))
    }

    /// Checks key, signature and timestamp as the method's security type requires; returns the
    /// account the request acts for.
    fn authenticate(
        &self,
        security: Security,
        request: &RequestFrame,
        shared: &Shared,
        now: i64,
    ) -> Result<Option<AccountId>, ApiErr> {
        match security {
            Security::None => Ok(None),
            Security::Session => match &self.session {
                Some(s) => Ok(Some(s.account)),
                None => Err(ApiErr::rejected_key()),
            },
            Security::Signed | Security::AlwaysSigned => {
                let session_only = security == Security::Signed
                    && self.session.is_some()
                    && request.param("apiKey").is_none();
                let timestamp = request
                    .i64_opt("timestamp")?
                    .ok_or_else(|| ApiErr::mandatory("timestamp"))?;
                check_timestamp(timestamp, request.decimal_opt("recvWindow")?, now)?;
                if session_only {
                    return Ok(self.session.as_ref().map(|s| s.account));
                }
                let api_key = request.str_req("apiKey")?;
                let signature = request.str_req("signature")?;
                let (check, account) = shared
                    .exchange
                    .key_check(api_key)
                    .ok_or_else(ApiErr::rejected_key)?;
                if !check.verify(request.signature_payload().as_bytes(), signature) {
                    return Err(ApiErr::bad_signature());
                }
                Ok(Some(account))
            }
        }
    }
}

fn strip_version(method: &str) -> &str {
    method.strip_prefix("v3/").unwrap_or(method)
}

/// Binance's checks: `recvWindow` at most 60000 with up to three decimals; `timestamp` (ms or µs)
/// not 1 s or more ahead, not older than the window.
fn check_timestamp(timestamp: i64, recv_window: Option<Decimal>, now: i64) -> Result<(), ApiErr> {
    let window = recv_window.unwrap_or(Decimal::from(5000));
    if window > Decimal::from(60_000) {
        return Err(ApiErr::too_large("recvWindow", "60000"));
    }
    if window <= Decimal::ZERO || window.normalize().scale() > 3 {
        return Err(ApiErr::mandatory("recvWindow"));
    }
    // 16 digits and more are microseconds.
    let (ts_us, now_us) = if timestamp >= 10_000_000_000_000 {
        (timestamp, now.saturating_mul(1000))
    } else {
        (timestamp.saturating_mul(1000), now.saturating_mul(1000))
    };
    if ts_us >= now_us + 1_000_000 {
        return Err(ApiErr::ahead_of_server());
    }
    let window_us = (window * Decimal::from(1000)).trunc();
    if Decimal::from(now_us - ts_us) > window_us {
        return Err(ApiErr::outside_recv_window());
    }
    Ok(())
}

/// Parameters each method reads, from the documented tables (plus `returnRateLimits`).
fn allowed_params() -> &'static HashMap<String, HashSet<String>> {
    static TABLE: OnceLock<HashMap<String, HashSet<String>>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: HashMap<String, HashSet<String>> = HashMap::new();
        for line in include_str!("../data/params.tsv").lines().skip(1) {
            let mut cols = line.split('\t');
            if let (Some(method), Some(param)) = (cols.next(), cols.next()) {
                table
                    .entry(method.to_owned())
                    .or_default()
                    .insert(param.to_owned());
            }
        }
        table
    })
}

fn check_params(method: &str, request: &RequestFrame) -> Result<(), ApiErr> {
    let allowed = allowed_params().get(method);
    let read = request
        .params
        .iter()
        .filter(|p| p.name == "returnRateLimits" || allowed.is_some_and(|a| a.contains(&p.name)))
        .count();
    if read < request.params.len() {
        return Err(ApiErr::unread(read, request.params.len()));
    }
    Ok(())
}

fn reply_error(id: &Value, error: &ApiErr, limits: Option<Value>) -> Out {
    let mut reply = json!({"id": id, "status": error.status, "error": error.to_json()});
    if let Some(limits) = limits {
        reply["rateLimits"] = limits;
    }
    Out::Text(reply.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_rules() {
        let now = 1_700_000_000_000;
        assert!(check_timestamp(now, None, now).is_ok());
        assert!(check_timestamp(now - 5000, None, now).is_ok());
        assert_eq!(
            check_timestamp(now - 5001, None, now).unwrap_err().code,
            -1021
        );
        assert_eq!(
            check_timestamp(now + 1000, None, now).unwrap_err().msg,
            ApiErr::ahead_of_server().msg
        );
        assert!(check_timestamp(now + 999, None, now).is_ok());
        assert!(check_timestamp(now * 1000 - 5_000_000, None, now).is_ok());
        assert_eq!(
            check_timestamp(now, Some(Decimal::from(60_001)), now)
                .unwrap_err()
                .code,
            -1102
        );
        assert!(check_timestamp(now - 100, Some(Decimal::new(100_500, 3)), now).is_ok());
        assert!(check_timestamp(now - 101, Some(Decimal::new(100_500, 3)), now).is_err());
    }

    #[test]
    fn documented_params_are_allowed_and_others_are_not() {
        let ok = parse_request(r#"{"id":1,"method":"order.place","params":{"symbol":"BTCUSDT","returnRateLimits":false}}"#).unwrap();
        assert!(check_params("order.place", &ok).is_ok());
        let bad = parse_request(r#"{"id":1,"method":"ping","params":{"x":1}}"#).unwrap();
        assert_eq!(
            check_params("ping", &bad).unwrap_err().msg,
            ApiErr::unread(0, 1).msg
        );
    }
}
