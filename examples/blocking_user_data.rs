//! User-data events with the blocking client: log on with an Ed25519 key, subscribe, trade, and
//! read the typed `executionReport`s and balance updates.
//!
//! Runs against the bundled emulator with its demo account: `cargo run --example blocking_user_data`.

#![allow(clippy::print_stdout)]

use std::time::Duration;

use binance_wsapi::proto::{Credentials, Event, PlaceOrder, Request, Side, TimeInForce, UserEvent};
use binance_wsapi_blocking::{Connection, Options};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let keys = emulator.demo_keys().ok_or("no demo keys")?.clone();
    let credentials = Credentials::ed25519(
        keys.ed25519_api_key.as_str(),
        &keys.ed25519_private_pem,
        None,
    )?;
    let mut conn = Connection::connect(emulator.url(), Options::with_credentials(credentials))?;
    conn.call(Request::new("session.logon"))?; // Ed25519 only; then requests need no signature
    conn.call(Request::new("userDataStream.subscribe"))?;
    let buy = PlaceOrder::limit(
        "BTCUSDT",
        Side::Buy,
        "30015.00".parse()?,
        "0.01000000".parse()?,
        TimeInForce::Gtc,
    );
    conn.send(buy.into_request()?)?;
    emulator.deposit("demo", "USDT", "500".parse()?)?;
    for event in conn.events(Duration::from_millis(300)) {
        let Event::UserData(data) = event else {
            continue;
        };
        match data.typed()? {
            UserEvent::Execution(r) => {
                println!(
                    "order {} {}: {} -> {} ({} at {})",
                    r.order_id, r.side, r.execution_type, r.status, r.last_qty, r.last_price
                )
            }
            UserEvent::AccountPosition(p) => {
                for b in p.balances {
                    println!("balance {}: free {} locked {}", b.asset, b.free, b.locked);
                }
            }
            UserEvent::BalanceUpdate(u) => println!("deposit: {} {}", u.delta, u.asset),
            other => println!("{other:?}"),
        }
    }
    Ok(())
}
