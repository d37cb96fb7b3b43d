//! Rate limits as the server reports them in `rateLimits`, and the back-off after a 429 or 418.

use std::time::{Duration, Instant};

use serde::Deserialize;

/// Which counter a rate limit entry is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum RateLimitType {
    /// Request weight, per IP, shared by all connections.
    RequestWeight,
    /// Unfilled order count, per account.
    Orders,
    /// New connection attempts, per IP (only in `exchangeInfo`).
    Connections,
    /// A kind this version does not know.
    #[serde(other)]
    Unknown,
}

/// The unit of a rate limit interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum RateLimitInterval {
    /// Seconds.
    Second,
    /// Minutes.
    Minute,
    /// Hours.
    Hour,
    /// Days.
    Day,
    /// A unit this version does not know.
    #[serde(other)]
    Unknown,
}

/// One entry of a reply's `rateLimits`: a counter, its window and how much of it is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Which counter.
    pub rate_limit_type: RateLimitType,
    /// Window unit.
    pub interval: RateLimitInterval,
    /// Window length in units.
    pub interval_num: u32,
    /// The cap.
    pub limit: u64,
    /// Used so far in the current window (absent in `exchangeInfo`).
    #[serde(default)]
    pub count: Option<u64>,
}

impl RateLimit {
    /// Whether two entries describe the same counter and window.
    pub fn same_window(&self, other: &Self) -> bool {
        self.rate_limit_type == other.rate_limit_type
            && self.interval == other.interval
            && self.interval_num == other.interval_num
    }

    /// How much of the window is left (`limit - count`), if the count is known.
    pub fn remaining(&self) -> Option<u64> {
        self.count.map(|c| self.limit.saturating_sub(c))
    }
}

/// Why sends are refused for a while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Until when (on the caller's `Instant` timeline).
    pub until: Instant,
    /// The server's `retryAfter`, in ms since the epoch, if it sent one.
    pub retry_after_ms: Option<i64>,
    /// `true` after a 418 (IP banned); `false` after a 429.
    pub banned: bool,
}

/// How long after a ban's end a new connection waits: our idea of the server's clock is right
/// only to within the offset's error, and a connection refused during a ban is the thing to
/// avoid. Small beside a ban (two minutes at least on Binance).
pub const BAN_END_MARGIN: Duration = Duration::from_millis(250);

impl Backoff {
    /// When a new connection may be opened: after a ban, [`BAN_END_MARGIN`] past its end (the
    /// server refuses connections until then); `None` after a 429, which does not stop
    /// connecting. Both clients reconnect by this.
    pub fn reconnect_not_before(&self) -> Option<Instant> {
        self.banned.then(|| self.until + BAN_END_MARGIN)
    }
}

/// The latest counters per window (with the server time they were seen at), and the current
/// back-off.
#[derive(Debug, Clone, Default)]
pub(crate) struct RateLimitTracker {
    latest: Vec<RateLimit>,
    seen_at_ms: Vec<i64>,
    backoff: Option<Backoff>,
}

impl RateLimit {
    /// The window's length in ms (`None` for an unknown unit).
    pub fn window_ms(&self) -> Option<i64> {
        let unit = match self.interval {
            RateLimitInterval::Second => 1000,
            RateLimitInterval::Minute => 60_000,
            RateLimitInterval::Hour => 3_600_000,
            RateLimitInterval::Day => 86_400_000,
            RateLimitInterval::Unknown => return None,
        };
        Some(unit * i64::from(self.interval_num.max(1)))
    }
}

impl RateLimitTracker {
    /// Keeps the newest entry for each counter and window, seen at server time `server_ms`.
    pub(crate) fn observe(&mut self, limits: &[RateLimit], server_ms: i64) {
        for limit in limits {
            match self.latest.iter().position(|l| l.same_window(limit)) {
                Some(i) => {
                    self.latest[i] = *limit;
                    self.seen_at_ms[i] = server_ms;
                }
                None => {
                    self.latest.push(*limit);
                    self.seen_at_ms.push(server_ms);
                }
            }
        }
    }

    /// The first window that `weight` more request weight and `orders` more new orders would
    /// overflow at server time `server_ms`, with the server time its window ends. Counts seen in an
    /// earlier window (Binance's windows are calendar-aligned) no longer apply.
    pub(crate) fn would_exceed(
        &self,
        weight: u64,
        orders: u64,
        server_ms: i64,
    ) -> Option<(RateLimit, i64)> {
        self.latest
            .iter()
            .zip(&self.seen_at_ms)
            .find_map(|(limit, seen)| {
                let len = limit.window_ms()?;
                let start = server_ms - server_ms.rem_euclid(len);
                let count = if seen - seen.rem_euclid(len) == start {
                    limit.count?
                } else {
                    0
                };
                let adding = match limit.rate_limit_type {
                    RateLimitType::RequestWeight => weight,
                    RateLimitType::Orders => orders,
                    _ => return None,
                };
                (adding > 0 && count + adding > limit.limit).then_some((*limit, start + len))
            })
    }

