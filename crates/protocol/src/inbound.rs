//! Reading one inbound text frame. Four kinds arrive on the socket: replies (`id` + `status`),
//! user-data events (`event` + `subscriptionId`), the `serverShutdown` notice (`event` only) and
//! unsolicited errors (`"id": null`). The envelope is parsed with borrowed raw values, so the
//! `result` is copied once and never turned into a value tree.

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;

use crate::error::ApiError;
use crate::ids::RequestId;
use crate::rate_limit::RateLimit;

/// One parsed frame.
#[derive(Debug)]
pub(crate) enum Inbound<'a> {
    /// A reply. `id` is `None` for `"id": null`; `id_raw` is the id's JSON text.
    Reply {
        id: Option<RequestId>,
        id_raw: &'a str,
        body: Result<Reply<'a>, String>,
    },
    /// A pushed event.
    Event {
        subscription_id: Option<u64>,
        head: EventHead,
        event: &'a RawValue,
    },
}

/// A readable reply body.
#[derive(Debug)]
pub(crate) struct Reply<'a> {
    pub(crate) status: u16,
    pub(crate) rate_limits: Vec<RateLimit>,
    pub(crate) outcome: Result<&'a RawValue, ApiError>,
}

/// The type and time of an event.
#[derive(Debug, Deserialize)]
pub(crate) struct EventHead {
    #[serde(rename = "e")]
    pub(crate) event_type: String,
    #[serde(rename = "E", default)]
    pub(crate) event_time: Option<i64>,
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow, deserialize_with = "keep_null")]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    status: Option<&'a RawValue>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    #[serde(default, borrow)]
    error: Option<&'a RawValue>,
    #[serde(default, borrow, rename = "rateLimits")]
    rate_limits: Option<&'a RawValue>,
    #[serde(default, borrow)]
    event: Option<&'a RawValue>,
    #[serde(default, borrow, rename = "subscriptionId")]
    subscription_id: Option<&'a RawValue>,
}

/// Keeps `"id": null` apart from a missing `id`.
fn keep_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct ErrorBody<'a> {
    code: i64,
    msg: String,
    #[serde(default, borrow)]
    data: Option<&'a RawValue>,
}

#[derive(Deserialize, Default)]
struct ErrorData {
    #[serde(rename = "retryAfter", default)]
    retry_after: Option<i64>,
    #[serde(rename = "serverTime", default)]
    server_time: Option<i64>,
}

/// The common case, read in one pass: rate limits and error bodies typed directly.
#[derive(Deserialize)]
struct TypedEnvelope<'a> {
    #[serde(default, borrow, deserialize_with = "keep_null")]
    id: Option<&'a RawValue>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default, borrow)]
    result: Option<&'a RawValue>,
    #[serde(default, borrow)]
    error: Option<ErrorBody<'a>>,
    #[serde(default, rename = "rateLimits")]
    rate_limits: Option<Vec<RateLimit>>,
    #[serde(default, borrow)]
    event: Option<&'a RawValue>,
    #[serde(default, rename = "subscriptionId")]
    subscription_id: Option<u64>,
}

/// Parses one frame.
///
/// # Errors
/// A description when the frame is neither a reply nor an event. A reply whose body is unreadable
/// is `Ok` with `body: Err(..)`, so its request can still be ended.
pub(crate) fn parse(text: &str) -> Result<Inbound<'_>, String> {
    // One typed pass serves well-formed frames; anything odd is read again field by field, so
    // that an unreadable reply can still be matched to its request.
    match serde_json::from_str::<TypedEnvelope<'_>>(text) {
        Ok(env) => from_typed(env).map_or_else(|| parse_raw(text), Ok),
        Err(_) => parse_raw(text),
    }
}

/// Builds the result of a typed pass; `None` when the frame needs the careful path.
fn from_typed(env: TypedEnvelope<'_>) -> Option<Inbound<'_>> {
    if let Some(id_raw) = env.id {
        let status = env.status?;
        let outcome = match (env.result, env.error) {
            (_, Some(error)) => Err(error.into_api_error(status)),
            (Some(result), None) => Ok(result),
            (None, None) => return None,
        };
        let id_raw = id_raw.get();
        let rate_limits = env.rate_limits.unwrap_or_default();
        let body = Ok(Reply {
            status,
            rate_limits,
            outcome,
        });
        return Some(Inbound::Reply {
            id: RequestId::from_json(id_raw),
            id_raw,
            body,
        });
    }
    let event = env.event?;
    let head: EventHead = serde_json::from_str(event.get()).ok()?;
    Some(Inbound::Event {
        subscription_id: env.subscription_id,
        head,
        event,
    })
}

fn parse_raw(text: &str) -> Result<Inbound<'_>, String> {
    let env: Envelope<'_> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if let Some(id_raw) = env.id {
        let id_raw = id_raw.get();
        let id = RequestId::from_json(id_raw);
        return Ok(Inbound::Reply {
            id,
            id_raw,
            body: reply_body(&env),
        });
    }
    if let Some(event) = env.event {
        let subscription_id = match env.subscription_id {
            Some(raw) => Some(serde_json::from_str::<u64>(raw.get()).map_err(|e| e.to_string())?),
            None => None,
        };
        let head: EventHead = serde_json::from_str(event.get()).map_err(|e| e.to_string())?;
        return Ok(Inbound::Event {
            subscription_id,
            head,
            event,
        });
    }
    Err("frame has neither `id` nor `event`".to_owned())
}

