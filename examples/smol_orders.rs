//! The async client in brief: connect, place a limit order, read the typed reply, cancel it.
//!
//! Runs against the bundled emulator: `cargo run --example smol_orders`.

#![allow(clippy::print_stdout)]

use binance_wsapi::proto::{
    CancelOrder, Credentials, OrderRef, PlaceOrder, PlacedOrder, Side, TimeInForce,
};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_smol::{Connection, Options};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    smol::block_on(async {
        let keys = Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET)?;
        let conn = Connection::connect(emulator.url(), Options::with_credentials(keys)).await?;
        let sell = PlaceOrder::limit(
            "BTCUSDT",
            Side::Sell,
            "52000.00".parse()?,
            "0.01".parse()?,
            TimeInForce::Gtc,
        );
        let order: PlacedOrder = conn.call_typed(sell.into_request()?).await?;
        println!("placed {} as {:?}", order.client_order_id, order.status);
        let cancel = CancelOrder::new("BTCUSDT", OrderRef::Id(order.order_id));
        conn.call(cancel.into_request()).await?;
        println!("cancelled order {}", order.order_id);
        conn.close().await;
        Ok(())
    })
}
