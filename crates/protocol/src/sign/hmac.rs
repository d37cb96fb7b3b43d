//! HMAC-SHA256 signatures in lowercase hex.

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroize;

use super::{KeyError, KeyKind, Signer};

/// Signs with an HMAC-SHA256 secret; the signature is 64 lowercase hex digits.
///
/// The key schedule (the hashed inner and outer pads) is computed once, so each signature costs
/// only the hashing of the payload. That keyed state is as secret as the key itself: it is never
/// printed and is zeroized on drop. HMAC keys are the oldest kind and Binance calls them
/// deprecated; they cannot be used for `session.logon`.
pub struct HmacSigner {
    keyed: Hmac<Sha256>,
}

impl HmacSigner {
    /// Prepares a signer for `secret` (the "Secret Key" string, used as raw bytes).
    ///
    /// # Errors
    /// [`KeyError::EmptySecret`] for an empty secret.
    pub fn new(secret: &str) -> Result<Self, KeyError> {
        if secret.is_empty() {
            return Err(KeyError::EmptySecret);
        }
        let keyed = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
            .map_err(|e| KeyError::Sign(e.to_string()))?;
        Ok(Self { keyed })
    }
}

impl Drop for HmacSigner {
    fn drop(&mut self) {
        // `Hmac<Sha256>` is plain data (hash states and a block buffer: integers and byte arrays,
        // no pointers, no drop glue), so overwriting its bytes with zeros is sound and erases the
        // key-derived state before the memory is freed.
        let len = size_of::<Hmac<Sha256>>();
        let ptr = std::ptr::addr_of_mut!(self.keyed).cast::<u8>();
        // SAFETY: `ptr` points to `len` bytes owned by `self.keyed`, which is never used again.
        unsafe { std::slice::from_raw_parts_mut(ptr, len) }.zeroize();
    }
}

impl Signer for HmacSigner {
    fn key_kind(&self) -> KeyKind {
        KeyKind::Hmac
    }

    fn sign(&self, payload: &[u8], out: &mut String) -> Result<(), KeyError> {
        let mut mac = self.keyed.clone();
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
    fn rfc4231_cases() {
        let signer = HmacSigner::new("Jefe").unwrap();
        let mut out = String::new();
        signer
            .sign(b"what do ya want for nothing?", &mut out)
            .unwrap();
        assert_eq!(
            out,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        // Signing twice from the same keyed state gives the same result.
        let mut again = String::new();
        signer
            .sign(b"what do ya want for nothing?", &mut again)
            .unwrap();
        assert_eq!(again, out);
        // A key longer than the block size is hashed first (RFC 4231 case 6).
        let long_key: String = std::iter::repeat_n('\u{aa}', 1).collect::<String>();
        assert!(HmacSigner::new(&long_key.repeat(131)).is_ok());
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
