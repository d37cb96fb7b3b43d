//! Rate limits as Binance counts them: request weight per IP per minute, orders per account per
//! 10 s and per day, in calendar-aligned windows; 429 when a limit is crossed, a 418 ban after
//! repeated violations.

use std::collections::HashMap;

use serde_json::{json, Value};

use crate::accounts::AccountId;
use crate::errors::ApiErr;

/// The limits in force. Tests shrink them to hit them quickly.
#[derive(Debug, Clone)]
pub struct Limits {
    /// REQUEST_WEIGHT per minute per IP (Binance: 6000).
    pub weight_per_minute: u64,
    /// ORDERS per 10 seconds per account (Binance: 50).
    pub orders_per_10s: u64,
    /// ORDERS per day per account (Binance: 160000).
    pub orders_per_day: u64,
    /// 429 replies within one window after which the IP is banned (418).
    pub violations_before_ban: u32,
    /// How long a ban lasts, ms (Binance: from 2 minutes up to 3 days).
    pub ban_ms: i64,
    /// New connections per 5 minutes per IP (Binance: 300); each also costs 2 weight.
    pub connections_per_5min: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            weight_per_minute: 6000,
            orders_per_10s: 50,
            orders_per_day: 160_000,
            violations_before_ban: 5,
            ban_ms: 120_000,
            connections_per_5min: 300,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Window {
    start: i64,
    count: u64,
}

impl Window {
    /// Moves to the window containing `now` (length `len` ms), resetting the count.
    fn roll(&mut self, now: i64, len: i64) {
        let start = now - now.rem_euclid(len);
        if start != self.start {
            *self = Self { start, count: 0 };
        }
    }
}

#[derive(Debug, Default)]
struct IpState {
    weight: Window,
    connections: Window,
    violations: u32,
    banned_until: Option<i64>,
}

#[derive(Debug, Default)]
struct AccountState {
    orders_10s: Window,
    orders_day: Window,
}

const MINUTE: i64 = 60_000;
const TEN_SECONDS: i64 = 10_000;
const DAY: i64 = 86_400_000;

/// The counters.
#[derive(Debug, Default)]
pub struct RateLimiter {
    limits: Limits,
    ips: HashMap<String, IpState>,
    accounts: HashMap<AccountId, AccountState>,
}

/// What the limiter decided about a request.
#[derive(Debug)]
pub enum Verdict {
    /// Go ahead.
    Allowed,
    /// Refuse with this error (429, or 418 with the connection closed).
    Refused {
        /// The error.
        error: ApiErr,
        /// Whether the connection must be closed (a ban).
        close: bool,
    },
}

impl RateLimiter {
    /// Counters under `limits`.
    pub fn new(limits: Limits) -> Self {
        Self {
            limits,
            ..Self::default()
        }
    }

    /// Counts `weight` for `ip` and says whether the request may run.
    pub fn charge_weight(&mut self, ip: &str, weight: u64, now: i64) -> Verdict {
        let limits = self.limits.clone();
        let state = self.ips.entry(ip.to_owned()).or_default();
        if let Some(until) = state.banned_until {
            if now < until {
                return Verdict::Refused {
                    error: banned(until, now),
                    close: true,
                };
            }
            state.banned_until = None;
            state.violations = 0;
        }
        let old_start = state.weight.start;
        state.weight.roll(now, MINUTE);
        if state.weight.start != old_start {
            state.violations = 0;
        }
        state.weight.count += weight;
        if state.weight.count <= limits.weight_per_minute {
            return Verdict::Allowed;
        }
        state.violations += 1;
        if state.violations > limits.violations_before_ban {
            let until = now + limits.ban_ms;
            state.banned_until = Some(until);
            return Verdict::Refused {
                error: banned(until, now),
                close: true,
            };
        }
        let retry_after = state.weight.start + MINUTE;
        let mut error = ApiErr::new(
            -1003,
            format!(
                "Too much request weight used; current limit is {} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.",
                limits.weight_per_minute
            ),
        );
        error.status = 429;
        error.data = Some(json!({"serverTime": now, "retryAfter": retry_after}));
        Verdict::Refused {
            error,
            close: false,
        }
    }

