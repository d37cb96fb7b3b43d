//! RSA PKCS#1 v1.5 SHA-256 signatures in padded standard base64 (feature `rsa`).

use std::fmt;

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs1v15::SigningKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::signature::{SignatureEncoding, Signer as _};
use rsa::RsaPrivateKey;
use sha2::Sha256;

use super::{push_base64, KeyError, KeyKind, Signer};

/// Signs with an RSA private key (2048 to 4096 bits). Binance does not accept PSS.
///
/// The private key is zeroized on drop by the `rsa` crate.
pub struct RsaSigner {
    key: SigningKey<Sha256>,
}

impl RsaSigner {
    /// From PEM text: PKCS#8 (`BEGIN PRIVATE KEY`), encrypted PKCS#8 (`BEGIN ENCRYPTED PRIVATE
    /// KEY`, with `passphrase`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
    ///
    /// # Errors
    /// [`KeyError`] when the PEM is not an RSA private key in one of those forms, or cannot be
    /// decrypted.
    pub fn from_pem(pem: &str, passphrase: Option<&str>) -> Result<Self, KeyError> {
        let pem = pem.trim();
        let key = if pem.contains("BEGIN ENCRYPTED PRIVATE KEY") {
            let pass = passphrase.ok_or(KeyError::PassphraseNeeded { kind: KeyKind::Rsa })?;
            RsaPrivateKey::from_pkcs8_encrypted_pem(pem, pass)
                .map_err(|_| KeyError::Decrypt { kind: KeyKind::Rsa })?
        } else if pem.contains("BEGIN RSA PRIVATE KEY") {
            RsaPrivateKey::from_pkcs1_pem(pem).map_err(|e| unrecognised(&e))?
        } else {
            RsaPrivateKey::from_pkcs8_pem(pem).map_err(|e| unrecognised(&e))?
        };
        Ok(Self {
            key: SigningKey::new(key),
        })
    }
}

fn unrecognised(e: &dyn fmt::Display) -> KeyError {
    KeyError::Unrecognised {
        kind: KeyKind::Rsa,
        detail: e.to_string(),
    }
}

impl Signer for RsaSigner {
    fn key_kind(&self) -> KeyKind {
        KeyKind::Rsa
    }

    fn sign(&self, payload: &[u8], out: &mut String) -> Result<(), KeyError> {
        let signature = self
            .key
            .try_sign(payload)
            .map_err(|e| KeyError::Sign(e.to_string()))?;
        push_base64(&signature.to_bytes(), out);
        Ok(())
    }
}

impl fmt::Debug for RsaSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RsaSigner { key: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn garbage_is_a_clear_error() {
        assert!(matches!(
            RsaSigner::from_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
                None
            ),
            Err(KeyError::Unrecognised {
                kind: KeyKind::Rsa,
                ..
            })
        ));
        assert_eq!(
            RsaSigner::from_pem("-----BEGIN ENCRYPTED PRIVATE KEY-----\n", None).err(),
            Some(KeyError::PassphraseNeeded { kind: KeyKind::Rsa })
        );
    }
}
