//! Request signing: the [`Signer`] trait, the three key types Binance accepts, and
//! [`Credentials`] (an API key with its signer).
//!
//! Secret material never appears in `Debug` or `Display` output and is zeroized when dropped.

use std::fmt;
use std::sync::Arc;

mod ed25519;
mod hmac;
#[cfg(feature = "rsa")]
mod rsa;

pub use self::ed25519::Ed25519Signer;
pub use self::hmac::HmacSigner;
#[cfg(feature = "rsa")]
pub use self::rsa::RsaSigner;

/// The kind of API key behind a signer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyKind {
    /// HMAC-SHA256 with a shared secret; signature in lowercase hex.
    Hmac,
    /// Ed25519; signature in padded standard base64. The only kind `session.logon` accepts.
    Ed25519,
    /// RSA PKCS#1 v1.5 with SHA-256; signature in padded standard base64.
    Rsa,
}

/// Why a key could not be loaded or a payload could not be signed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The HMAC secret was empty.
    #[error("the HMAC secret is empty")]
    EmptySecret,
    /// The key text was not in any form this loader understands.
    #[error("unrecognised {kind:?} key: {detail}")]
    Unrecognised {
        /// Which kind of key was expected.
        kind: KeyKind,
        /// What went wrong (never contains key material).
        detail: String,
    },
    /// The key is encrypted and no passphrase was given.
    #[error("the {kind:?} key is encrypted; a passphrase is needed")]
    PassphraseNeeded {
        /// Which kind of key was expected.
        kind: KeyKind,
    },
    /// Decrypting the key failed (wrong passphrase or unsupported cipher).
    #[error("could not decrypt the {kind:?} key (wrong passphrase or unsupported cipher)")]
    Decrypt {
        /// Which kind of key was expected.
        kind: KeyKind,
    },
    /// The signing operation itself failed.
    #[error("signing failed: {0}")]
    Sign(String),
}

/// Produces the `signature` parameter for a payload.
///
/// Implement it to keep keys in an HSM or another process; the built-in signers are
/// [`HmacSigner`], [`Ed25519Signer`] and `RsaSigner` (feature `rsa`).
pub trait Signer: Send + Sync + fmt::Debug {
    /// The kind of key, which decides the signature encoding and whether `session.logon` works.
    fn key_kind(&self) -> KeyKind;

    /// Signs `payload` (the UTF-8 bytes of the sorted `k=v&...` text) and appends the encoded
    /// signature to `out`.
    ///
    /// # Errors
    /// [`KeyError::Sign`] when the signer cannot sign (e.g. a remote signer is unreachable).
    fn sign(&self, payload: &[u8], out: &mut String) -> Result<(), KeyError>;
}

/// An API key and the signer for its secret. Cheap to clone and share.
#[derive(Clone)]
pub struct Credentials {
    api_key: Arc<str>,
    signer: Arc<dyn Signer>,
}

impl Credentials {
    /// Pairs an API key with any signer.
    pub fn new(api_key: impl Into<Arc<str>>, signer: impl Signer + 'static) -> Self {
        Self {
            api_key: api_key.into(),
            signer: Arc::new(signer),
        }
    }

    /// An HMAC-SHA256 key pair, as shown on Binance's API management page.
    ///
    /// # Errors
    /// [`KeyError::EmptySecret`] for an empty secret.
    pub fn hmac(api_key: impl Into<Arc<str>>, secret: &str) -> Result<Self, KeyError> {
        Ok(Self::new(api_key, HmacSigner::new(secret)?))
    }

    /// An Ed25519 key from text in any form [`Ed25519Signer::from_text`] accepts.
    ///
    /// # Errors
    /// [`KeyError`] when the key text cannot be read.
    pub fn ed25519(
        api_key: impl Into<Arc<str>>,
        key_text: &str,
        passphrase: Option<&str>,
    ) -> Result<Self, KeyError> {
        Ok(Self::new(
            api_key,
            Ed25519Signer::from_text(key_text, passphrase)?,
        ))
    }

    /// An RSA key from PKCS#8 or PKCS#1 PEM text (feature `rsa`).
    ///
    /// # Errors
    /// [`KeyError`] when the key text cannot be read.
    #[cfg(feature = "rsa")]
    pub fn rsa(
        api_key: impl Into<Arc<str>>,
        pem: &str,
        passphrase: Option<&str>,
    ) -> Result<Self, KeyError> {
        Ok(Self::new(api_key, RsaSigner::from_pem(pem, passphrase)?))
    }

    /// The API key (not secret, but still left out of `Debug`).
    pub fn api_key(&self) -> &str {
        &self.api_key
    }

    /// The signer.
    pub fn signer(&self) -> &dyn Signer {
        &*self.signer
    }

    /// The kind of key.
    pub fn key_kind(&self) -> KeyKind {
        self.signer.key_kind()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String = self.api_key.chars().take(4).collect();
        f.debug_struct("Credentials")
            .field("api_key", &format_args!("{shown}…"))
            .field("key_kind", &self.key_kind())
            .finish()
    }
}

/// Standard base64 with padding, as Binance wants for RSA and Ed25519 signatures.
pub(crate) fn push_base64(bytes: &[u8], out: &mut String) {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode_string(bytes, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets_and_most_of_the_key() {
        let creds = Credentials::hmac("vmPUZE6mv9SD5VNHk4Hl", "top-secret-value").unwrap();
        let text = format!("{creds:?}");
        assert!(text.contains("vmPU…"), "{text}");
        assert!(!text.contains("vmPUZE6"), "{text}");
        assert!(!text.contains("top-secret"), "{text}");
        assert!(text.contains("Hmac"), "{text}");
    }
}
