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

/// The emulator's settings file (JSON). Every field is optional; unknown fields are refused so that
/// a typo does not pass silently.
///
/// ```json
/// {"seed": 7, "ping_interval_ms": 20000, "pong_timeout_ms": 60000, "max_connection_age_ms": 86400000,
///  "limits": {"weight_per_minute": 6000, "orders_per_10s": 50, "orders_per_day": 160000,
///             "violations_before_ban": 5, "ban_ms": 120000, "connections_per_5min": 300},
///  "faults": {"refuse_connections": false, "drop_after_frames": null, "drop_mid_order": 0,
///             "reply_delay_ms": null, "reorder_delay_ms": null, "duplicate_replies": false,
///             "garbage_before_reply": false, "binary_before_reply": false, "clock_skew_ms": 0,
///             "throttle_ms": null, "answer_429": 0}}
/// ```
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
struct ConfigFile {
    seed: Option<u64>,
    ping_interval_ms: Option<u64>,
    pong_timeout_ms: Option<u64>,
    max_connection_age_ms: Option<u64>,
    limits: Option<LimitsFile>,
    faults: Option<FaultsFile>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LimitsFile {
    weight_per_minute: Option<u64>,
    orders_per_10s: Option<u64>,
    orders_per_day: Option<u64>,
    violations_before_ban: Option<u32>,
    ban_ms: Option<i64>,
    connections_per_5min: Option<u64>,
}

#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
struct FaultsFile {
    refuse_connections: bool,
    drop_after_frames: Option<u64>,
    drop_mid_order: u32,
    reply_delay_ms: Option<u64>,
    reorder_delay_ms: Option<u64>,
    duplicate_replies: bool,
    garbage_before_reply: bool,
    binary_before_reply: bool,
    clock_skew_ms: i64,
    throttle_ms: Option<u64>,
    answer_429: u32,
}

impl EmulatorConfig {
    /// Applies a settings file (see the format above) over these settings.
    ///
    /// # Errors
    /// The JSON error, naming the unknown or malformed field.
    pub fn apply_json(&mut self, text: &str) -> Result<(), serde_json::Error> {
        let file: ConfigFile = serde_json::from_str(text)?;
        let ms = Duration::from_millis;
        if let Some(seed) = file.seed {
            self.seed = seed;
        }
        if let Some(v) = file.ping_interval_ms {
            self.ping_interval = ms(v);
        }
        if let Some(v) = file.pong_timeout_ms {
            self.pong_timeout = ms(v);
        }
        if let Some(v) = file.max_connection_age_ms {
            self.max_connection_age = ms(v);
        }
        if let Some(l) = file.limits {
            let limits = &mut self.limits;
            limits.weight_per_minute = l.weight_per_minute.unwrap_or(limits.weight_per_minute);
            limits.orders_per_10s = l.orders_per_10s.unwrap_or(limits.orders_per_10s);
            limits.orders_per_day = l.orders_per_day.unwrap_or(limits.orders_per_day);
            limits.violations_before_ban = l
                .violations_before_ban
                .unwrap_or(limits.violations_before_ban);
            limits.ban_ms = l.ban_ms.unwrap_or(limits.ban_ms);
            limits.connections_per_5min = l
                .connections_per_5min
                .unwrap_or(limits.connections_per_5min);
        }
        if let Some(f) = file.faults {
            self.faults = Faults {
                refuse_connections: f.refuse_connections,
                drop_after_frames: f.drop_after_frames,
                drop_mid_order: f.drop_mid_order,
                reply_delay: f.reply_delay_ms.map(ms),
                reorder_delay: f.reorder_delay_ms.map(ms),
                duplicate_replies: f.duplicate_replies,
                garbage_before_reply: f.garbage_before_reply,
                binary_before_reply: f.binary_before_reply,
                clock_skew_ms: f.clock_skew_ms,
                throttle: f.throttle_ms.map(ms),
                answer_429: f.answer_429,
            };
        }
        Ok(())
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
    fn settings_files_apply_over_the_defaults_and_refuse_typos() {
        let mut c = EmulatorConfig::default();
        c.apply_json(
            r#"{"seed": 9, "ping_interval_ms": 50, "limits": {"orders_per_10s": 3},
                         "faults": {"drop_mid_order": 2, "reply_delay_ms": 10}}"#,
        )
        .unwrap();
        assert_eq!(c.seed, 9);
        assert_eq!(c.ping_interval, Duration::from_millis(50));
        assert_eq!(c.limits.orders_per_10s, 3);
        assert_eq!(c.limits.weight_per_minute, 6000, "untouched");
        assert_eq!(c.faults.drop_mid_order, 2);
        assert_eq!(c.faults.reply_delay, Some(Duration::from_millis(10)));
        let err = c
            .apply_json(r#"{"limits": {"orders_per_10sec": 3}}"#)
            .unwrap_err();
        assert!(err.to_string().contains("orders_per_10sec"), "{err}");
    }

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
