//! Request parameters: an ordered list of names and values, kept sorted by name so that the
//! signature payload and the JSON frame are rendered from the same values in one pass.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;

use crate::ids::{format_i64, itoa_buf, ClientOrderId};
use crate::json;

/// One parameter value, as it will be sent and signed.
///
/// Decimals are sent as JSON strings (`"0.01000000"`) and signed as the same text; they are never
/// formatted with an exponent. Integers are sent as JSON numbers and signed as their digits.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ParamValue {
    /// A string, sent as a JSON string and signed raw (UTF-8, no percent-encoding).
    Str(Cow<'static, str>),
    /// An integer (ids, times, limits), sent as a JSON number.
    Int(i64),
    /// A decimal (price, quantity), sent as a JSON string in plain notation.
    Decimal(Decimal),
    /// A boolean, sent as JSON `true`/`false` and signed as `true`/`false`.
    Bool(bool),
    /// A list of strings (`symbols`, `permissions`), sent as a JSON array; signed as its JSON text.
    List(Vec<Cow<'static, str>>),
    /// A client order id, sent as a JSON string.
    ClientOrderId(ClientOrderId),
}

impl fmt::Debug for ParamValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = String::new();
        self.render(&mut text);
        match self {
            Self::Str(_) | Self::Decimal(_) | Self::ClientOrderId(_) => write!(f, "{text:?}"),
            _ => f.write_str(&text),
        }
    }
}

impl ParamValue {
    /// Appends the value as it appears in the signature payload.
    pub(crate) fn render(&self, out: &mut String) {
        match self {
            Self::Str(s) => out.push_str(s),
            Self::Int(n) => {
                let mut buf = itoa_buf();
                out.push_str(format_i64(*n, &mut buf));
            }
            Self::Decimal(d) => write_decimal(*d, out),
            Self::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Self::List(items) => write_list(out, items),
            Self::ClientOrderId(id) => out.push_str(id.as_str()),
        }
    }

    /// Appends the value as JSON, given the text that [`Self::render`] produced for it.
    pub(crate) fn write_json(&self, rendered: &str, out: &mut String) {
        match self {
            Self::Int(_) | Self::Bool(_) | Self::List(_) => out.push_str(rendered),
            Self::Str(_) | Self::Decimal(_) | Self::ClientOrderId(_) => {
                json::write_str(out, rendered)
            }
        }
    }
}

/// Writes `d` in plain notation with its own scale (`0.01000000`, `-5`, `0.0000001`), never with an
/// exponent. Same text as `Decimal`'s `Display`, without going through the formatter.
pub(crate) fn write_decimal(d: Decimal, out: &mut String) {
    // 96-bit mantissa: at most 29 digits.
    let mut digits = [0u8; 40];
    let mut pos = digits.len();
    let m = d.mantissa().unsigned_abs();
    // Prices and quantities fit in 64 bits; 128-bit division is a slow library call.
    match u64::try_from(m) {
        Ok(mut m) => loop {
            pos -= 1;
            digits[pos] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        },
        Err(_) => {
            let mut m = m;
            loop {
                pos -= 1;
                digits[pos] = b'0' + (m % 10) as u8;
                m /= 10;
                if m == 0 {
                    break;
                }
            }
        }
    }
    let scale = d.scale() as usize;
    // Leading zeros so that there is at least one digit before the point.
    while digits.len() - pos <= scale {
        pos -= 1;
        digits[pos] = b'0';
    }
    if d.is_sign_negative() && d.mantissa() != 0 {
        out.push('-');
    }
    let text = &digits[pos..];
    let point = text.len() - scale;
    out.reserve(text.len() + 1);
    out.extend(text[..point].iter().map(|&b| char::from(b)));
    if scale > 0 {
        out.push('.');
        out.extend(text[point..].iter().map(|&b| char::from(b)));
    }
}

fn write_list(out: &mut String, items: &[Cow<'static, str>]) {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json::write_str(out, item);
    }
    out.push(']');
}

