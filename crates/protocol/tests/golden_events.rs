//! Every documented user-data event reads into its typed form without losing a documented field.

use binance_wsapi_proto::{Client, Config, Event, OrderStatus, Side, UserEvent};
use serde_json::Value;
use std::time::{Duration, Instant};

fn frame(name: &str) -> Value {
    let path = format!(
        "{}/../../testdata/spec/examples/events/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["frame"].clone()
}

/// Feeds a documented frame through the client and returns the typed event.
fn typed(name: &str) -> (UserEvent, Value) {
    let frame = frame(name);
    let now = Instant::now();
    let mut client = Client::new(Config::default(), now, Duration::from_secs(1), 0).unwrap();
    client.handle_text(&frame.to_string(), now).unwrap();
    let Some(Event::UserData(event)) = client.poll_event() else {
        panic!("{name}: not user data")
    };
    (event.typed().unwrap(), frame["event"].clone())
}

#[test]
fn execution_report_maps_every_one_letter_key() {
    let (event, raw) = typed("executionReport");
    let UserEvent::Execution(report) = event else {
        panic!("{event:?}")
    };
    assert_eq!(report.symbol, raw["s"]);
    assert_eq!(report.client_order_id, raw["c"]);
    assert_eq!(report.orig_client_order_id, raw["C"]);
    assert_eq!(report.side, Side::Buy);
    assert_eq!(report.execution_type, raw["x"]);
    assert_eq!(report.status, OrderStatus::New);
    assert_eq!(report.order_id, raw["i"].as_i64().unwrap());
    assert_eq!(report.quantity.to_string(), raw["q"]);
    assert_eq!(report.commission_asset, None, "N is null without a fill");
    assert_eq!(report.working_time, raw["W"].as_i64());
    // Every documented key has a typed field (M is "ignore").
    let typed_keys = [
        "e", "E", "s", "c", "S", "o", "f", "q", "p", "P", "F", "g", "C", "x", "X", "r", "i", "l",
        "z", "L", "n", "N", "T", "t", "v", "I", "w", "m", "M", "O", "Z", "Y", "Q", "W", "V",
    ];
    for key in raw.as_object().unwrap().keys() {
        assert!(
            typed_keys.contains(&key.as_str()),
            "executionReport key {key} not typed"
        );
    }
}

#[test]
fn the_other_events_read_too() {
    let (event, raw) = typed("outboundAccountPosition");
    let UserEvent::AccountPosition(p) = event else {
        panic!()
    };
    assert_eq!(p.balances[0].asset, raw["B"][0]["a"]);
    assert_eq!(p.last_update, raw["u"].as_i64().unwrap());
    let (event, raw) = typed("balanceUpdate");
    let UserEvent::BalanceUpdate(b) = event else {
        panic!()
    };
    assert_eq!(b.delta.to_string(), raw["d"]);
    let (event, _) = typed("externalLockUpdate");
    assert!(matches!(event, UserEvent::ExternalLockUpdate(_)));
    let (event, raw) = typed("listStatus");
    let UserEvent::ListStatus(l) = event else {
        panic!()
    };
    assert_eq!(l.orders.len(), raw["O"].as_array().unwrap().len());
    assert_eq!(l.list_client_order_id, raw["C"]);
    let (event, raw) = typed("eventStreamTerminated");
    assert_eq!(
        event,
        UserEvent::StreamTerminated {
            event_time: raw["E"].as_i64().unwrap()
        }
    );
    assert_eq!(
        UserEvent::decode("somethingNew", "{}").unwrap(),
        UserEvent::Other("somethingNew".into())
    );
}
