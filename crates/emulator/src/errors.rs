//! The error replies the emulator sends, with Binance's codes, statuses and messages.

use serde_json::{json, Value};

/// An error reply: HTTP-like status, Binance code, message, optional `data`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiErr {
    /// Status (400, 401, 403, 409, 418, 429, 5xx).
    pub status: u16,
    /// Binance error code.
    pub code: i64,
    /// Message, worded as Binance words it.
    pub msg: String,
    /// `error.data`, for 429/418 (`serverTime`, `retryAfter`).
    pub data: Option<Value>,
}

impl ApiErr {
    /// A 400 error.
    pub fn new(code: i64, msg: impl Into<String>) -> Self {
        Self {
            status: 400,
            code,
            msg: msg.into(),
            data: None,
        }
    }

    /// The `error` object.
    pub fn to_json(&self) -> Value {
        let mut error = json!({"code": self.code, "msg": self.msg});
        if let Some(data) = &self.data {
            error["data"] = data.clone();
        }
        error
    }

    /// `-1000`: an unexpected internal failure.
    pub fn unknown() -> Self {
        Self::new(
            -1000,
            "An unknown error occurred while processing the request.",
        )
    }

    /// `-1020`: the method does not exist (or the emulator does not implement it yet).
    pub fn unsupported() -> Self {
        Self::new(-1020, "This operation is not supported.")
    }

    /// `-1021`: timestamp outside the window.
    pub fn outside_recv_window() -> Self {
        Self::new(
            -1021,
            "Timestamp for this request is outside of the recvWindow.",
        )
    }

    /// `-1021`: timestamp ahead of the server.
    pub fn ahead_of_server() -> Self {
        Self::new(
            -1021,
            "Timestamp for this request was 1000ms ahead of the server's time.",
        )
    }

    /// `-1022`: bad signature.
    pub fn bad_signature() -> Self {
        Self::new(-1022, "Signature for this request is not valid.")
    }

    /// `-1100`: a parameter has characters it cannot have.
    pub fn illegal_chars(param: &str, legal: &str) -> Self {
        Self::new(
            -1100,
            format!("Illegal characters found in parameter '{param}'; legal range is '{legal}'."),
        )
    }

    /// `-1101`: the same parameter twice.
    pub fn duplicate_param() -> Self {
        Self::new(-1101, "Duplicate values for a parameter detected.")
    }

    /// `-1102`: a mandatory parameter is missing, empty or malformed.
    pub fn mandatory(param: &str) -> Self {
        Self::new(
            -1102,
            format!("Mandatory parameter '{param}' was not sent, was empty/null, or malformed."),
        )
    }

    /// `-1102`: neither of two alternative parameters was sent.
    pub fn one_of(a: &str, b: &str) -> Self {
        Self::new(
            -1102,
            format!("Param '{a}' or '{b}' must be sent, but both were empty/null!"),
        )
    }

    /// `-1102`: a value above its cap.
    pub fn too_large(param: &str, max: &str) -> Self {
        Self::new(
            -1102,
            format!("'{param}' contains unexpected value. Cannot be greater than {max}."),
        )
    }

    /// `-1104`: parameters the method does not read.
    pub fn unread(read: usize, sent: usize) -> Self {
        Self::new(
            -1104,
            format!("Not all sent parameters were read; read '{read}' parameter(s) but was sent '{sent}'."),
        )
    }

    /// `-1106`: a parameter that must not be sent for this combination.
    pub fn not_required(param: &str) -> Self {
        Self::new(
            -1106,
            format!("Parameter '{param}' sent when not required."),
        )
    }

    /// `-1111`: more decimals than the symbol allows.
    pub fn bad_precision(param: &str) -> Self {
        Self::new(
            -1111,
            format!("Parameter '{param}' has too much precision."),
        )
    }

    /// `-1115`: bad time in force.
    pub fn invalid_tif() -> Self {
        Self::new(-1115, "Invalid timeInForce.")
    }

    /// `-1116`: bad order type.
    pub fn invalid_order_type() -> Self {
        Self::new(-1116, "Invalid orderType.")
    }

    /// `-1117`: bad side.
    pub fn invalid_side() -> Self {
        Self::new(-1117, "Invalid side.")
    }

    /// `-1121`: unknown symbol.
    pub fn bad_symbol() -> Self {
        Self::new(-1121, "Invalid symbol.")
    }

    /// `-1013`: a filter rejected the order.
    pub fn filter(name: &str) -> Self {
        Self::new(-1013, format!("Filter failure: {name}"))
    }

    /// `-2010`: the matching engine rejected a new order.
    pub fn order_rejected(msg: &str) -> Self {
        Self::new(-2010, msg)
    }

    /// `-2011`: the matching engine rejected a cancel.
    pub fn cancel_rejected(msg: &str) -> Self {
        Self::new(-2011, msg)
    }

    /// `-2013`: no such order.
    pub fn no_such_order() -> Self {
        Self::new(-2013, "Order does not exist.")
    }

    /// `-2014`: the API key is malformed.
    pub fn bad_api_key_format() -> Self {
        Self::new(-2014, "API-key format invalid.")
    }

    /// `-2015`: unknown key, or a key without the permission.
    pub fn rejected_key() -> Self {
        Self::new(-2015, "Invalid API-key, IP, or permissions for action.")
    }
}
