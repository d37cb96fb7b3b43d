//! TLS settings: rustls with the ring provider, and the root certificates to trust.

use std::sync::Arc;

use rustls::{ClientConfig, RootCertStore};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::CertificateDer;

use crate::Error;

/// Which certificate authorities to trust for `wss://` URLs.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum Roots {
    /// The Mozilla root store compiled in (`webpki-roots`).
    #[default]
    WebPki,
    /// Only these certificates (DER), e.g. a private CA in front of a test setup.
    Custom(Vec<CertificateDer<'static>>),
}

impl Roots {
    /// Certificates from PEM text (one or more `BEGIN CERTIFICATE` blocks).
    ///
    /// # Errors
    /// [`Error::Tls`] if the PEM holds no readable certificate.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_slice_iter(pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Tls(format!("bad root PEM: {e}")))?;
        if certs.is_empty() {
            return Err(Error::Tls("no certificate in root PEM".into()));
        }
        Ok(Self::Custom(certs))
    }

    /// A rustls client configuration that trusts these roots, with the ring provider (also used
    /// by the async adapter).
    ///
    /// # Errors
    /// [`Error::Tls`] when a custom certificate is unusable.
    pub fn client_config(&self) -> Result<Arc<ClientConfig>, Error> {
        let mut store = RootCertStore::empty();
        match self {
            Self::WebPki => store.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
            Self::Custom(certs) => {
                for cert in certs {
                    store
                        .add(cert.clone())
                        .map_err(|e| Error::Tls(format!("bad root certificate: {e}")))?;
                }
            }
        }
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Tls(e.to_string()))?
            .with_root_certificates(store)
            .with_no_client_auth();
        Ok(Arc::new(config))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webpki_roots_build_a_config_and_bad_pem_is_refused() {
        assert!(Roots::WebPki.client_config().is_ok());
        assert!(Roots::from_pem("not a certificate").is_err());
    }
}
