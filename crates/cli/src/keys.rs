//! Credentials from flags or environment variables, loaded without ever printing a secret.

use binance_wsapi_proto::Credentials;

/// Key flags shared by `call` and `frame`.
#[derive(Debug, Clone, Default, clap::Args)]
pub(crate) struct KeyArgs {
    /// API key.
    #[arg(long, env = "BINANCE_API_KEY", hide_env_values = true)]
    pub(crate) api_key: Option<String>,
    /// HMAC secret.
    #[arg(long, env = "BINANCE_API_SECRET", hide_env_values = true)]
    pub(crate) secret: Option<String>,
    /// Ed25519 private key file (PEM, base64 or hex).
    #[arg(long, env = "BINANCE_ED25519_KEY", value_name = "FILE")]
    pub(crate) ed25519_key: Option<std::path::PathBuf>,
    /// RSA private key file (PKCS#8 or PKCS#1 PEM).
    #[arg(long, env = "BINANCE_RSA_KEY", value_name = "FILE")]
    pub(crate) rsa_key: Option<std::path::PathBuf>,
    /// Passphrase of an encrypted key file.
    #[arg(long, env = "BINANCE_KEY_PASSPHRASE", hide_env_values = true)]
    pub(crate) passphrase: Option<String>,
}

impl KeyArgs {
    /// The credentials the flags describe; `None` when no key was given.
    pub(crate) fn credentials(&self) -> Result<Option<Credentials>, String> {
        let Some(api_key) = self.api_key.as_deref() else {
            if self.secret.is_some() || self.ed25519_key.is_some() || self.rsa_key.is_some() {
                return Err("a secret or key file was given without --api-key".into());
            }
            return Ok(None);
        };
        let read = |path: &std::path::Path| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read key file {}: {e}", path.display()))
        };
        let pass = self.passphrase.as_deref();
        let creds = match (&self.secret, &self.ed25519_key, &self.rsa_key) {
            (Some(secret), None, None) => Credentials::hmac(api_key, secret),
            (None, Some(path), None) => Credentials::ed25519(api_key, &read(path)?, pass),
            (None, None, Some(path)) => Credentials::rsa(api_key, &read(path)?, pass),
            (None, None, None) => {
                return Err("--api-key needs --secret, --ed25519-key or --rsa-key".into())
            }
            _ => return Err("give only one of --secret, --ed25519-key, --rsa-key".into()),
        };
        creds.map(Some).map_err(|e| format!("bad key: {e}"))
    }
}