    /// Counts a connection attempt from `ip`: 2 weight and one attempt in the 5-minute window.
    /// `false` when the attempt must be refused (too many attempts, or the IP is banned).
    pub fn charge_connection(&mut self, ip: &str, now: i64) -> bool {
        let limit = self.limits.connections_per_5min;
        let state = self.ips.entry(ip.to_owned()).or_default();
        if state.banned_until.is_some_and(|until| now < until) {
            return false;
        }
        state.connections.roll(now, 5 * MINUTE);
        state.connections.count += 1;
        if state.connections.count > limit {
            return false;
        }
        state.weight.roll(now, MINUTE);
        state.weight.count += 2;
        true
    }

    /// Gives weight back (successful order requests cost 0 since 2026-04-02).
    pub fn refund_weight(&mut self, ip: &str, weight: u64) {
        if let Some(state) = self.ips.get_mut(ip) {
            state.weight.count = state.weight.count.saturating_sub(weight);
        }
    }

    /// Checks that `account` may place one more order.
    pub fn check_order(&mut self, account: AccountId, now: i64) -> Result<(), ApiErr> {
        self.check_orders(account, 1, now)
    }

    /// Checks that `account` may place `n` more orders (an order list counts each of its orders).
    pub fn check_orders(&mut self, account: AccountId, n: u64, now: i64) -> Result<(), ApiErr> {
        let limits = self.limits.clone();
        let state = self.accounts.entry(account).or_default();
        state.orders_10s.roll(now, TEN_SECONDS);
        state.orders_day.roll(now, DAY);
        let (count, limit, per) = if state.orders_day.count + n > limits.orders_per_day {
            (state.orders_day.count, limits.orders_per_day, "1 DAY")
        } else {
            (state.orders_10s.count, limits.orders_per_10s, "10 SECOND")
        };
        if count + n <= limit {
            return Ok(());
        }
        let mut error = ApiErr::new(
            -1015,
            format!("Too many new orders; current limit is {limit} orders per {per}."),
        );
        error.status = 429;
        let window_end = if per == "1 DAY" {
            state.orders_day.start + DAY
        } else {
            state.orders_10s.start + TEN_SECONDS
        };
        error.data = Some(json!({"serverTime": now, "retryAfter": window_end}));
        Err(error)
    }

    /// Counts one accepted order for `account`.
    pub fn count_order(&mut self, account: AccountId, now: i64) {
        let state = self.accounts.entry(account).or_default();
        state.orders_10s.roll(now, TEN_SECONDS);
        state.orders_day.roll(now, DAY);
        state.orders_10s.count += 1;
        state.orders_day.count += 1;
    }

    /// Takes one order off `account`'s counts: Binance decrements the unfilled order count when an
    /// order gets its first fill.
    pub fn uncount_order(&mut self, account: AccountId, now: i64) {
        let state = self.accounts.entry(account).or_default();
        state.orders_10s.roll(now, TEN_SECONDS);
        state.orders_day.roll(now, DAY);
        state.orders_10s.count = state.orders_10s.count.saturating_sub(1);
        state.orders_day.count = state.orders_day.count.saturating_sub(1);
    }