fn reply_body<'a>(env: &Envelope<'a>) -> Result<Reply<'a>, String> {
    let status_raw = env.status.ok_or("reply has no `status`")?;
    let status: u16 = serde_json::from_str(status_raw.get()).map_err(|e| format!("status: {e}"))?;
    let rate_limits = match env.rate_limits {
        Some(raw) => serde_json::from_str(raw.get()).map_err(|e| format!("rateLimits: {e}"))?,
        None => Vec::new(),
    };
    let outcome = match (env.result, env.error) {
        (_, Some(error)) => Err(api_error(status, error)?),
        (Some(result), None) => Ok(result),
        (None, None) => return Err("reply has neither `result` nor `error`".to_owned()),
    };
    Ok(Reply {
        status,
        rate_limits,
        outcome,
    })
}

fn api_error(status: u16, raw: &RawValue) -> Result<ApiError, String> {
    let body: ErrorBody<'_> = serde_json::from_str(raw.get()).map_err(|e| format!("error: {e}"))?;
    Ok(body.into_api_error(status))
}

impl ErrorBody<'_> {
    fn into_api_error(self, status: u16) -> ApiError {
        let data: ErrorData = self
            .data
            .and_then(|d| serde_json::from_str(d.get()).ok())
            .unwrap_or_default();
        ApiError {
            status,
            code: self.code,
            msg: self.msg,
            data: self.data.map(ToOwned::to_owned),
            retry_after_ms: data.retry_after,
            server_time_ms: data.server_time,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_reply() {
        let text = r#"{"id":"x1","status":200,"result":{"serverTime":1656400526260},
            "rateLimits":[{"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":6000,"count":1}]}"#;
        let Inbound::Reply { id, body, .. } = parse(text).unwrap() else {
            panic!()
        };
        assert_eq!(id, Some(RequestId::text("x1").unwrap()));
        let reply = body.unwrap();
        assert_eq!(reply.status, 200);
        assert_eq!(reply.rate_limits.len(), 1);
        assert_eq!(
            reply.outcome.unwrap().get(),
            r#"{"serverTime":1656400526260}"#
        );
    }

    #[test]
    fn error_reply_with_retry_after() {
        let text = r#"{"id":7,"status":418,"error":{"code":-1003,"msg":"banned","data":{"serverTime":1659127054000,"retryAfter":1659127200000}}}"#;
        let Inbound::Reply { id, body, .. } = parse(text).unwrap() else {
            panic!()
        };
        assert_eq!(id, Some(RequestId::Int(7)));
        let err = body.unwrap().outcome.unwrap_err();
        assert_eq!((err.status, err.code), (418, -1003));
        assert_eq!(err.retry_after_ms, Some(1_659_127_200_000));
        assert_eq!(err.server_time_ms, Some(1_659_127_054_000));
    }

    #[test]
    fn unsolicited_error_has_null_id() {
        let text = r#"{"id":null,"status":401,"error":{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}}"#;
        let Inbound::Reply { id, id_raw, body } = parse(text).unwrap() else {
            panic!()
        };
        assert_eq!((id, id_raw), (None, "null"));
        assert_eq!(body.unwrap().outcome.unwrap_err().code, -2015);
    }

    #[test]
    fn events_with_and_without_subscription() {
        let text =
            r#"{"subscriptionId":0,"event":{"e":"balanceUpdate","E":1573200697110,"a":"BTC"}}"#;
        let Inbound::Event {
            subscription_id,
            head,
            event,
        } = parse(text).unwrap()
        else {
            panic!()
        };
        assert_eq!(subscription_id, Some(0));
        assert_eq!(head.event_type, "balanceUpdate");
        assert_eq!(head.event_time, Some(1_573_200_697_110));
        assert!(event.get().contains("\"a\":\"BTC\""));
        let text = r#"{"event":{"e":"serverShutdown","E":1770123456789}}"#;
        let Inbound::Event {
            subscription_id,
            head,
            ..
        } = parse(text).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            (subscription_id, head.event_type.as_str()),
            (None, "serverShutdown")
        );
    }

    #[test]
    fn unreadable_reply_keeps_its_id() {
        let Inbound::Reply { id, body, .. } = parse(r#"{"id":3,"status":"x"}"#).unwrap() else {
            panic!()
        };
        assert_eq!(id, Some(RequestId::Int(3)));
        assert!(body.is_err());
        for bad in [
            "",
            "[]",
            "{}",
            "{\"event\":5}",
            "nul",
            "{\"id\":1",
            "{\"event\":{\"E\":1}}",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
