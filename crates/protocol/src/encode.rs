//! Building a request frame in one pass: every parameter is rendered once, and that text goes both
//! into the signature payload (`k=v&...`, sorted, raw UTF-8) and into the JSON `params`.

use crate::ids::RequestId;
use crate::json;
use crate::params::{cmp_names, ParamValue, Params};
use crate::sign::{Credentials, KeyError};

/// What the client adds to the caller's parameters.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Auth<'a> {
    /// Nothing.
    None,
    /// `timestamp` (and `recvWindow`), no key: a session authenticated by `session.logon`.
    Timestamp {
        timestamp: i64,
        recv_window: Option<&'a ParamValue>,
    },
    /// `apiKey`, `timestamp` (and `recvWindow`) and `signature`.
    Signed {
        credentials: &'a Credentials,
        timestamp: i64,
        recv_window: Option<&'a ParamValue>,
    },
}

enum Value<'a> {
    Param(&'a ParamValue),
    Text(&'a str),
}

/// Encodes `{"id":..,"method":..,"params":{..}}`. `payload`, `scratch` and `frame_buf` are
/// reusable buffers; after a signed request `payload` holds the exact text that was signed.
///
/// The frame is built in `frame_buf` and returned as a copy of exactly its length: a string
/// whose capacity equals its length becomes a WebSocket message's bytes without another
/// allocation (`bytes` allocates a shared header for a `Vec` with spare capacity), and copying
/// a few hundred bytes costs less than that allocation.
pub(crate) fn encode_frame(
    id: &RequestId,
    method: &str,
    params: &Params,
    auth: Auth<'_>,
    payload: &mut String,
    scratch: &mut String,
    frame_buf: &mut String,
) -> Result<String, KeyError> {
    payload.clear();
    let mut extras: [Option<(&str, Value<'_>)>; 3] = [None, None, None];
    let (timestamp, recv_window, credentials) = match auth {
        Auth::None => (None, None, None),
        Auth::Timestamp {
            timestamp,
            recv_window,
        } => (Some(timestamp), recv_window, None),
        Auth::Signed {
            credentials,
            timestamp,
            recv_window,
        } => (Some(timestamp), recv_window, Some(credentials)),
    };
    let timestamp_value = timestamp.map(ParamValue::Int);
    // Sorted by name ("apiKey" < "recvWindow" < "timestamp"); a value the caller set wins.
    if let Some(c) = credentials {
        extras[0] = Some(("apiKey", Value::Text(c.api_key())));
    }
    if let Some(rw) = recv_window.filter(|_| !params.contains("recvWindow")) {
        extras[1] = Some(("recvWindow", Value::Param(rw)));
    }
    if let Some(ts) = timestamp_value
        .as_ref()
        .filter(|_| !params.contains("timestamp"))
    {
        extras[2] = Some(("timestamp", Value::Param(ts)));
    }

    let frame = frame_buf;
    frame.clear();
    frame.push_str("{\"id\":");
    id.write_json(frame);
    frame.push_str(",\"method\":");
    json::write_str(frame, method);

    let mut w = Writer {
        frame,
        payload,
        scratch,
        signing: credentials.is_some(),
        first: true,
    };
    // Merge two sorted sequences: the caller's parameters and the client's additions.
    let mut extra = extras.iter().flatten().peekable();
    for (name, value) in params.iter() {
        while let Some((extra_name, extra_value)) =
            extra.next_if(|(n, _)| cmp_names(n, name).is_lt())
        {
            w.item(extra_name, extra_value);
        }
        w.item(name, &Value::Param(value));
    }
    for (extra_name, extra_value) in extra {
        w.item(extra_name, extra_value);
    }
    let Writer {
        frame,
        payload,
        mut first,
        ..
    } = w;
    if let Some(c) = credentials {
        frame.push_str(if first {
            ",\"params\":{\"signature\":\""
        } else {
            ",\"signature\":\""
        });
        c.signer().sign(payload.as_bytes(), frame)?;
        frame.push('"');
        first = false;
    }
    if !first {
        frame.push('}');
    }
    frame.push('}');
    Ok(frame.as_str().to_owned())
}

struct Writer<'b> {
    frame: &'b mut String,
    payload: &'b mut String,
    scratch: &'b mut String,
    signing: bool,
    first: bool,
}

impl Writer<'_> {
    /// Renders one parameter once and writes it to the frame (and the payload when signing).
    fn item(&mut self, name: &str, value: &Value<'_>) {
        self.frame
            .push_str(if self.first { ",\"params\":{" } else { "," });
        if self.signing && !self.first {
            self.payload.push('&');
        }
        self.first = false;
        // Names are checked to be `A-Z a-z 0-9 _ .` before encoding: no escaping needed.
        self.frame.push('"');
        self.frame.push_str(name);
        self.frame.push_str("\":");
        let rendered: &str = match value {
            Value::Text(t) => t,
            Value::Param(ParamValue::Str(s)) => s,
            Value::Param(p) => {
                self.scratch.clear();
                p.render(self.scratch);
                self.scratch
            }
        };
        match value {
            Value::Text(_) => json::write_str(self.frame, rendered),
            Value::Param(p) => p.write_json(rendered, self.frame),
        }
        if self.signing {
            self.payload.push_str(name);
            self.payload.push('=');
            self.payload.push_str(rendered);
        }
    }
}

/// The signature payload for `params` (which must already hold `apiKey` and `timestamp`):
/// every parameter except `signature`, sorted by name, `k=v` joined by `&`, raw UTF-8.
///
/// Use it to debug `-1022` errors: the text must match what the server rebuilds.
pub fn signature_payload(params: &Params) -> String {
    let mut payload = String::new();
    let mut scratch = String::new();
    for (name, value) in params.iter().filter(|(n, _)| *n != "signature") {
        if !payload.is_empty() {
            payload.push('&');
        }
        scratch.clear();
        value.render(&mut scratch);
        payload.push_str(name);
        payload.push('=');
        payload.push_str(&scratch);
    }
    payload
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    const KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    const SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

    fn order_params() -> Params {
        let mut p = Params::new();
        p.set("symbol", "BTCUSDT");
        p.set("side", "SELL");
        p.set("type", "LIMIT");
        p.set("timeInForce", "GTC");
        p.set("quantity", Decimal::from_str("0.01000000").unwrap());
        p.set("price", Decimal::from_str("52000.00").unwrap());
        p
    }

    #[test]
    fn signed_frame_matches_the_documented_hmac_example() {
        let creds = Credentials::hmac(KEY, SECRET).unwrap();
        let rw = ParamValue::Int(100);
        let auth = Auth::Signed {
            credentials: &creds,
            timestamp: 1_645_423_376_532,
            recv_window: Some(&rw),
        };
        let (mut payload, mut scratch) = (String::new(), String::new());
        let id = RequestId::Int(1);
        let frame = encode_frame(
            &id,
            "order.place",
            &order_params(),
            auth,
            &mut payload,
            &mut scratch,
            &mut String::new(),
        )
        .unwrap();
        assert_eq!(
            payload,
            format!("apiKey={KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT")
        );
        let v: serde_json::Value = serde_json::from_str(&frame).unwrap();
        assert_eq!(v["id"], 1);
        assert_eq!(v["method"], "order.place");
        assert_eq!(v["params"]["price"], "52000.00");
        assert_eq!(v["params"]["recvWindow"], 100);
        assert_eq!(v["params"]["timestamp"], 1_645_423_376_532_i64);
        assert_eq!(
            v["params"]["signature"],
            "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"
        );
        assert_eq!(v["params"].as_object().unwrap().len(), 10);
    }

    #[test]
    fn frames_are_exactly_sized() {
        // Capacity equal to length lets the frame become message bytes without an allocation.
        let (mut payload, mut scratch, mut buf) = (String::new(), String::new(), String::new());
        for params in [Params::new(), order_params()] {
            let frame = encode_frame(
                &RequestId::Int(12_345),
                "order.place",
                &params,
                Auth::None,
                &mut payload,
                &mut scratch,
                &mut buf,
            )
            .unwrap();
            assert_eq!(frame.capacity(), frame.len(), "{frame}");
            assert_eq!(frame, buf);
        }
    }

    #[test]
    fn frames_without_params_omit_them() {
        let (mut payload, mut scratch) = (String::new(), String::new());
        let frame = encode_frame(
            &RequestId::Int(5),
            "ping",
            &Params::new(),
            Auth::None,
            &mut payload,
            &mut scratch,
            &mut String::new(),
        )
        .unwrap();
        assert_eq!(frame, r#"{"id":5,"method":"ping"}"#);
        let id = RequestId::text("abc").unwrap();
        let auth = Auth::Timestamp {
            timestamp: 17,
            recv_window: None,
        };
        let frame = encode_frame(
            &id,
            "account.status",
            &Params::new(),
            auth,
            &mut payload,
            &mut scratch,
            &mut String::new(),
        )
        .unwrap();
        assert_eq!(
            frame,
            r#"{"id":"abc","method":"account.status","params":{"timestamp":17}}"#
        );
        assert!(payload.is_empty());
    }

    #[test]
    fn caller_timestamp_and_recv_window_win() {
        let creds = Credentials::hmac(KEY, SECRET).unwrap();
        let mut p = Params::new();
        p.set("timestamp", 5_i64);
        p.set("recvWindow", 9_i64);
        let rw = ParamValue::Int(100);
        let auth = Auth::Signed {
            credentials: &creds,
            timestamp: 1,
            recv_window: Some(&rw),
        };
        let (mut payload, mut scratch) = (String::new(), String::new());
        let frame = encode_frame(
            &RequestId::Int(1),
            "x",
            &p,
            auth,
            &mut payload,
            &mut scratch,
            &mut String::new(),
        )
        .unwrap();
        assert_eq!(payload, format!("apiKey={KEY}&recvWindow=9&timestamp=5"));
        assert!(
            frame.contains("\"timestamp\":5,") && frame.contains("\"recvWindow\":9,"),
            "{frame}"
        );
    }

    #[test]
    fn payload_helper_matches_the_encoder() {
        let mut p = order_params();
        p.set("apiKey", KEY);
        p.set("recvWindow", 100_i64);
        p.set("timestamp", 1_645_423_376_532_i64);
        p.set("signature", "ignored");
        assert!(signature_payload(&p).starts_with("apiKey=vmPU"));
        assert!(!signature_payload(&p).contains("signature"));
    }
}