    pub(crate) fn latest(&self) -> &[RateLimit] {
        &self.latest
    }

    pub(crate) fn set_backoff(&mut self, backoff: Backoff) {
        // A ban or a later end always wins over what is already there.
        let keep_old = self
            .backoff
            .is_some_and(|old| old.until > backoff.until && !backoff.banned);
        if !keep_old {
            self.backoff = Some(backoff);
        }
    }

    /// The back-off in force at `now`, if any.
    pub(crate) fn backoff(&self, now: Instant) -> Option<Backoff> {
        self.backoff.filter(|b| b.until > now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn parses_documented_entries_and_unknown_kinds() {
        let json = r#"[{"rateLimitType":"ORDERS","interval":"SECOND","intervalNum":10,"limit":50,"count":1},
            {"rateLimitType":"RAW_REQUESTS","interval":"FORTNIGHT","intervalNum":1,"limit":5}]"#;
        let limits: Vec<RateLimit> = serde_json::from_str(json).unwrap();
        assert_eq!(limits[0].rate_limit_type, RateLimitType::Orders);
        assert_eq!(limits[0].remaining(), Some(49));
        assert_eq!(limits[1].rate_limit_type, RateLimitType::Unknown);
        assert_eq!(limits[1].interval, RateLimitInterval::Unknown);
        assert_eq!(limits[1].count, None);
    }

    #[test]
    fn keeps_newest_count_per_window() {
        let mut t = RateLimitTracker::default();
        let a = RateLimit {
            rate_limit_type: RateLimitType::RequestWeight,
            interval: RateLimitInterval::Minute,
            interval_num: 1,
            limit: 6000,
            count: Some(1),
        };
        t.observe(&[a], 0);
        t.observe(
            &[RateLimit {
                count: Some(7),
                ..a
            }],
            0,
        );
        assert_eq!(
            t.latest(),
            &[RateLimit {
                count: Some(7),
                ..a
            }]
        );
    }

    #[test]
    fn would_exceed_uses_calendar_windows() {
        let mut t = RateLimitTracker::default();
        let weight = RateLimit {
            rate_limit_type: RateLimitType::RequestWeight,
            interval: RateLimitInterval::Minute,
            interval_num: 1,
            limit: 10,
            count: Some(8),
        };
        let orders = RateLimit {
            rate_limit_type: RateLimitType::Orders,
            interval: RateLimitInterval::Second,
            interval_num: 10,
            limit: 2,
            count: Some(2),
        };
        let t0 = 60_000 * 50 + 1_000;
        t.observe(&[weight, orders], t0);
        assert_eq!(t.would_exceed(2, 0, t0 + 1), None);
        assert_eq!(t.would_exceed(3, 0, t0 + 1), Some((weight, 60_000 * 51)));
        assert_eq!(t.would_exceed(3, 0, 60_000 * 51), None, "a new minute");
        assert_eq!(
            t.would_exceed(0, 1, t0 + 1),
            Some((orders, 60_000 * 50 + 10_000))
        );
        assert_eq!(
            t.would_exceed(0, 1, 60_000 * 50 + 10_000),
            None,
            "a new 10 s window"
        );
    }

    #[test]
    fn backoff_expires_and_bans_win() {
        let now = Instant::now();
        let mut t = RateLimitTracker::default();
        let later = now + Duration::from_secs(10);
        t.set_backoff(Backoff {
            until: later,
            retry_after_ms: None,
            banned: false,
        });
        t.set_backoff(Backoff {
            until: now + Duration::from_secs(1),
            retry_after_ms: None,
            banned: false,
        });
        assert_eq!(t.backoff(now).map(|b| b.until), Some(later));
        assert!(t.backoff(later).is_none());
        let ban = Backoff {
            until: now + Duration::from_secs(5),
            retry_after_ms: Some(1),
            banned: true,
        };
        t.set_backoff(ban);
        assert_eq!(t.backoff(now), Some(ban));
    }

    #[test]
    fn only_a_ban_holds_reconnecting_back_and_a_little_past_its_end() {
        let now = Instant::now();
        let throttled = Backoff {
            until: now + Duration::from_secs(30),
            retry_after_ms: None,
            banned: false,
        };
        assert_eq!(throttled.reconnect_not_before(), None);
        let ban = Backoff {
            banned: true,
            ..throttled
        };
        assert_eq!(
            ban.reconnect_not_before(),
            Some(now + Duration::from_secs(30) + BAN_END_MARGIN)
        );
    }
}
