//! Builds and signs request frames offline and prints them: nothing is sent anywhere.
//!
//! Uses the HMAC key pair printed in Binance's docs and the Ed25519 test key from their FIX API
//! docs, so the output can be compared with the documented examples. Run with
//! `cargo run --example sign_frame`.

#![allow(clippy::print_stdout)]

use std::time::{Duration, Instant};

use binance_wsapi::proto::{Client, Config, Credentials, Decimal, Request, RequestId};

const HMAC_API_KEY: &str = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
const HMAC_SECRET: &str = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
const ED25519_API_KEY: &str = "4yNzx3yWC5bS6YTwEkSRaC0nRmSQIIStAUOh1b6kqaBrTLIhjCpI5lJH8q8R8WNO";
const ED25519_PEM: &str = "-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIIJEYWtGBrhACmb9Dvy+qa8WEf0lQOl1s4CLIAB9m89u
-----END PRIVATE KEY-----";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = Instant::now();
    // The docs' example timestamp, so the frame matches the documented one byte for byte.
    let unix_time = Duration::from_millis(1_645_423_376_532);
    let mut config = Config::default();
    config.recv_window = Some(binance_wsapi::proto::RecvWindow::from_millis(100)?);
    // The documented request carries no client order id; normally the client adds a random one.
    config.auto_client_order_id = false;

    let hmac = Credentials::hmac(HMAC_API_KEY, HMAC_SECRET)?;
    let mut client = Client::new(config.clone(), now, unix_time, 1)?.with_credentials(hmac);
    let order = Request::new("order.place")
        .id(RequestId::text("4885f793-e5ad-4c3b-8f6c-55d891472b71")?)
        .param("symbol", "BTCUSDT")
        .param("side", "SELL")
        .param("type", "LIMIT")
        .param("timeInForce", "GTC")
        .param("quantity", "0.01000000".parse::<Decimal>()?)
        .param("price", "52000.00".parse::<Decimal>()?);
    client.send(order, now)?;
    let frame = client.poll_transmit().ok_or("no frame")?;
    println!("HMAC-SHA256 signed order.place (compare with Binance's documented example):");
    println!("  payload: {}", client.last_signed_payload());
    println!("  frame:   {}", frame.text);

    let ed25519 = Credentials::ed25519(ED25519_API_KEY, ED25519_PEM, None)?;
    let mut client = Client::new(config, now, unix_time, 1)?.with_credentials(ed25519);
    client.send(Request::new("session.logon"), now)?;
    let frame = client.poll_transmit().ok_or("no frame")?;
    println!("Ed25519 signed session.logon:");
    println!("  payload: {}", client.last_signed_payload());
    println!("  frame:   {}", frame.text);
    Ok(())
}
