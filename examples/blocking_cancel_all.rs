//! Cancel every open order of a symbol with the blocking client.
//!
//! Runs against the bundled emulator with its demo account: `cargo run --example blocking_cancel_all`.

#![allow(clippy::print_stdout)]

use binance_wsapi::proto::{Credentials, PlaceOrder, Request, Side, TimeInForce};
use binance_wsapi_blocking::{Connection, Options};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let credentials = Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET)?;
    let mut conn = Connection::connect(emulator.url(), Options::with_credentials(credentials))?;
    for (side, price) in [
        (Side::Buy, "28000.00"),
        (Side::Buy, "28500.00"),
        (Side::Sell, "52000.00"),
    ] {
        let order = PlaceOrder::limit(
            "BTCUSDT",
            side,
            price.parse()?,
            "0.01000000".parse()?,
            TimeInForce::Gtc,
        );
        conn.call(order.into_request()?)?;
    }
    let open = conn.call(Request::new("openOrders.status").param("symbol", "BTCUSDT"))?;
    println!(
        "open before: {}",
        open.result_value()?.as_array().map_or(0, Vec::len)
    );
    let cancelled = conn.call(Request::new("openOrders.cancelAll").param("symbol", "BTCUSDT"))?;
    println!(
        "cancelled: {}",
        cancelled.result_value()?.as_array().map_or(0, Vec::len)
    );
    let open = conn.call(Request::new("openOrders.status").param("symbol", "BTCUSDT"))?;
    println!(
        "open after: {}",
        open.result_value()?.as_array().map_or(0, Vec::len)
    );
    Ok(())
}
