//! HMAC-SHA256 signatures in lowercase hex.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{KeyError, KeyKind, Signer};

/// Signs with an HMAC-SHA256 secret; the signature is 64 lowercase hex digits.
///
/// HMAC keys are the oldest kind and Binance calls them deprecated; they cannot be used for
/// `session.logon`.
pub struct HmacSigner {
    secret: Zeroizing<Vec<u8>>,
}

impl HmacSigner {
    /// Keeps a copy of `secret` (the "Secret Key" string, used as raw bytes).
    ///
    /// # Errors
    /// [`KeyError::EmptySecret`] for an empty secret.
    pub fn new(secret: &str) -> Result<Self, KeyError> {
        if secret.is_empty() {
            return Err(KeyError::EmptySecret);
        }
        Ok(Self {
            secret: Zeroizing::new(secret.as_bytes().to_vec()),
        })
    }
}

impl Signer for HmacSigner {
    fn key_kind(&self) -> KeyKind {
        KeyKind::Hmac
    }

    fn sign(&self, payload: &[u8], out: &mut String) -> Result<(), KeyError> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.secret)
            .map_err(|e| KeyError::Sign(e.to_string()))?;
        mac.update(payload);
        push_hex(&mac.finalize().into_bytes(), out);
        Ok(())
    }
}

impl fmt::Debug for HmacSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HmacSigner { secret: <redacted> }")
    }
}

/// Lowercase hex, written straight into `out`.
pub(crate) fn push_hex(bytes: &[u8], out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4231_case_2() {
        let signer = HmacSigner::new("Jefe").unwrap();
        let mut out = String::new();
        signer
            .sign(b"what do ya want for nothing?", &mut out)
            .unwrap();
        assert_eq!(
            out,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn empty_secret_is_refused() {
        assert_eq!(HmacSigner::new("").err(), Some(KeyError::EmptySecret));
    }

    #[test]
    fn debug_is_redacted() {
        let text = format!("{:?}", HmacSigner::new("s3cr3t").unwrap());
        assert!(!text.contains("s3cr3t"));
    }
}