impl From<&'static str> for ParamValue {
    fn from(s: &'static str) -> Self {
        Self::Str(Cow::Borrowed(s))
    }
}

impl From<String> for ParamValue {
    fn from(s: String) -> Self {
        Self::Str(Cow::Owned(s))
    }
}

impl From<Cow<'static, str>> for ParamValue {
    fn from(s: Cow<'static, str>) -> Self {
        Self::Str(s)
    }
}

impl From<i64> for ParamValue {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl From<i32> for ParamValue {
    fn from(n: i32) -> Self {
        Self::Int(i64::from(n))
    }
}

impl From<u32> for ParamValue {
    fn from(n: u32) -> Self {
        Self::Int(i64::from(n))
    }
}

impl From<u16> for ParamValue {
    fn from(n: u16) -> Self {
        Self::Int(i64::from(n))
    }
}

impl From<Decimal> for ParamValue {
    fn from(d: Decimal) -> Self {
        Self::Decimal(d)
    }
}

impl From<bool> for ParamValue {
    fn from(b: bool) -> Self {
        Self::Bool(b)
    }
}

impl From<ClientOrderId> for ParamValue {
    fn from(id: ClientOrderId) -> Self {
        Self::ClientOrderId(id)
    }
}

impl From<Vec<String>> for ParamValue {
    fn from(items: Vec<String>) -> Self {
        Self::List(items.into_iter().map(Cow::Owned).collect())
    }
}

impl From<Vec<&'static str>> for ParamValue {
    fn from(items: Vec<&'static str>) -> Self {
        Self::List(items.into_iter().map(Cow::Borrowed).collect())
    }
}

/// The parameters of one request, sorted by name (byte order), one value per name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    entries: Vec<(Cow<'static, str>, ParamValue)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Self {
        Self::default()
    }

    /// Room for `n` parameters without reallocating.
    pub fn with_capacity(n: usize) -> Self {
        Self {
            entries: Vec::with_capacity(n),
        }
    }

    /// Sets `name` to `value`, replacing an earlier value of the same name.
    pub fn set(&mut self, name: impl Into<Cow<'static, str>>, value: impl Into<ParamValue>) {
        let name = name.into();
        let value = value.into();
        if self.entries.capacity() == 0 {
            // Room for a typical order at once, rather than growing 4 -> 8.
            self.entries.reserve_exact(8);
        }
        match self.entries.binary_search_by(|(n, _)| cmp_names(n, &name)) {
            Ok(i) => self.entries[i].1 = value,
            Err(i) => self.entries.insert(i, (name, value)),
        }
    }

    /// Removes `name` and returns its value.
    pub fn remove(&mut self, name: &str) -> Option<ParamValue> {
        let i = self.position(name)?;
        Some(self.entries.remove(i).1)
    }

    /// The value of `name`, if set.
    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.position(name).map(|i| &self.entries[i].1)
    }

    /// Whether `name` is set.
    pub fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The parameters in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &ParamValue)> {
        self.entries.iter().map(|(n, v)| (n.as_ref(), v))
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.entries
            .binary_search_by(|(n, _)| cmp_names(n, name))
            .ok()
    }
}

/// Byte order of two names. Compares the first eight bytes as one big-endian integer, so that
/// short names (nearly all of Binance's differ early) need no `memcmp` call.
#[inline]
pub(crate) fn cmp_names(a: &str, b: &str) -> std::cmp::Ordering {
    cmp_name_to_key(a, name_prefix(b), b)
}

/// The first eight bytes of `name` as a big-endian integer, zero-padded: computed once when one
/// name is compared with many (see [`cmp_name_to_key`]).
#[inline]
pub(crate) fn name_prefix(name: &str) -> u64 {
    let s = name.as_bytes();
    if let Some(head) = s.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    let mut v = 0u64;
    for (i, &c) in s.iter().enumerate() {
        v |= u64::from(c) << (56 - 8 * i);
    }
    v
}

