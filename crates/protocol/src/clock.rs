//! Time for signed requests: a wall-clock anchor given once, the monotonic `now` given on every call,
//! and the server's offset learned from `time` replies and error data.
//!
//! `timestamp = anchor_unix + (now - anchor_instant) + server_offset`, so no method needs a second
//! clock parameter and tests stay deterministic.

use std::time::{Duration, Instant};

use rust_decimal::Decimal;

/// The unit of the `timestamp` parameter the client sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum TimestampUnit {
    /// Milliseconds since the Unix epoch (13 digits today).
    #[default]
    Millis,
    /// Microseconds since the Unix epoch (16 digits today).
    Micros,
}

/// A `recvWindow`: milliseconds, at most 60000, with up to three decimals (microseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecvWindow(Decimal);

/// Why a `recvWindow` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RecvWindowError {
    /// Zero or negative.
    #[error("recvWindow must be greater than 0 ms, got {0}")]
    NotPositive(Decimal),
    /// More than 60000 ms.
    #[error("recvWindow must be at most 60000 ms, got {0}")]
    TooLarge(Decimal),
    /// More than three decimals.
    #[error("recvWindow has at most 3 decimals (microseconds), got {0}")]
    TooPrecise(Decimal),
}

impl RecvWindow {
    /// The largest window Binance accepts.
    pub const MAX_MILLIS: u32 = 60_000;

    /// A window in milliseconds (at most 60000).
    ///
    /// # Errors
    /// [`RecvWindowError`] for 0 or more than 60000.
    pub fn from_millis(ms: u32) -> Result<Self, RecvWindowError> {
        Self::new(Decimal::from(ms))
    }

    /// A window in microseconds (sent as milliseconds with three decimals).
    ///
    /// # Errors
    /// [`RecvWindowError`] for 0 or more than 60 s.
    pub fn from_micros(us: u64) -> Result<Self, RecvWindowError> {
        let value = Decimal::from(us) / Decimal::from(1000);
        Self::new(value.normalize())
    }

    /// A window in milliseconds given as a decimal.
    ///
    /// # Errors
    /// [`RecvWindowError`] when it is not in `(0, 60000]` or has more than three decimals.
    pub fn new(ms: Decimal) -> Result<Self, RecvWindowError> {
        if ms <= Decimal::ZERO {
            return Err(RecvWindowError::NotPositive(ms));
        }
        if ms > Decimal::from(Self::MAX_MILLIS) {
            return Err(RecvWindowError::TooLarge(ms));
        }
        if ms.normalize().scale() > 3 {
            return Err(RecvWindowError::TooPrecise(ms));
        }
        Ok(Self(ms))
    }

    /// The window in milliseconds.
    pub fn millis(&self) -> Decimal {
        self.0
    }

    /// As a parameter value: an integer when whole, a decimal string otherwise.
    pub(crate) fn param(&self) -> crate::ParamValue {
        let ms = self.0.normalize();
        if ms.scale() == 0 {
            if let Ok(n) = i64::try_from(ms) {
                return crate::ParamValue::Int(n);
            }
        }
        crate::ParamValue::Decimal(ms)
    }
}

/// Wall-clock anchor plus the learned server offset.
#[derive(Debug, Clone)]
pub(crate) struct ServerClock {
    anchor: Instant,
    anchor_unix_us: i64,
    offset_us: i64,
    best_rtt: Option<Duration>,
    synced: bool,
}

impl ServerClock {
    pub(crate) fn new(now: Instant, unix_time: Duration) -> Self {
        Self {
            anchor: now,
            anchor_unix_us: i64::try_from(unix_time.as_micros()).unwrap_or(i64::MAX),
            offset_us: 0,
            best_rtt: None,
            synced: false,
        }
    }

