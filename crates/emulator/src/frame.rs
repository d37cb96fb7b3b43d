//! Reading request frames as Binance does: the id keeps its JSON type, parameters keep the exact text
//! they were sent with (a JSON number's literal, a string's decoded content), which is what the
//! signature is checked against.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::errors::ApiErr;

/// One parameter as received.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The name.
    pub name: String,
    /// The text that goes into the signature payload: a string's content, otherwise the JSON text.
    pub text: String,
    /// The value as JSON.
    pub value: Value,
}

/// A parsed request.
#[derive(Debug, Clone)]
pub struct RequestFrame {
    /// The `id` exactly as sent (`null` when absent), to echo with its JSON type.
    pub id: Value,
    /// The method.
    pub method: String,
    /// Parameters in the order received.
    pub params: Vec<Param>,
}

/// Why a frame was refused before its method ran. The reply echoes `id` when it could be read.
#[derive(Debug)]
pub struct FrameError {
    /// The id to echo.
    pub id: Value,
    /// The error.
    pub error: ApiErr,
}

#[derive(Deserialize)]
struct RawFrame<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default)]
    method: Option<String>,
    #[serde(default, borrow)]
    params: Option<&'a RawValue>,
}

/// Parses and checks a request frame.
///
/// # Errors
/// [`FrameError`] for frames Binance would refuse: not JSON, a bad `id`, no `method`, `params` not an
/// object, duplicate parameters.
pub fn parse_request(text: &str) -> Result<RequestFrame, FrameError> {
    let malformed = |id: Value, what: &str| FrameError {
        id,
        error: ApiErr::mandatory(what),
    };
    let raw: RawFrame<'_> = serde_json::from_str(text).map_err(|_| malformed(Value::Null, "id"))?;
    let id = match raw.id {
        None => Value::Null,
        Some(r) => {
            let v: Value =
                serde_json::from_str(r.get()).map_err(|_| malformed(Value::Null, "id"))?;
            if !valid_id(&v) {
                return Err(malformed(Value::Null, "id"));
            }
            v
        }
    };
    let method = match raw.method {
        Some(m) if !m.is_empty() => m,
        _ => return Err(malformed(id, "method")),
    };
    let params = match raw.params {
        None => Vec::new(),
        Some(r) => {
            let list = ParamList::parse(r.get()).map_err(|_| malformed(id.clone(), "params"))?;
            let mut params = list.0;
            let mut names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
            names.sort_unstable();
            if names.windows(2).any(|w| w[0] == w[1]) {
                return Err(FrameError {
                    id,
                    error: ApiErr::duplicate_param(),
                });
            }
            params.retain(|p| !p.value.is_null());
            params
        }
    };
    Ok(RequestFrame { id, method, params })
}

/// Binance's id rule: a 64-bit signed integer, a string of at most 36 characters, or null.
fn valid_id(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Number(n) => n.is_i64(),
        Value::String(s) => s.len() <= 36,
        _ => false,
    }
}

/// The params object as an ordered list (serde maps would silently drop duplicates).
struct ParamList(Vec<Param>);

impl ParamList {
    fn parse(text: &str) -> Result<Self, serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(text);
        let list = de.deserialize_map(ParamVisitor)?;
        de.end()?;
        Ok(list)
    }
}

struct ParamVisitor;

impl<'de> Visitor<'de> for ParamVisitor {
    type Value = ParamList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of parameters")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ParamList, A::Error> {
        let mut out = Vec::new();
        while let Some((name, raw)) = map.next_entry::<String, Box<RawValue>>()? {
            let value: Value = serde_json::from_str(raw.get()).map_err(serde::de::Error::custom)?;
            let text = match &value {
                Value::String(s) => s.clone(),
                _ => raw.get().to_owned(),
            };
            out.push(Param { name, text, value });
        }
        Ok(ParamList(out))
    }
}