/// [`cmp_names`] of `a` and `b`, with `b`'s [`name_prefix`] already computed.
#[inline]
pub(crate) fn cmp_name_to_key(a: &str, b_prefix: u64, b: &str) -> std::cmp::Ordering {
    // Zero padding sorts a shorter prefix first, as byte order does; equal prefixes (including a
    // NUL byte against padding) fall back to the full comparison.
    match name_prefix(a).cmp(&b_prefix) {
        std::cmp::Ordering::Equal => a.as_bytes().cmp(b.as_bytes()),
        unequal => unequal,
    }
}

/// Whether `name` can be a parameter name: non-empty ASCII letters, digits, `_` and `.`.
///
/// Anything else could not be told apart in the `k=v&k=v` signature payload.
pub(crate) fn is_valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn keeps_names_sorted_and_unique() {
        let mut p = Params::new();
        p.set("type", "LIMIT");
        p.set("apiKey", "k");
        p.set("price", Decimal::from_str("1.50").unwrap());
        p.set("type", "MARKET");
        let names: Vec<_> = p.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["apiKey", "price", "type"]);
        assert_eq!(p.get("type"), Some(&ParamValue::from("MARKET")));
        assert_eq!(p.remove("apiKey"), Some(ParamValue::from("k")));
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn renders_values_for_payload_and_json() {
        let cases: Vec<(ParamValue, &str, &str)> = vec![
            ("BTCUSDT".into(), "BTCUSDT", "\"BTCUSDT\""),
            (ParamValue::Int(-5), "-5", "-5"),
            (
                Decimal::from_str("0.00000010").unwrap().into(),
                "0.00000010",
                "\"0.00000010\"",
            ),
            (Decimal::new(1, 7).into(), "0.0000001", "\"0.0000001\""),
            (true.into(), "true", "true"),
            (
                vec!["BTCUSDT", "BNBBTC"].into(),
                "[\"BTCUSDT\",\"BNBBTC\"]",
                "[\"BTCUSDT\",\"BNBBTC\"]",
            ),
        ];
        for (value, payload, json) in cases {
            let mut rendered = String::new();
            value.render(&mut rendered);
            assert_eq!(rendered, payload);
            let mut out = String::new();
            value.write_json(&rendered, &mut out);
            assert_eq!(out, json);
        }
    }

    #[test]
    fn decimals_format_like_display() {
        for text in [
            "0",
            "1",
            "-1",
            "0.01000000",
            "52000.00",
            "0.0000001",
            "-0.5",
            "123456789.123456789",
            "79228162514264337593543950335",
            "-79228162514264337593543950335",
            "0.0000000000000000000000000001",
        ] {
            let d = Decimal::from_str(text).unwrap();
            let mut out = String::new();
            write_decimal(d, &mut out);
            assert_eq!(out, d.to_string(), "{text}");
            assert_eq!(out, text);
        }
        let mut out = String::new();
        write_decimal(Decimal::new(-0, 3), &mut out);
        assert_eq!(out, Decimal::new(-0, 3).to_string());
    }

    #[test]
    fn name_order_is_byte_order() {
        for (a, b) in [
            ("apiKey", "price"),
            ("a", "ab"),
            ("", "a"),
            ("recvWindow", "recvWindow"),
            ("Z", "a"),
            ("timeInForce", "timestamp"),
            ("orderList.place", "orderList.place.oco"),
            ("ab\0", "ab"),
            ("ab\0c", "ab"),
            ("\u{ff}", "a"),
        ] {
            assert_eq!(cmp_names(a, b), a.cmp(b));
            assert_eq!(cmp_names(b, a), b.cmp(a));
        }
    }

    #[test]
    fn name_rules() {
        assert!(is_valid_name("newClientOrderId"));
        assert!(is_valid_name("a_b.c1"));
        assert!(!is_valid_name(""));
        assert!(!is_valid_name("a=b"));
        assert!(!is_valid_name("a&b"));
        assert!(!is_valid_name("ü"));
    }
}
