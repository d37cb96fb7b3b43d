//! `wss://` through rustls, for both clients: a TLS front (self-signed certificate for `localhost`, made in the
//! test) before the emulator. Trusted through custom roots it works; with the default roots the
//! certificate is refused with a clear error.

use std::sync::Arc;
use std::time::Duration;

use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::Request;
use binance_wsapi_smol::{Connection, Error, Options, Roots};
use futures_rustls::TlsAcceptor;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use smol::net::{TcpListener, TcpStream};

/// Accepts TLS on `listener` and passes the plain bytes to `upstream` (host:port).
async fn tls_front(listener: TcpListener, acceptor: TlsAcceptor, upstream: String) {
    while let Ok((tcp, _)) = listener.accept().await {
        let acceptor = acceptor.clone();
        let upstream = upstream.clone();
        smol::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let Ok(plain) = TcpStream::connect(upstream.as_str()).await else {
                return;
            };
            let (mut tls_read, mut tls_write) = futures_lite::io::split(tls);
            let (mut plain_read, mut plain_write) = (plain.clone(), plain);
            let _ = futures_lite::future::zip(
                futures_lite::io::copy(&mut tls_read, &mut plain_write),
                futures_lite::io::copy(&mut plain_read, &mut tls_write),
            )
            .await;
        })
        .detach();
    }
}

#[test]
fn wss_with_custom_roots_and_a_clear_error_without_them() {
    smol::block_on(async {
        let limit = async {
            smol::Timer::after(Duration::from_secs(20)).await;
            panic!("the test did not finish in 20 s");
        };
        futures_lite::future::or(
            async {
                let emu = Emulator::start(EmulatorConfig::default()).unwrap();
                let upstream = emu.addr().to_string();
                let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])
                    .expect("certificate");
                let cert_pem = made.cert.pem();
                let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
                    made.signing_key.serialize_der(),
                ));
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let server = rustls::ServerConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .unwrap()
                    .with_no_client_auth()
                    .with_single_cert(vec![CertificateDer::from(made.cert.der().to_vec())], key)
                    .unwrap();
                let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
                let port = listener.local_addr().unwrap().port();
                let front = smol::spawn(tls_front(
                    listener,
                    TlsAcceptor::from(Arc::new(server)),
                    upstream,
                ));
                let url = format!("wss://localhost:{port}/ws-api/v3");

                let mut options = Options::default();
                options.roots = Roots::from_pem(&cert_pem).unwrap();
                let conn = Connection::connect(&url, options).await.unwrap();
                let time = conn.call(Request::new("time")).await.unwrap();
                assert!(time.result_raw().contains("serverTime"));
                conn.close().await;

                // The blocking client takes the same roots over the same TLS code.
                let (blocking_url, pem) = (url.clone(), cert_pem.clone());
                let blocking = smol::unblock(move || {
                    let mut options = binance_wsapi_blocking::Options::default();
                    options.roots = Roots::from_pem(&pem).unwrap();
                    let mut conn =
                        binance_wsapi_blocking::Connection::connect(&blocking_url, options)?;
                    let time = conn.call(Request::new("time"))?;
                    Ok::<_, Box<dyn std::error::Error + Send + Sync>>(time.result_raw().to_owned())
                })
                .await
                .unwrap();
                assert!(blocking.contains("serverTime"));

                // The public roots do not know this certificate.
                match Connection::connect(&url, Options::default()).await {
                    Err(Error::Connect { reason, .. }) => {
                        assert!(reason.to_lowercase().contains("certificate"), "{reason}");
                    }
                    other => panic!("{other:?}"),
                }
                drop(front);
            },
            limit,
        )
        .await;
    });
}
