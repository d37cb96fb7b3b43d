//! Request ids and client order ids: short ASCII strings stored inline, so that tracking a request
//! never allocates.

use std::fmt;

use crate::rng::SplitMix64;

/// Longest id Binance accepts, for request ids and client order ids alike.
pub const MAX_ID_LEN: usize = 36;

/// Why a text could not be used as an id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The text was empty.
    #[error("id is empty")]
    Empty,
    /// The text was longer than [`MAX_ID_LEN`] bytes.
    #[error("id is {len} characters long; at most {MAX_ID_LEN} are allowed")]
    TooLong {
        /// Length of the rejected text in bytes.
        len: usize,
    },
    /// The text had a character the id kind does not allow.
    #[error("id contains {found:?}, which is not allowed")]
    BadChar {
        /// The first offending character.
        found: char,
    },
}

/// An ASCII string of at most 36 bytes, stored inline and `Copy`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Short {
    len: u8,
    bytes: [u8; MAX_ID_LEN],
}

impl Short {
    fn parse(text: &str, extra_chars: &str) -> Result<Self, IdError> {
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        if let Some(found) = text.chars().find(|c| {
            !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || extra_chars.contains(*c))
        }) {
            return Err(IdError::BadChar { found });
        }
        if text.len() > MAX_ID_LEN {
            return Err(IdError::TooLong { len: text.len() });
        }
        let mut bytes = [0u8; MAX_ID_LEN];
        bytes[..text.len()].copy_from_slice(text.as_bytes());
        Ok(Self {
            len: text.len() as u8,
            bytes,
        })
    }

    fn as_str(&self) -> &str {
        let bytes = &self.bytes[..usize::from(self.len)];
        debug_assert!(bytes.is_ascii());
        // SAFETY: only ASCII bytes are ever stored (`parse` checks every character and
        // `ClientOrderId::generate` writes from an ASCII alphabet), and ASCII is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    }
}

/// The `id` of a request frame, echoed by the server in the reply.
///
/// Binance accepts a signed 64-bit integer or a string of at most 36 characters. The client picks
/// integers from a counter unless the caller chooses an id with [`crate::Request::id`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RequestId {
    /// An integer id, sent as a JSON number.
    Int(i64),
    /// A string id (`A-Z a-z 0-9 - _`, 1 to 36 characters), sent as a JSON string.
    Text(TextId),
}

/// The string form of a [`RequestId`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextId(Short);

impl TextId {
    /// Checks `text` (`A-Z a-z 0-9 - _`, 1 to 36 characters) and stores it inline.
    ///
    /// # Errors
    /// [`IdError`] when `text` is empty, longer than 36 bytes or has other characters than
    /// `A-Z a-z 0-9 - _`.
    pub fn new(text: &str) -> Result<Self, IdError> {
        Short::parse(text, "").map(Self)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl RequestId {
    /// A string request id; see [`TextId::new`] for the rules.
    ///
    /// # Errors
    /// [`IdError`] when the text is not a valid id.
    pub fn text(text: &str) -> Result<Self, IdError> {
        TextId::new(text).map(Self::Text)
    }

    /// Writes the id as a JSON value (number or string).
    pub(crate) fn write_json(&self, out: &mut String) {
        match self {
            Self::Int(n) => {
                let mut buf = itoa_buf();
                out.push_str(format_i64(*n, &mut buf));
            }
            Self::Text(t) => {
                // Ids are plain ASCII without quotes or backslashes: no escaping needed.
                out.push('"');
                out.push_str(t.as_str());
                out.push('"');
            }
        }
    }

    /// Reads an id from the raw JSON text of a reply's `id` field. `None` for `null` and for
    /// values that cannot be one of our ids.
    pub(crate) fn from_json(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if raw.starts_with('"') {
            let text: std::borrow::Cow<'_, str> = serde_json::from_str(raw).ok()?;
            Self::text(&text).ok()
        } else {
            raw.parse::<i64>().ok().map(Self::Int)
        }
    }
}

impl From<i64> for RequestId {
    fn from(n: i64) -> Self {
        Self::Int(n)
    }
}

impl fmt::Display for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(n) => write!(f, "{n}"),
            Self::Text(t) => f.write_str(t.as_str()),
        }
    }
}

impl fmt::Debug for RequestId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Int(n) => write!(f, "RequestId({n})"),
            Self::Text(t) => write!(f, "RequestId({:?})", t.as_str()),
        }
    }
}

