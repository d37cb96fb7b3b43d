//! Ed25519 signatures in padded standard base64. Binance's recommended key kind, and the only one
//! that `session.logon` accepts.

use std::fmt;

use base64::Engine as _;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePublicKey};
use ed25519_dalek::{Signer as _, SigningKey};
use zeroize::Zeroizing;

use super::{push_base64, KeyError, KeyKind, Signer};

/// Signs with an Ed25519 private key. The key is zeroized on drop.
pub struct Ed25519Signer {
    key: SigningKey,
}

impl Ed25519Signer {
    /// From the raw 32-byte private key (seed).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            key: SigningKey::from_bytes(seed),
        }
    }

    /// From a PKCS#8 PEM (`BEGIN PRIVATE KEY`), or an encrypted one (`BEGIN ENCRYPTED PRIVATE
    /// KEY`, PBES2) with its passphrase.
    ///
    /// # Errors
    /// [`KeyError`] when the PEM is not an Ed25519 key, is encrypted and no passphrase was given,
    /// or cannot be decrypted.
    pub fn from_pkcs8_pem(pem: &str, passphrase: Option<&str>) -> Result<Self, KeyError> {
        let pem = pem.trim();
        if pem.contains("ENCRYPTED PRIVATE KEY") {
            let pass = passphrase.ok_or(KeyError::PassphraseNeeded {
                kind: KeyKind::Ed25519,
            })?;
            let key =
                SigningKey::from_pkcs8_encrypted_pem(pem, pass).map_err(|_| KeyError::Decrypt {
                    kind: KeyKind::Ed25519,
                })?;
            return Ok(Self { key });
        }
        SigningKey::from_pkcs8_pem(pem)
            .map(|key| Self { key })
            .map_err(|e| unrecognised(&e))
    }

    /// From PKCS#8 DER bytes.
    ///
    /// # Errors
    /// [`KeyError::Unrecognised`] when the bytes are not an Ed25519 PKCS#8 key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, KeyError> {
        SigningKey::from_pkcs8_der(der)
            .map(|key| Self { key })
            .map_err(|e| unrecognised(&e))
    }

    /// From base64 text holding either the 32-byte seed or a PKCS#8 DER key.
    ///
    /// # Errors
    /// [`KeyError::Unrecognised`] when the text is not base64 of one of those.
    pub fn from_base64(text: &str) -> Result<Self, KeyError> {
        let bytes = Zeroizing::new(
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| unrecognised(&e))?,
        );
        match <&[u8; 32]>::try_from(bytes.as_slice()) {
            Ok(seed) => Ok(Self::from_seed(seed)),
            Err(_) => Self::from_pkcs8_der(&bytes),
        }
    }

    /// From whatever form the text is in: PEM (plain or encrypted), base64 seed or base64 DER,
    /// or 64 hex digits of the seed.
    ///
    /// # Errors
    /// [`KeyError`] when no form matches.
    pub fn from_text(text: &str, passphrase: Option<&str>) -> Result<Self, KeyError> {
        let text = text.trim();
        if text.starts_with("-----BEGIN") {
            return Self::from_pkcs8_pem(text, passphrase);
        }
        if text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            let mut seed = Zeroizing::new([0u8; 32]);
            for (i, byte) in seed.iter_mut().enumerate() {
                let pair = &text[2 * i..2 * i + 2];
                *byte = u8::from_str_radix(pair, 16).map_err(|e| unrecognised(&e))?;
            }
            return Ok(Self::from_seed(&seed));
        }
        Self::from_base64(text).map_err(|e| match e {
            KeyError::Unrecognised { kind, detail } => KeyError::Unrecognised {
                kind,
                detail: format!(
                    "expected a PEM, 64 hex digits, or base64 of a 32-byte seed or of PKCS#8 DER \
                     ({detail})"
                ),
            },
            other => other,
        })
    }

    /// The public key as a PEM (`BEGIN PUBLIC KEY`), the form Binance asks for when you register
    /// the key.
    ///
    /// # Errors
    /// [`KeyError::Unrecognised`] if encoding fails (it does not for valid keys).
    pub fn public_key_pem(&self) -> Result<String, KeyError> {
        self.key
            .verifying_key()
            .to_public_key_pem(Default::default())
            .map_err(|e| unrecognised(&e))
    }

    /// The raw 32-byte public key.
    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.key.verifying_key().to_bytes()
    }
}

fn unrecognised(e: &dyn fmt::Display) -> KeyError {
    KeyError::Unrecognised {
        kind: KeyKind::Ed25519,
        detail: e.to_string(),
    }
}

impl Signer for Ed25519Signer {
    fn key_kind(&self) -> KeyKind {
        KeyKind::Ed25519
    }

    fn sign(&self, payload: &[u8], out: &mut String) -> Result<(), KeyError> {
        let signature = self.key.sign(payload);
        push_base64(&signature.to_bytes(), out);
        Ok(())
    }
}

impl fmt::Debug for Ed25519Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Ed25519Signer { key: <redacted> }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The Ed25519 test key published in Binance's FIX API docs.
    const PEM: &str = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u\n-----END PRIVATE KEY-----\n";
    const PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=\n-----END PUBLIC KEY-----\n";

    fn sig(signer: &Ed25519Signer) -> String {
        let mut out = String::new();
        signer.sign(b"apiKey=x&timestamp=1", &mut out).unwrap();
        out
    }

    #[test]
    fn every_key_form_gives_the_same_key() {
        let from_pem = Ed25519Signer::from_text(PEM, None).unwrap();
        assert_eq!(from_pem.public_key_pem().unwrap(), PUBLIC_PEM);
        let der_b64 = "MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u";
        let from_der = Ed25519Signer::from_text(der_b64, None).unwrap();
        let der = base64::engine::general_purpose::STANDARD
            .decode(der_b64)
            .unwrap();
        let seed: [u8; 32] = der[der.len() - 32..].try_into().unwrap();
        let from_seed = Ed25519Signer::from_seed(&seed);
        let seed_b64 = base64::engine::general_purpose::STANDARD.encode(seed);
        let from_seed_b64 = Ed25519Signer::from_text(&seed_b64, None).unwrap();
        let hex: String = seed.iter().map(|b| format!("{b:02x}")).collect();
        let from_hex = Ed25519Signer::from_text(&hex, None).unwrap();
        let expected = sig(&from_pem);
        assert_eq!(expected.len(), 88);
        for other in [from_der, from_seed, from_seed_b64, from_hex] {
            assert_eq!(sig(&other), expected);
        }
    }

    #[test]
    fn bad_key_text_is_a_clear_error() {
        assert!(matches!(
            Ed25519Signer::from_text("not a key", None),
            Err(KeyError::Unrecognised {
                kind: KeyKind::Ed25519,
                ..
            })
        ));
        let err = Ed25519Signer::from_text(PUBLIC_PEM, None).unwrap_err();
        assert!(matches!(err, KeyError::Unrecognised { .. }), "{err:?}");
    }

    #[test]
    fn debug_is_redacted() {
        let signer = Ed25519Signer::from_text(PEM, None).unwrap();
        assert_eq!(format!("{signer:?}"), "Ed25519Signer { key: <redacted> }");
    }
}
