//! Place and cancel an order with the blocking client: subscribe to user data, place a limit order
//! (the client picks its client order id), watch its `executionReport`, cancel it, cancel all open
//! orders, and handle an order whose outcome is unknown by reconnecting and reconciling.
//!
//! Runs against the bundled emulator with its demo account: `cargo run --example blocking_orders`.

#![allow(clippy::print_stdout)]

use std::time::Duration;

use binance_wsapi::proto::{Credentials, Decimal, Event, Request};
use binance_wsapi_blocking::{CallError, Connection, Options, Reconciliation};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};

fn limit(side: &'static str, price: &str) -> Result<Request, Box<dyn std::error::Error>> {
    Ok(Request::new("order.place")
        .param("symbol", "BTCUSDT")
        .param("side", side)
        .param("type", "LIMIT")
        .param("timeInForce", "GTC")
        .param("price", price.parse::<Decimal>()?)
        .param("quantity", "0.01000000".parse::<Decimal>()?))
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let credentials = Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET)?;
    let mut conn = Connection::connect(emulator.url(), Options::with_credentials(credentials))?;

    conn.call(Request::new("userDataStream.subscribe.signature"))?;
    let sent = conn.send(limit("BUY", "29000.00")?)?;
    let client_order_id = sent
        .client_order_id
        .ok_or("order without a client order id")?;
    println!("placing order {client_order_id}");
    // Replies and events interleave: read both until the reply and the report have come.
    let (mut replied, mut reported) = (false, false);
    for _ in 0..50 {
        match conn.next_event(Duration::from_millis(100))? {
            Some(Event::Completed(done)) if done.id == sent.id => {
                println!(
                    "reply: {:?}",
                    done.response().map(|r| r.result_raw().to_owned())
                );
                replied = true;
            }
            Some(Event::UserData(event)) if event.event_type == "executionReport" => {
                println!("executionReport: {}", event.raw());
                reported = true;
            }
            _ => {}
        }
        if replied && reported {
            break;
        }
    }

    let cancelled = conn.call(
        Request::new("order.cancel")
            .param("symbol", "BTCUSDT")
            .param("origClientOrderId", client_order_id.to_string()),
    )?;
    println!("cancelled: {}", cancelled.result_raw());
    conn.call(limit("BUY", "28000.00")?)?;
    conn.call(limit("SELL", "52000.00")?)?;
    let all = conn.call(Request::new("openOrders.cancelAll").param("symbol", "BTCUSDT"))?;
    println!("cancel all: {}", all.result_raw());

    // A reply that never comes: the connection drops after the order was accepted.
    let mut faults = binance_wsapi_emulator::Faults::none();
    faults.drop_mid_order = 1;
    emulator.set_faults(faults);
    match conn.call(limit("SELL", "52000.00")?) {
        Err(CallError::OutcomeUnknown {
            client_order_id: Some(id),
            cause,
        }) => {
            println!("outcome unknown ({cause:?}) for {id}: reconnecting to ask");
            let report = conn.reconnect()?;
            println!("reconnected after {} attempt(s)", report.attempts);
            match conn.reconcile_order("BTCUSDT", &id)? {
                Reconciliation::Placed(info) => {
                    println!(
                        "it was placed after all: {:?}, {} filled",
                        info.status, info.executed_qty
                    );
                }
                Reconciliation::NotPlaced => println!("it was never placed; safe to send again"),
                other => println!("{other:?}"),
            }
        }
        other => println!("unexpected: {other:?}"),
    }
    Ok(())
}