    /// Local wall time at `now`, in µs.
    fn local_us(&self, now: Instant) -> i64 {
        let elapsed = now.checked_duration_since(self.anchor).unwrap_or_default();
        self.anchor_unix_us
            .saturating_add(i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX))
    }

    /// Estimated server time at `now`, in µs.
    pub(crate) fn server_us(&self, now: Instant) -> i64 {
        self.local_us(now).saturating_add(self.offset_us)
    }

    /// The `timestamp` parameter for a request sent at `now`.
    pub(crate) fn timestamp(&self, now: Instant, unit: TimestampUnit) -> i64 {
        match unit {
            TimestampUnit::Millis => self.server_us(now).div_euclid(1000),
            TimestampUnit::Micros => self.server_us(now),
        }
    }

    /// Learns from a server time (ms) seen in a reply to a request sent at `sent_at` and received at
    /// `received_at`: the server stamped it somewhere in between, so the midpoint is the best guess.
    /// A sample with a much longer round trip than the best recent one is less precise and is used
    /// only until a better one arrives.
    pub(crate) fn observe(&mut self, server_ms: i64, sent_at: Instant, received_at: Instant) {
        let rtt = received_at
            .checked_duration_since(sent_at)
            .unwrap_or_default();
        let midpoint = sent_at + rtt / 2;
        let server_us = server_ms.saturating_mul(1000);
        let precise_enough = match self.best_rtt {
            Some(best) => rtt <= best.saturating_mul(2) + Duration::from_millis(1),
            None => true,
        };
        if precise_enough || !self.synced {
            self.offset_us = server_us.saturating_sub(self.local_us(midpoint));
            self.synced = true;
        }
        self.best_rtt = Some(self.best_rtt.map_or(rtt, |b| b.min(rtt)));
    }

    /// Server minus local wall time, in µs (0 until a sample is seen).
    pub(crate) fn offset_us(&self) -> i64 {
        self.offset_us
    }

    /// Sets the offset directly (carried over from an earlier connection).
    pub(crate) fn set_offset_us(&mut self, offset_us: i64) {
        self.offset_us = offset_us;
        self.synced = true;
    }

    /// Whether any sample was seen (or an offset was set).
    pub(crate) fn is_synced(&self) -> bool {
        self.synced
    }

    /// The shortest round trip among the samples.
    pub(crate) fn best_rtt(&self) -> Option<Duration> {
        self.best_rtt
    }

    /// Converts a server wall time (ms since epoch) into the caller's `Instant` timeline.
    pub(crate) fn instant_of_server_ms(&self, server_ms: i64, now: Instant) -> Instant {
        let delta_us = server_ms
            .saturating_mul(1000)
            .saturating_sub(self.server_us(now));
        if delta_us <= 0 {
            now
        } else {
            now + Duration::from_micros(delta_us.unsigned_abs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn recv_window_rules() {
        assert_eq!(
            RecvWindow::from_millis(5000).unwrap().param(),
            crate::ParamValue::Int(5000)
        );
        assert_eq!(
            RecvWindow::from_micros(6_000_346).unwrap().param(),
            crate::ParamValue::Decimal(Decimal::from_str("6000.346").unwrap())
        );
        assert!(matches!(
            RecvWindow::from_millis(0),
            Err(RecvWindowError::NotPositive(_))
        ));
        assert!(matches!(
            RecvWindow::from_millis(60_001),
            Err(RecvWindowError::TooLarge(_))
        ));
        assert!(RecvWindow::from_millis(60_000).is_ok());
        assert!(matches!(
            RecvWindow::new(Decimal::from_str("1.0001").unwrap()),
            Err(RecvWindowError::TooPrecise(_))
        ));
    }

    #[test]
    fn timestamps_follow_now_and_the_offset() {
        let t0 = Instant::now();
        let mut clock = ServerClock::new(t0, Duration::from_millis(1_645_423_376_532));
        assert_eq!(
            clock.timestamp(t0, TimestampUnit::Millis),
            1_645_423_376_532
        );
        assert_eq!(
            clock.timestamp(t0, TimestampUnit::Micros),
            1_645_423_376_532_000
        );
        let t1 = t0 + Duration::from_millis(250);
        assert_eq!(
            clock.timestamp(t1, TimestampUnit::Millis),
            1_645_423_376_782
        );
        // Request sent at t1, answered 100 ms later; the server said its time was 2 s ahead of ours
        // at the midpoint.
        let t2 = t1 + Duration::from_millis(100);
        clock.observe(1_645_423_376_832 + 2000, t1, t2);
        assert_eq!(clock.offset_us(), 2_000_000);
        assert_eq!(
            clock.timestamp(t2, TimestampUnit::Millis),
            1_645_423_376_882 + 2000
        );
        // A much slower sample does not replace a precise one.
        let t3 = t2 + Duration::from_secs(5);
        clock.observe(0, t2, t3);
        assert_eq!(clock.offset_us(), 2_000_000);
        assert_eq!(clock.best_rtt(), Some(Duration::from_millis(100)));
    }

    #[test]
    fn server_times_map_onto_instants() {
        let t0 = Instant::now();
        let clock = ServerClock::new(t0, Duration::from_millis(10_000));
        assert_eq!(
            clock.instant_of_server_ms(12_500, t0),
            t0 + Duration::from_millis(2500)
        );
        assert_eq!(clock.instant_of_server_ms(9_000, t0), t0);
    }
}
