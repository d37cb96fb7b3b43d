//! Wrong values at every public entry point: each is refused with an error that names what is
//! wrong. One row per entry point and mistake; the test prints the table it checked.

#![allow(clippy::print_stdout)]

use std::time::Duration;

use binance_wsapi::proto::{
    CancelOrder, ClientOrderId, Config, Credentials, Decimal, OrderRef, OrderType, PlaceOrder,
    RecvWindow, Request, RequestId, Side, TimeInForce,
};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// The error text of `result`, or a note that it was accepted.
fn err<T, E: std::fmt::Display>(result: Result<T, E>) -> String {
    match result {
        Ok(_) => "ACCEPTED".to_owned(),
        Err(e) => e.to_string(),
    }
}

fn client() -> binance_wsapi::proto::Client {
    let unix = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap();
    binance_wsapi::proto::Client::new(Config::default(), std::time::Instant::now(), unix, 1)
        .unwrap()
}

fn send(request: Request) -> String {
    err(client().send(request, std::time::Instant::now()))
}

fn send_signed(request: Request) -> String {
    let mut c = client();
    c.set_credentials(Some(
        Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET).unwrap(),
    ));
    err(c.send(request, std::time::Instant::now()))
}

#[test]
fn every_entry_point_names_what_is_wrong() {
    let mut zero_pending = Config::default();
    zero_pending.max_pending = 0;
    let mut zero_timeout = Config::default();
    zero_timeout.request_timeout = Duration::ZERO;
    let unix = Duration::from_secs(1_700_000_000);
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut smol_options = binance_wsapi_smol::Options::default();
    smol_options.config.max_pending = 0;
    let duplicate_accounts: binance_wsapi_emulator::accounts::AccountsFile = serde_json::from_str(
        r#"{"accounts":[{"name":"a","balances":{},"api_keys":[]},{"name":"a","balances":{},"api_keys":[]}]}"#,
    )
    .unwrap();
    let mut emulator_config = EmulatorConfig::default();
    emulator_config.accounts = Some(duplicate_accounts);

    let rows: Vec<(&str, String, &[&str])> = vec![
        (
            "Credentials::hmac",
            err(Credentials::hmac("k", "")),
            &["HMAC secret", "empty"],
        ),
        (
            "Credentials::ed25519",
            err(Credentials::ed25519("k", "not a key", None)),
            &["Ed25519", "expected a PEM"],
        ),
        (
            "Credentials::rsa",
            err(Credentials::rsa(
                "k",
                "-----BEGIN PRIVATE KEY-----\nxx\n-----END PRIVATE KEY-----",
                None,
            )),
            &["Rsa", "key"],
        ),
        (
            "ClientOrderId::new (empty)",
            err(ClientOrderId::new("")),
            &["empty"],
        ),
        (
            "ClientOrderId::new (too long)",
            err(ClientOrderId::new(&"x".repeat(37))),
            &["37", "36"],
        ),
        (
            "ClientOrderId::new (bad character)",
            err(ClientOrderId::new("a b")),
            &["' '"],
        ),
        ("RequestId::text", err(RequestId::text("ü")), &["'ü'"]),
        (
            "RecvWindow::from_millis (0)",
            err(RecvWindow::from_millis(0)),
            &["recvWindow", "greater than 0"],
        ),
        (
            "RecvWindow::from_millis (too large)",
            err(RecvWindow::from_millis(60_001)),
            &["recvWindow", "60000"],
        ),
        (
            "Config::validate (max_pending)",
            err(zero_pending.validate()),
            &["max_pending"],
        ),
        (
            "Config::validate (request_timeout)",
            err(zero_timeout.validate()),
            &["request_timeout"],
        ),
        (
            "Client::new (bad config)",
            err(binance_wsapi::proto::Client::new(
                zero_pending.clone(),
                std::time::Instant::now(),
                unix,
                1,
            )),
            &["max_pending"],
        ),
        (
            "Client::send (method name)",
            send(Request::new("order place")),
            &["method", "order place"],
        ),
        (
            "Client::send (parameter name)",
            send(Request::new("ping").param("bad name", 1_i64)),
            &["ping", "bad name"],
        ),
        (
            "Client::send (reserved parameter)",
            send(Request::new("ping").param("signature", "x")),
            &["ping", "signature"],
        ),
        (
            "Client::send (signed, no keys)",
            send(Request::new("account.status")),
            &["account.status", "credentials"],
        ),
        (
            "Client::send (logon with HMAC)",
            send_signed(Request::new("session.logon")),
            &["session.logon", "Ed25519"],
        ),
        (
            "PlaceOrder (LIMIT without price)",
            err(PlaceOrder::new("BTCUSDT", Side::Buy, OrderType::Limit)
                .quantity(d("1"))
                .time_in_force(TimeInForce::Gtc)
                .into_request()),
            &["order.place", "price"],
        ),
        (
            "PlaceOrder (MARKET without any quantity)",
            err(PlaceOrder::new("BTCUSDT", Side::Buy, OrderType::Market).into_request()),
            &["order.place", "quantity"],
        ),
        (
            "PlaceOrder (negative quantity)",
            err(PlaceOrder::market("BTCUSDT", Side::Buy, d("-1")).into_request()),
            &["order.place", "quantity"],
        ),
        (
            "CancelOrder (empty symbol)",
            err(send_cancel(CancelOrder::new("", OrderRef::Id(1)))),
            &["order.cancel", "symbol", "empty"],
        ),
        (
            "blocking Connection::connect (scheme)",
            err(binance_wsapi_blocking::Connection::connect(
                "http://127.0.0.1:1/",
                binance_wsapi_blocking::Options::default(),
            )),
            &["http://127.0.0.1:1/", "scheme"],
        ),
        (
            "blocking Connection::connect (nobody listening)",
            err(binance_wsapi_blocking::Connection::connect(
                "ws://127.0.0.1:1/ws-api/v3",
                binance_wsapi_blocking::Options::default(),
            )),
            &["cannot connect", "127.0.0.1:1"],
        ),
        (
            "blocking Roots::from_pem",
            err(binance_wsapi_blocking::Roots::from_pem("nothing")),
            &["TLS", "no certificate"],
        ),
        (
            "smol Connection::connect (scheme)",
            err(smol::block_on(binance_wsapi_smol::Connection::connect(
                "ftp://x/",
                binance_wsapi_smol::Options::default(),
            ))),
            &["ftp://x/", "scheme"],
        ),
        (
            "smol Connection::connect (bad config)",
            err(smol::block_on(binance_wsapi_smol::Connection::connect(
                emu.url(),
                smol_options,
            ))),
            &["max_pending"],
        ),
        (
            "Emulator::start (duplicate account)",
            err(Emulator::start(emulator_config)),
            &["account", "\"a\"", "twice"],
        ),
    ];

    println!("| entry point | error |\n|---|---|");
    let mut failures = Vec::new();
    for (entry, message, must_name) in &rows {
        println!("| {entry} | {message} |");
        let missing: Vec<_> = must_name.iter().filter(|m| !message.contains(*m)).collect();
        if !missing.is_empty() {
            failures.push(format!("{entry}: {message:?} does not name {missing:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn send_cancel(cancel: CancelOrder) -> Result<(), String> {
    let out = send_signed(cancel.into_request());
    if out == "ACCEPTED" {
        Ok(())
    } else {
        Err(out)
    }
}
