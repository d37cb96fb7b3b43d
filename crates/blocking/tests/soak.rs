//! A bounded soak: orders under dropped replies, dropped connections, slow replies and duplicated
//! or garbled frames, with reconnects. At the end every order the client tried is accounted for:
//! each is known placed, known not placed, or reconciled, and the emulator's book agrees exactly
//! (none lost, none duplicated). `SOAK_ORDERS` sets the length (default 300, about 2 s).

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use binance_wsapi_blocking::{Backoff, CallError, Connection, Error, Options, Reconciliation};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig, Faults};
use binance_wsapi_proto::{ClientOrderId, Credentials, Decimal, PlaceOrder, Side, TimeInForce};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Known {
    Placed,
    NotPlaced,
    Unknown,
}

/// A fault for step `i`, cycling through everything the emulator can do.
fn fault_for(i: usize) -> Faults {
    let mut f = Faults::none();
    match (i / 7) % 6 {
        0 => {}
        1 => f.drop_mid_order = 1,
        2 => f.reply_delay = Some(Duration::from_millis(150)),
        3 => f.duplicate_replies = true,
        4 => f.garbage_before_reply = true,
        _ => f.reorder_delay = Some(Duration::from_millis(20)),
    }
    f
}

#[test]
fn every_order_is_accounted_for_after_faults_and_reconnects() {
    let orders: usize = std::env::var("SOAK_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let mut config = EmulatorConfig::default();
    // Half the orders rest; at this pace they would cross Binance's 50 per 10 s.
    config.limits.orders_per_10s = 1_000_000;
    // Long runs reconnect more often than Binance's 300 connections per 5 minutes allow.
    config.limits.connections_per_5min = 1_000_000;
    let emu = Emulator::start(config).unwrap();
    let mut options =
        Options::with_credentials(Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET).unwrap());
    options.config.request_timeout = Duration::from_millis(100);
    options.backoff = Backoff {
        first: Duration::from_millis(5),
        max: Duration::from_millis(50),
        attempts: 20,
    };
    let mut conn = Connection::connect(emu.url(), options).unwrap();
    let mut ledger: BTreeMap<String, Known> = BTreeMap::new();
    let price = |i: usize| if i % 2 == 0 { "29000.00" } else { "30015.00" };

    for i in 0..orders {
        emu.set_faults(fault_for(i));
        if i % 50 == 49 {
            emu.drop_connections();
        }
        let id = ClientOrderId::new(&format!("soak-{i}")).unwrap();
        let request = PlaceOrder::limit(
            "BTCUSDT",
            Side::Buy,
            price(i).parse::<Decimal>().unwrap(),
            "0.00100000".parse::<Decimal>().unwrap(),
            TimeInForce::Gtc,
        )
        .client_order_id(id)
        .into_request()
        .unwrap();
        let known = match conn.call(request) {
            Ok(_) => Known::Placed,
            Err(CallError::OutcomeUnknown {
                client_order_id, ..
            }) => {
                assert_eq!(
                    client_order_id,
                    Some(id),
                    "the unknown outcome names the order"
                );
                Known::Unknown
            }
            Err(CallError::NotSent | CallError::Connection(Error::Closed)) => Known::NotPlaced,
            Err(CallError::Api(e)) => panic!("order {i} rejected: {e:?}"),
            Err(other) => panic!("order {i}: {other:?}"),
        };
        assert!(
            ledger.insert(id.to_string(), known).is_none(),
            "ids are unique"
        );
        if conn.is_closed() {
            conn.reconnect().expect("reconnect");
        }
    }

    // Reconcile every unknown outcome on a clean connection.
    emu.set_faults(Faults::none());
    if conn.is_closed() {
        conn.reconnect().unwrap();
    }
    let unknown: Vec<String> = ledger
        .iter()
        .filter(|(_, k)| **k == Known::Unknown)
        .map(|(id, _)| id.clone())
        .collect();
    for id in &unknown {
        // A connection may still drop while reconciling (the last fault can be in flight): like an
        // application, reconnect and ask again; asking never changes anything.
        let mut found = None;
        for _ in 0..5 {
            if conn.is_closed() {
                conn.reconnect().unwrap();
            }
            match conn.reconcile_order("BTCUSDT", &ClientOrderId::new(id).unwrap()) {
                Ok(f) => {
                    found = Some(f);
                    break;
                }
                Err(CallError::ConnectionLost | CallError::NotSent | CallError::Connection(_)) => {}
                Err(e) => panic!("reconcile {id}: {e:?}"),
            }
        }
        let found = found.expect("reconciled within 5 connections");
        let known = match found {
            Reconciliation::Placed(_) => Known::Placed,
            Reconciliation::NotPlaced => Known::NotPlaced,
            other => panic!("{other:?}"),
        };
        ledger.insert(id.clone(), known);
    }

    // The emulator's records for the demo account (account 1; 0 is the market maker).
    let on_exchange: Vec<String> = emu.inspect(|ex| {
        ex.all_orders(1, "BTCUSDT")
            .iter()
            .map(|o| o.client_order_id.clone())
            .collect()
    });
    let unique: BTreeSet<&String> = on_exchange.iter().collect();
    assert_eq!(unique.len(), on_exchange.len(), "no order was placed twice");
    let placed: BTreeSet<&String> = ledger
        .iter()
        .filter(|(_, k)| **k == Known::Placed)
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        placed, unique,
        "the client's account of its orders matches the exchange"
    );
    assert!(ledger.values().all(|k| *k != Known::Unknown));
    let faults_hit = unknown.len();
    assert!(faults_hit > 0, "the soak exercised unknown outcomes");
    eprintln!(
        "soak: {orders} orders, {} placed, {} not placed, {faults_hit} reconciled",
        placed.len(),
        ledger.len() - placed.len()
    );
}
