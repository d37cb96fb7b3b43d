//! Emulator settings, and the demo account that exists when no accounts file is given.

use std::time::Duration;

use ed25519_dalek::pkcs8::{EncodePrivateKey, EncodePublicKey};
use ed25519_dalek::SigningKey;
use rust_decimal::Decimal;
use sha2::{Digest, Sha256};

use crate::accounts::{AccountSpec, AccountsFile, KeySpec};
use crate::faults::Faults;
use crate::market::{default_markets, SymbolSpec};
use crate::rate_limit::Limits;

/// The HMAC API key printed in Binance's docs; the demo account accepts it.
pub const DEMO_HMAC_API_KEY: &str =
    "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
/// The HMAC secret printed in Binance's docs.
pub const DEMO_HMAC_SECRET: &str =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";

/// Settings for one emulator.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EmulatorConfig {
    /// Seed for generated ids and the demo Ed25519 key.
    pub seed: u64,
    /// Markets to trade.
    pub markets: Vec<SymbolSpec>,
    /// Accounts; `None` gives the demo account (see [`DemoKeys`]).
    pub accounts: Option<AccountsFile>,
    /// Rate limits.
    pub limits: Limits,
    /// How often the server pings (Binance: 20 s).
    pub ping_interval: Duration,
    /// Silence after which a connection without pongs is dropped (Binance: 1 min).
    pub pong_timeout: Duration,
    /// Longest a connection may live (Binance: 24 h).
    pub max_connection_age: Duration,
    /// Faults to inject from the start.
    pub faults: Faults,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            seed: 0x5eed,
            markets: default_markets(),
            accounts: None,
            limits: Limits::default(),
            ping_interval: Duration::from_secs(20),
            pong_timeout: Duration::from_secs(60),
            max_connection_age: Duration::from_secs(24 * 3600),
            faults: Faults::default(),
        }
    }
}

/// The demo account's keys: the HMAC pair from Binance's docs and an Ed25519 key derived from the
/// seed (local test material only).
#[derive(Clone)]
pub struct DemoKeys {
    /// HMAC API key.
    pub hmac_api_key: String,
    /// HMAC secret.
    pub hmac_secret: String,
    /// Ed25519 API key.
    pub ed25519_api_key: String,
    /// Ed25519 private key, PKCS#8 PEM.
    pub ed25519_private_pem: String,
    /// Ed25519 public key, PEM.
    pub ed25519_public_pem: String,
}

impl std::fmt::Debug for DemoKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoKeys")
            .field("hmac_api_key", &self.hmac_api_key)
            .field("ed25519_api_key", &self.ed25519_api_key)
            .finish_non_exhaustive()
    }
}

impl DemoKeys {
    /// The demo keys for `seed`.
    pub fn for_seed(seed: u64) -> Self {
        let digest = Sha256::digest(format!("binance-wsapi-emulator demo key {seed}").as_bytes());
        let mut secret = [0u8; 32];
        secret.copy_from_slice(&digest);
        let key = SigningKey::from_bytes(&secret);
        let private = key
            .to_pkcs8_pem(Default::default())
            .map(|p| p.to_string())
            .unwrap_or_default();
        let public = key
            .verifying_key()
            .to_public_key_pem(Default::default())
            .unwrap_or_default();
        let api_hex: String = Sha256::digest(digest)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Self {
            hmac_api_key: DEMO_HMAC_API_KEY.to_owned(),
            hmac_secret: DEMO_HMAC_SECRET.to_owned(),
            ed25519_api_key: format!("demoEd25519{}", &api_hex[..53]),
            ed25519_private_pem: private,
            ed25519_public_pem: public,
        }
    }

    /// The demo account, holding 1 000 000 USDT, 100 BTC, 1000 ETH and 10 000 BNB.
    pub fn account(&self) -> AccountsFile {
        let balance = |asset: &str, amount: i64| (asset.to_owned(), Decimal::from(amount));
        AccountsFile {
            accounts: vec![AccountSpec {
                name: "demo".into(),
                balances: [
                    balance("USDT", 1_000_000),
                    balance("BTC", 100),
                    balance("ETH", 1000),
                    balance("BNB", 10_000),
                ]
                .into(),
                api_keys: vec![
                    KeySpec {
                        api_key: self.hmac_api_key.clone(),
                        hmac_secret: Some(self.hmac_secret.clone()),
                        ed25519_public_key_pem: None,
                        rsa_public_key_pem: None,
                    },
                    KeySpec {
                        api_key: self.ed25519_api_key.clone(),
                        hmac_secret: None,
                        ed25519_public_key_pem: Some(self.ed25519_public_pem.clone()),
                        rsa_public_key_pem: None,
                    },
                ],
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_keys_are_deterministic_and_well_formed() {
        let a = DemoKeys::for_seed(1);
        let b = DemoKeys::for_seed(1);
        let c = DemoKeys::for_seed(2);
        assert_eq!(a.ed25519_private_pem, b.ed25519_private_pem);
        assert_ne!(a.ed25519_private_pem, c.ed25519_private_pem);
        assert_eq!(a.ed25519_api_key.len(), 64);
        assert!(a
            .ed25519_private_pem
            .starts_with("-----BEGIN PRIVATE KEY-----"));
        assert!(!format!("{a:?}").contains("PRIVATE"));
        assert!(a.account().accounts[0].api_keys[1].check().is_ok());
    }
}