impl RequestFrame {
    /// The parameter called `name`.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.params.iter().find(|p| p.name == name)
    }

    /// The signature payload: every parameter but `signature`, sorted by name, `k=v` joined by `&`.
    pub fn signature_payload(&self) -> String {
        let mut sorted: Vec<&Param> = self
            .params
            .iter()
            .filter(|p| p.name != "signature")
            .collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        let parts: Vec<String> = sorted
            .iter()
            .map(|p| format!("{}={}", p.name, p.text))
            .collect();
        parts.join("&")
    }

    /// A string parameter (numbers are accepted as their text, as Binance does).
    pub fn str_opt(&self, name: &str) -> Result<Option<&str>, ApiErr> {
        match self.param(name) {
            None => Ok(None),
            Some(p) if p.text.is_empty() => Err(ApiErr::mandatory(name)),
            Some(p) => match p.value {
                Value::String(_) | Value::Number(_) => Ok(Some(p.text.as_str())),
                _ => Err(ApiErr::mandatory(name)),
            },
        }
    }

    /// A mandatory string parameter.
    pub fn str_req(&self, name: &str) -> Result<&str, ApiErr> {
        self.str_opt(name)?.ok_or_else(|| ApiErr::mandatory(name))
    }

    /// An integer parameter, sent as a number or a numeric string.
    pub fn i64_opt(&self, name: &str) -> Result<Option<i64>, ApiErr> {
        match self.str_opt(name)? {
            None => Ok(None),
            Some(t) => t
                .parse()
                .map(Some)
                .map_err(|_| ApiErr::illegal_chars(name, "^[0-9]{1,20}$")),
        }
    }

    /// A decimal parameter, sent as a string or a number (never with an exponent).
    pub fn decimal_opt(&self, name: &str) -> Result<Option<Decimal>, ApiErr> {
        match self.str_opt(name)? {
            None => Ok(None),
            Some(t) => {
                if t.contains(['e', 'E']) {
                    return Err(ApiErr::illegal_chars(
                        name,
                        "^([0-9]{1,20})(\\.[0-9]{1,20})?$",
                    ));
                }
                Decimal::from_str(t)
                    .map(Some)
                    .map_err(|_| ApiErr::illegal_chars(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$"))
            }
        }
    }

    /// A boolean parameter (`true`/`false`, as JSON or as a string).
    pub fn bool_opt(&self, name: &str) -> Result<Option<bool>, ApiErr> {
        match self.param(name) {
            None => Ok(None),
            Some(p) => match p.text.as_str() {
                "true" => Ok(Some(true)),
                "false" => Ok(Some(false)),
                _ => Err(ApiErr::mandatory(name)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_literal_number_text_and_decoded_strings() {
        let frame = parse_request(
            r#"{"id":7,"method":"order.place","params":{"symbol":"\uff11\uff12","quantity":0.10,"timestamp":1645423376532,"flag":true}}"#,
        )
        .unwrap();
        assert_eq!(frame.id, Value::from(7));
        assert_eq!(
            frame.signature_payload(),
            "flag=true&quantity=0.10&symbol=１２&timestamp=1645423376532"
        );
        assert_eq!(
            frame.decimal_opt("quantity").unwrap(),
            Some(Decimal::new(10, 2))
        );
    }

    #[test]
    fn refuses_what_binance_refuses() {
        for (text, code) in [
            ("nope", -1102),
            (
                r#"{"id":"0123456789012345678901234567890123456","method":"ping"}"#,
                -1102,
            ),
            (r#"{"id":1.5,"method":"ping"}"#, -1102),
            (r#"{"id":1}"#, -1102),
            (r#"{"id":1,"method":"ping","params":[]}"#, -1102),
            (r#"{"id":1,"method":"ping","params":{"a":1,"a":2}}"#, -1101),
        ] {
            let err = parse_request(text).unwrap_err();
            assert_eq!(err.error.code, code, "{text}");
        }
        let err = parse_request(r#"{"id":"x","params":{}}"#).unwrap_err();
        assert_eq!(err.id, Value::from("x"));
    }

    #[test]
    fn params_may_be_absent_and_ids_may_be_null() {
        let frame = parse_request(r#"{"id":null,"method":"ping"}"#).unwrap();
        assert_eq!(frame.id, Value::Null);
        assert!(frame.params.is_empty());
    }

    #[test]
    fn exponents_are_illegal_in_decimals() {
        let frame = parse_request(r#"{"id":1,"method":"x","params":{"price":"1e-7"}}"#).unwrap();
        assert_eq!(frame.decimal_opt("price").unwrap_err().code, -1100);
    }
}