impl fmt::Debug for TextId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// A client order id (`newClientOrderId`, `listClientOrderId`, `origClientOrderId`, ...).
///
/// Binance lets you reuse an id only after the earlier order with that id is done, and it is the key
/// for reconciling an order whose outcome is unknown, so the client fills one in for every order it
/// places when the caller gives none (see [`crate::Config::auto_client_order_id`]).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientOrderId(Short);

impl ClientOrderId {
    /// Checks `text` against Binance's rule for client order ids (`^[.A-Z:/a-z0-9_-]{1,36}$`) and
    /// stores it inline.
    ///
    /// # Errors
    /// [`IdError`] when the text does not match.
    pub fn new(text: &str) -> Result<Self, IdError> {
        Short::parse(text, ".:/").map(Self)
    }

    /// A fresh random id of 22 characters from `A-Z a-z 0-9 - _` (128 random bits) drawn from
    /// `rng`.
    ///
    /// Ids stay unique across process restarts as long as the client's seed is random.
    pub(crate) fn generate(rng: &mut SplitMix64) -> Self {
        const ALPHABET: &[u8; 64] =
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
        let (hi, lo) = (rng.next_u64(), rng.next_u64());
        let mut bytes = [0u8; MAX_ID_LEN];
        for (i, b) in bytes.iter_mut().take(22).enumerate() {
            // Six bits per character: 10 from `lo`, 10 from `hi`, and the last 8 bits of each
            // for the final two.
            let bits = match i {
                0..=9 => lo >> (6 * i),
                10..=19 => hi >> (6 * (i - 10)),
                20 => lo >> 60 | (hi >> 56) & 0x30,
                _ => hi >> 60,
            };
            *b = ALPHABET[(bits & 63) as usize];
        }
        Self(Short { len: 22, bytes })
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl fmt::Display for ClientOrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for ClientOrderId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientOrderId({:?})", self.as_str())
    }
}

impl std::str::FromStr for ClientOrderId {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, IdError> {
        Self::new(s)
    }
}

/// A stack buffer big enough for any `i64` in decimal.
pub(crate) fn itoa_buf() -> [u8; 20] {
    [0u8; 20]
}

/// Formats `n` into `buf` without allocating and returns the digits.
pub(crate) fn format_i64(n: i64, buf: &mut [u8; 20]) -> &str {
    let mut pos = buf.len();
    let negative = n < 0;
    let mut m = n.unsigned_abs();
    loop {
        pos -= 1;
        buf[pos] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if negative {
        pos -= 1;
        buf[pos] = b'-';
    }
    std::str::from_utf8(&buf[pos..]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_ids_follow_binance_rules() {
        assert!(RequestId::text("e2a85d9f-07a5-4f94-8d5f-789dc3deb097").is_ok());
        assert_eq!(RequestId::text(""), Err(IdError::Empty));
        assert_eq!(
            RequestId::text("5132affb-bbf9-4d0e-9b0a-f262504556b43"),
            Err(IdError::TooLong { len: 37 })
        );
        assert_eq!(RequestId::text("a b"), Err(IdError::BadChar { found: ' ' }));
        assert_eq!(RequestId::text("\"x"), Err(IdError::BadChar { found: '"' }));
    }

    #[test]
    fn ids_round_trip_through_json() {
        for id in [
            RequestId::Int(0),
            RequestId::Int(-9_223_372_036_854_775_808),
            RequestId::Int(i64::MAX),
            RequestId::text("abc-DEF_123").unwrap(),
        ] {
            let mut json = String::new();
            id.write_json(&mut json);
            assert_eq!(RequestId::from_json(&json), Some(id), "{json}");
        }
        assert_eq!(RequestId::from_json("null"), None);
        assert_eq!(RequestId::from_json("1.5"), None);
        assert_eq!(
            RequestId::from_json("\"\\u0061\""),
            Some(RequestId::text("a").unwrap())
        );
    }

    #[test]
    fn generated_client_order_ids_are_valid_and_distinct() {
        let mut rng = SplitMix64::new(7);
        let a = ClientOrderId::generate(&mut rng);
        let b = ClientOrderId::generate(&mut rng);
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 22);
        assert_eq!(ClientOrderId::new(a.as_str()), Ok(a));
        assert!(ClientOrderId::new("web.a:b/c-d_e").is_ok());
        assert!(RequestId::text("a.b").is_err());
    }

    #[test]
    fn formats_integers_like_std() {
        for n in [0, 1, -1, 10, 1_645_423_376_532, i64::MIN, i64::MAX] {
            let mut buf = itoa_buf();
            assert_eq!(format_i64(n, &mut buf), n.to_string());
        }
    }
}
