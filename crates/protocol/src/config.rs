//! Client settings, with defaults that suit Binance's production limits.

use std::time::Duration;

use crate::clock::{RecvWindow, TimestampUnit};
use crate::error::ConfigError;

/// Settings for one [`crate::Client`]. Start from `Config::default()` and change fields.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// How long a request may wait for its reply. Default 15 s: Binance's own backend gives up
    /// after 10 s (`-1007`), so a reply later than that is unlikely.
    pub request_timeout: Duration,
    /// Most requests in flight at once; `send` refuses more. Default 4096.
    pub max_pending: usize,
    /// Longest inbound frame accepted, in bytes. Default 16 MiB (a full `exchangeInfo` is a few
    /// MiB).
    pub max_frame_len: usize,
    /// `recvWindow` added to signed requests; `None` leaves it out (the server's default is
    /// 5000 ms). Default `None`.
    pub recv_window: Option<RecvWindow>,
    /// Unit of the `timestamp` parameter. Default milliseconds.
    pub timestamp_unit: TimestampUnit,
    /// Silence (no frame, no ping) after which [`crate::Event::Idle`] is reported. The server pings
    /// every 20 s, so a minute of nothing means the connection is dead. Default 60 s.
    pub idle_timeout: Duration,
    /// Connection age at which [`crate::Event::RenewDue`] is reported; Binance cuts connections at
    /// 24 h. Default 23 h 30 min.
    pub renew_after: Duration,
    /// Fill in `newClientOrderId`/`listClientOrderId` with a random id when an order-placing
    /// request has none, so that every order can be reconciled. Default `true`.
    pub auto_client_order_id: bool,
    /// How many ended requests are remembered to recognise late and duplicate replies.
    /// Default 1024.
    pub remember_ended: usize,
    /// Most events waiting in the queue before user-data events are dropped (completions are never
    /// dropped). Default 65536.
    pub max_queued_events: usize,
    /// Refuse a request that would cross a rate limit the server reported, counting the requests
    /// still in flight ([`crate::SendError::WouldExceedLimit`]), instead of sending it into a 429.
    /// Default `true`.
    pub governor: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(15),
            max_pending: 4096,
            max_frame_len: 16 << 20,
            recv_window: None,
            timestamp_unit: TimestampUnit::Millis,
            idle_timeout: Duration::from_secs(60),
            renew_after: Duration::from_secs(23 * 3600 + 1800),
            auto_client_order_id: true,
            remember_ended: 1024,
            max_queued_events: 65_536,
            governor: true,
        }
    }
}

impl Config {
    /// Checks that the settings can work.
    ///
    /// # Errors
    /// [`ConfigError`] for a zero limit or duration.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.max_pending == 0 {
            return Err(ConfigError::Zero("max_pending"));
        }
        if self.max_frame_len == 0 {
            return Err(ConfigError::Zero("max_frame_len"));
        }
        if self.max_queued_events == 0 {
            return Err(ConfigError::Zero("max_queued_events"));
        }
        for (name, d) in [
            ("request_timeout", self.request_timeout),
            ("idle_timeout", self.idle_timeout),
            ("renew_after", self.renew_after),
        ] {
            if d.is_zero() {
                return Err(ConfigError::ZeroDuration(name));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_zeroes_are_not() {
        assert!(Config::default().validate().is_ok());
        let c = Config {
            max_pending: 0,
            ..Config::default()
        };
        assert_eq!(c.validate(), Err(ConfigError::Zero("max_pending")));
        let c = Config {
            request_timeout: Duration::ZERO,
            ..Config::default()
        };
        assert_eq!(
            c.validate(),
            Err(ConfigError::ZeroDuration("request_timeout"))
        );
    }
}
