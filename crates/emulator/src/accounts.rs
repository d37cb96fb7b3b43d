//! Accounts, their balances and their API keys, and checking signatures the way Binance does.

use std::collections::BTreeMap;
use std::fmt;

use base64::Engine as _;
use ed25519_dalek::pkcs8::DecodePublicKey as _;
use ed25519_dalek::{Signature, Verifier as _, VerifyingKey};
use hmac::{Hmac, Mac};
use rsa::pkcs1v15::{Signature as RsaSignature, VerifyingKey as RsaVerifyingKey};
use rsa::RsaPublicKey;
use rust_decimal::Decimal;
use serde::Deserialize;
use sha2::Sha256;

/// Index of an account in the exchange.
pub type AccountId = usize;

/// How a key's signatures are checked.
pub enum KeyCheck {
    /// HMAC-SHA256 with this secret; hex, compared case-insensitively.
    Hmac(Vec<u8>),
    /// Ed25519 with this public key; base64.
    Ed25519(VerifyingKey),
    /// RSA PKCS#1 v1.5 SHA-256 with this public key; base64.
    Rsa(Box<RsaVerifyingKey<Sha256>>),
}

impl fmt::Debug for KeyCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Hmac(_) => "Hmac(<redacted>)",
            Self::Ed25519(_) => "Ed25519",
            Self::Rsa(_) => "Rsa",
        })
    }
}

impl KeyCheck {
    /// Whether `signature` signs `payload`.
    pub fn verify(&self, payload: &[u8], signature: &str) -> bool {
        match self {
            Self::Hmac(secret) => {
                let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
                    return false;
                };
                mac.update(payload);
                let expected = mac.finalize().into_bytes();
                let hex: String = expected.iter().map(|b| format!("{b:02x}")).collect();
                hex.eq_ignore_ascii_case(signature)
            }
            Self::Ed25519(key) => decode_b64(signature)
                .and_then(|b| Signature::from_slice(&b).ok())
                .is_some_and(|sig| key.verify(payload, &sig).is_ok()),
            Self::Rsa(key) => decode_b64(signature)
                .and_then(|b| RsaSignature::try_from(b.as_slice()).ok())
                .is_some_and(|sig| {
                    use rsa::signature::Verifier as _;
                    key.verify(payload, &sig).is_ok()
                }),
        }
    }

    /// Whether `session.logon` accepts this key.
    pub fn is_ed25519(&self) -> bool {
        matches!(self, Self::Ed25519(_))
    }
}

fn decode_b64(text: &str) -> Option<Vec<u8>> {
    base64::engine::general_purpose::STANDARD.decode(text).ok()
}

/// An API key registered with an account.
#[derive(Debug)]
pub struct ApiKey {
    /// The key string.
    pub api_key: String,
    /// How its signatures are checked.
    pub check: KeyCheck,
    /// The account it belongs to.
    pub account: AccountId,
}

/// Free and locked amounts of one asset.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Balance {
    /// Available.
    pub free: Decimal,
    /// Held by open orders.
    pub locked: Decimal,
}

/// One account.
#[derive(Debug, Clone)]
pub struct Account {
    /// Its name in the accounts file.
    pub name: String,
    /// Balances by asset.
    pub balances: BTreeMap<String, Balance>,
    /// Binance's user id.
    pub uid: u64,
    /// When balances last changed (ms).
    pub update_time: i64,
}

impl Account {
    /// The balance of `asset` (zero if never held).
    pub fn balance(&self, asset: &str) -> Balance {
        self.balances.get(asset).copied().unwrap_or_default()
    }

    /// Mutable balance of `asset`, created at zero.
    pub fn balance_mut(&mut self, asset: &str) -> &mut Balance {
        self.balances.entry(asset.to_owned()).or_default()
    }
}

/// The accounts file: `{"accounts":[{"name", "balances", "api_keys":[...]}]}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountsFile {
    /// The accounts.
    pub accounts: Vec<AccountSpec>,
}

/// One account in the accounts file.
#[derive(Debug, Clone, Deserialize)]
pub struct AccountSpec {
    /// A name for logs and errors.
    pub name: String,
    /// Starting balances, as decimal strings.
    #[serde(default)]
    pub balances: BTreeMap<String, Decimal>,
    /// Its API keys.
    #[serde(default)]
    pub api_keys: Vec<KeySpec>,
}

