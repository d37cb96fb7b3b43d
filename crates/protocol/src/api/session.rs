//! Session authentication (`session.logon`, `session.status`, `session.logout`) and user-data
//! subscriptions (`userDataStream.subscribe`, `.subscribe.signature`, `.unsubscribe`,
//! `session.subscriptions`).
//!
//! None of these take parameters of their own but `userDataStream.unsubscribe`: the client adds
//! `apiKey`, `timestamp` and `signature` to `session.logon` and `userDataStream.subscribe.signature`
//! and refuses `userDataStream.subscribe` unless the session is logged on.

use serde::Deserialize;

use crate::request::Request;

/// `session.logon`: authenticate the connection with the client's Ed25519 key. The reply is
/// [`SessionStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct SessionLogonRequest;

impl SessionLogonRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("session.logon")
    }
}

/// `session.status`: whether the connection is logged on. The reply is [`SessionStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct SessionStatusRequest;

impl SessionStatusRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("session.status")
    }
}

/// `session.logout`: forget the connection's key. The reply is [`SessionStatus`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct SessionLogoutRequest;

impl SessionLogoutRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("session.logout")
    }
}

/// The reply to `session.logon`, `session.status` and `session.logout`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SessionStatus {
    /// The key the session is logged on with (`None` when it is not).
    pub api_key: Option<String>,
    /// When it logged on, ms since the epoch (`None` when it is not).
    pub authorized_since: Option<i64>,
    /// When the connection opened, ms since the epoch.
    pub connected_since: i64,
    /// Whether replies carry `rateLimits`.
    pub return_rate_limits: bool,
    /// The server's clock, ms since the epoch.
    pub server_time: i64,
    /// Whether the session's user-data stream is subscribed.
    #[serde(default)]
    pub user_data_stream: bool,
}

impl SessionStatus {
    /// Whether the session is logged on.
    pub fn is_logged_on(&self) -> bool {
        self.api_key.is_some()
    }
}

/// `session.subscriptions`: the connection's user-data subscriptions. The reply is
/// `Vec<`[`Subscription`]`>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct SessionSubscriptionsRequest;

impl SessionSubscriptionsRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("session.subscriptions")
    }
}

/// `userDataStream.subscribe` (the logged-on account) or `userDataStream.subscribe.signature`
/// (the client's key, signed; any key type). The reply is [`Subscription`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct SubscribeRequest {
    signed: bool,
}

impl SubscribeRequest {
    /// `userDataStream.subscribe`: needs a session logged on with `session.logon`.
    pub fn session() -> Self {
        Self { signed: false }
    }

    /// `userDataStream.subscribe.signature`: signed with the client's (or the request's)
    /// credentials; works on any connection. Use [`Request::credentials`] on the built request to
    /// subscribe another account.
    pub fn signature() -> Self {
        Self { signed: true }
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new(if self.signed {
            "userDataStream.subscribe.signature"
        } else {
            "userDataStream.subscribe"
        })
    }
}

/// A user-data subscription; its id comes back as `subscriptionId` on every event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Subscription {
    /// The subscription id.
    pub subscription_id: u64,
}

/// `userDataStream.unsubscribe`: end one subscription, or all of the connection's. The reply is
/// [`super::Empty`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct UnsubscribeRequest {
    subscription_id: Option<u64>,
}

impl UnsubscribeRequest {
    /// Ends every subscription of the connection.
    pub fn all() -> Self {
        Self::default()
    }

    /// Ends the subscription `id` (as [`Subscription::subscription_id`] reported it; Binance's
    /// ids are small, and an id above `i64::MAX` is sent as `i64::MAX`, which names none).
    pub fn id(id: u64) -> Self {
        Self {
            subscription_id: Some(id),
        }
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("userDataStream.unsubscribe").param_opt(
            "subscriptionId",
            self.subscription_id
                .map(|id| i64::try_from(id).unwrap_or(i64::MAX)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Security;

    #[test]
    fn requests_carry_the_security_of_their_method() {
        assert_eq!(
            SessionLogonRequest.into_request().security(),
            Security::AlwaysSigned
        );
        assert_eq!(
            SubscribeRequest::session().into_request().security(),
            Security::Session
        );
        assert_eq!(
            SubscribeRequest::signature().into_request().security(),
            Security::AlwaysSigned
        );
        assert!(UnsubscribeRequest::all().into_request().params().is_empty());
        assert!(UnsubscribeRequest::id(3)
            .into_request()
            .params()
            .contains("subscriptionId"));
    }
}