    /// The `rateLimits` array for a reply: weight always, order counts when `account` is given.
    pub fn report(&mut self, ip: &str, account: Option<AccountId>, now: i64) -> Value {
        let limits = self.limits.clone();
        let weight = self.ips.get_mut(ip).map_or(0, |s| {
            s.weight.roll(now, MINUTE);
            s.weight.count
        });
        let mut out = vec![
            json!({"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1,
                                  "limit": limits.weight_per_minute, "count": weight}),
        ];
        if let Some(account) = account {
            let state = self.accounts.entry(account).or_default();
            state.orders_10s.roll(now, TEN_SECONDS);
            state.orders_day.roll(now, DAY);
            out.insert(
                0,
                json!({"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1,
                                 "limit": limits.orders_per_day, "count": state.orders_day.count}),
            );
            out.insert(
                0,
                json!({"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10,
                                 "limit": limits.orders_per_10s, "count": state.orders_10s.count}),
            );
        }
        Value::Array(out)
    }
}

fn banned(until: i64, now: i64) -> ApiErr {
    let mut error = ApiErr::new(
        -1003,
        format!("Way too much request weight used; IP banned until {until}. Please use WebSocket Streams for live updates to avoid bans."),
    );
    error.status = 418;
    error.data = Some(json!({"serverTime": now, "retryAfter": until}));
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limiter() -> RateLimiter {
        RateLimiter::new(Limits {
            weight_per_minute: 10,
            orders_per_10s: 2,
            orders_per_day: 5,
            violations_before_ban: 2,
            ban_ms: 120_000,
            connections_per_5min: 2,
        })
    }

    #[test]
    fn weight_429_then_418_ban_then_recovery() {
        let mut l = limiter();
        let t0 = 60_000 * 1000 + 5_000;
        assert!(matches!(l.charge_weight("ip", 10, t0), Verdict::Allowed));
        for _ in 0..2 {
            match l.charge_weight("ip", 1, t0) {
                Verdict::Refused {
                    error,
                    close: false,
                } => {
                    assert_eq!((error.status, error.code), (429, -1003));
                    assert_eq!(error.data.unwrap()["retryAfter"], 60_000 * 1001);
                }
                other => panic!("{other:?}"),
            }
        }
        match l.charge_weight("ip", 1, t0 + 1) {
            Verdict::Refused { error, close: true } => assert_eq!(error.status, 418),
            other => panic!("{other:?}"),
        }
        // Still banned in the next minute, free after the ban.
        assert!(matches!(
            l.charge_weight("ip", 1, t0 + 60_000),
            Verdict::Refused { close: true, .. }
        ));
        assert!(matches!(
            l.charge_weight("ip", 1, t0 + 121_000),
            Verdict::Allowed
        ));
        // Another IP was never affected.
        assert!(matches!(l.charge_weight("other", 1, t0), Verdict::Allowed));
    }

    #[test]
    fn connection_attempts_are_limited_and_cost_weight() {
        let mut l = limiter();
        let t0 = 300_000 * 100;
        assert!(l.charge_connection("ip", t0));
        assert!(l.charge_connection("ip", t0 + 1));
        assert!(!l.charge_connection("ip", t0 + 2));
        assert!(l.charge_connection("ip", t0 + 300_000), "a new window");
        assert_eq!(l.report("ip", None, t0 + 300_000)[0]["count"], 2);
    }

    #[test]
    fn order_counts_per_ten_seconds_and_day() {
        let mut l = limiter();
        let t0 = 86_400_000 * 100;
        for i in 0..2 {
            assert!(l.check_order(1, t0 + i).is_ok());
            l.count_order(1, t0 + i);
        }
        let err = l.check_order(1, t0 + 5).unwrap_err();
        assert_eq!((err.status, err.code), (429, -1015));
        assert!(err.msg.contains("10 SECOND"));
        for i in 0..3 {
            let t = t0 + 10_000 * (i + 1);
            assert!(l.check_order(1, t).is_ok());
            l.count_order(1, t);
        }
        let err = l.check_order(1, t0 + 50_000).unwrap_err();
        assert!(err.msg.contains("1 DAY"), "{}", err.msg);
        assert!(l.check_order(2, t0).is_ok(), "per account");
        let report = l.report("ip", Some(1), t0 + 50_000);
        assert_eq!(report[1]["count"], 5);
    }
}
