//! User data with the async client, through a lost connection: log on with Ed25519 after every
//! connect, subscribe, trade, read typed events from the stream; then the server drops the socket
//! and the connection heals by itself (reconnect, log-on, resubscribe), saying so.
//!
//! Runs against the bundled emulator: `cargo run --example smol_user_data`.

#![allow(clippy::print_stdout)]

use std::time::Duration;

use binance_wsapi::proto::{Credentials, Event, PlaceOrder, Request, Side, TimeInForce, UserEvent};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_smol::{Connection, Notice, Options};
use futures_lite::StreamExt as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let keys = emulator.demo_keys().ok_or("no demo keys")?.clone();
    let credentials = Credentials::ed25519(
        keys.ed25519_api_key.as_str(),
        &keys.ed25519_private_pem,
        None,
    )?;
    smol::block_on(async {
        let mut options = Options::with_credentials(credentials);
        options.auto_logon = true; // session.logon after every connect
        let conn = Connection::connect(emulator.url(), options).await?;
        let mut events = conn.events();
        let mut subscribed = false;
        let mut dropped = false;
        // Every wait is bounded: at most 5 s in all, 1 s per event.
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while std::time::Instant::now() < deadline {
            let next = futures_lite::future::or(async { events.next().await }, async {
                smol::Timer::after(Duration::from_secs(1)).await;
                None
            });
            let Some(item) = next.await else { break };
            match item.notice {
                Notice::Relogon(result) if !subscribed => {
                    println!("logged on: {}", result.is_ok());
                    conn.call(Request::new("userDataStream.subscribe")).await?;
                    subscribed = true;
                    let buy = PlaceOrder::limit(
                        "BTCUSDT",
                        Side::Buy,
                        "30015.00".parse()?,
                        "0.01".parse()?,
                        TimeInForce::Gtc,
                    );
                    conn.post(buy.into_request()?).await?;
                }
                Notice::Event(Event::UserData(data)) => match data.typed()? {
                    UserEvent::Execution(r) => {
                        println!(
                            "execution: {} {:?} {:?}",
                            r.client_order_id, r.execution_type, r.status
                        );
                        if !dropped {
                            dropped = true;
                            println!("the server drops every connection now");
                            emulator.drop_connections();
                        }
                    }
                    UserEvent::AccountPosition(p) => {
                        println!("balances changed: {} assets", p.balances.len())
                    }
                    other => println!("user data: {other:?}"),
                },
                Notice::Disconnected {
                    reason,
                    will_reconnect,
                } => {
                    println!("disconnected ({reason}); reconnecting: {will_reconnect}");
                }
                Notice::Reconnected {
                    attempts,
                    user_data_gap,
                } => {
                    println!("reconnected after {attempts} attempt(s); user data may have a gap: {user_data_gap}");
                }
                Notice::Relogon(result) => println!("logged on again: {}", result.is_ok()),
                Notice::Resubscribed(result) => {
                    println!("user data subscribed again: {}", result.is_ok());
                    break;
                }
                _ => {}
            }
        }
        conn.close().await;
        Ok(())
    })
}