/// One API key in the accounts file: the key and exactly one way to check it.
#[derive(Clone, Deserialize)]
pub struct KeySpec {
    /// The API key string.
    pub api_key: String,
    /// The HMAC secret.
    #[serde(default)]
    pub hmac_secret: Option<String>,
    /// The Ed25519 public key (PEM).
    #[serde(default)]
    pub ed25519_public_key_pem: Option<String>,
    /// The RSA public key (PEM).
    #[serde(default)]
    pub rsa_public_key_pem: Option<String>,
}

impl fmt::Debug for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySpec")
            .field("api_key", &self.api_key)
            .finish_non_exhaustive()
    }
}

/// Why an accounts file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccountsError {
    /// Not valid JSON of the expected shape.
    #[error("accounts file: {0}")]
    Json(#[from] serde_json::Error),
    /// A key has no way, or more than one way, to check signatures.
    #[error("api key {0:?} needs exactly one of hmac_secret, ed25519_public_key_pem, rsa_public_key_pem")]
    KeyKind(String),
    /// A public key PEM could not be read.
    #[error("api key {0:?}: unreadable public key: {1}")]
    BadPem(String, String),
    /// The same API key twice.
    #[error("api key {0:?} appears twice")]
    DuplicateKey(String),
    /// An account name used twice.
    #[error("account {0:?} appears twice")]
    DuplicateAccount(String),
}

impl KeySpec {
    /// Builds the signature check for this key.
    ///
    /// # Errors
    /// [`AccountsError`] when there is not exactly one key kind or the PEM is unreadable.
    pub fn check(&self) -> Result<KeyCheck, AccountsError> {
        let bad = |e: &dyn fmt::Display| AccountsError::BadPem(self.api_key.clone(), e.to_string());
        match (
            &self.hmac_secret,
            &self.ed25519_public_key_pem,
            &self.rsa_public_key_pem,
        ) {
            (Some(secret), None, None) if !secret.is_empty() => {
                Ok(KeyCheck::Hmac(secret.as_bytes().to_vec()))
            }
            (None, Some(pem), None) => VerifyingKey::from_public_key_pem(pem.trim())
                .map(KeyCheck::Ed25519)
                .map_err(|e| bad(&e)),
            (None, None, Some(pem)) => RsaPublicKey::from_public_key_pem(pem.trim())
                .map(|k| KeyCheck::Rsa(Box::new(RsaVerifyingKey::new(k))))
                .map_err(|e| bad(&e)),
            _ => Err(AccountsError::KeyKind(self.api_key.clone())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifies_the_documented_hmac_example() {
        let check = KeyCheck::Hmac(
            b"NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j".to_vec(),
        );
        let payload = "apiKey=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT";
        assert!(check.verify(
            payload.as_bytes(),
            "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"
        ));
        assert!(check.verify(
            payload.as_bytes(),
            "AA1B5712C094BC4E57C05A1A5C1FD8D88DCD628338EA863FEC7B88E59FE2DB24"
        ));
        assert!(!check.verify(
            b"other",
            "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"
        ));
    }

    #[test]
    fn verifies_derived_ed25519_vector() {
        let spec = KeySpec {
            api_key: "k".into(),
            hmac_secret: None,
            ed25519_public_key_pem: Some("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGUIKv9dSpWXBViXp2m6vAIb8QMFJYBgyFEQsFJlqgA0=\n-----END PUBLIC KEY-----\n".into()),
            rsa_public_key_pem: None,
        };
        let check = spec.check().unwrap();
        let payload = "apiKey=4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO&timestamp=1649729878532";
        assert!(check.verify(payload.as_bytes(), "cGkloHLHGGNbrduoWDYBlzIPwRHyDVYVfCE0rDkPwKdKedurBgm2JNWRkwloQDBFG6Mcloavo1siYfEtZbV/Ag=="));
        assert!(!check.verify(payload.as_bytes(), "AAAA"));
    }

    #[test]
    fn key_specs_need_exactly_one_kind() {
        let spec = KeySpec {
            api_key: "k".into(),
            hmac_secret: None,
            ed25519_public_key_pem: None,
            rsa_public_key_pem: None,
        };
        assert!(matches!(spec.check(), Err(AccountsError::KeyKind(_))));
    }
}
