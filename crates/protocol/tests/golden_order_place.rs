//! `order.place` against Binance's documented example: the typed builder gives the documented
//! parameters, and every documented reply (ACK, RESULT, FULL) reads into `PlacedOrder` without
//! losing a field.

use std::str::FromStr;

use binance_wsapi_proto::{
    Decimal, OrderStatus, OrderType, ParamValue, PlaceOrder, PlacedOrder, Side, TimeInForce,
};
use serde_json::Value;

fn example() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/spec/examples/order.place.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn typed_request_matches_the_documented_params() {
    let doc = example();
    let documented = doc["request"]["params"].as_object().unwrap();
    let d = |k: &str| Decimal::from_str(documented[k].as_str().unwrap()).unwrap();
    let request = PlaceOrder::limit(
        "BTCUSDT",
        Side::Sell,
        d("price"),
        d("quantity"),
        TimeInForce::Gtc,
    )
    .into_request()
    .unwrap();
    assert_eq!(request.method(), doc["request"]["method"]);
    let built: Vec<(&str, &ParamValue)> = request.params().iter().collect();
    let expected: Vec<&String> = documented
        .keys()
        .filter(|k| !["apiKey", "signature", "timestamp"].contains(&k.as_str()))
        .collect();
    assert_eq!(built.len(), expected.len(), "{built:?}");
    for (name, value) in built {
        let doc_value = documented[name].as_str().unwrap();
        let mut text = String::new();
        match value {
            ParamValue::Str(s) => text.push_str(s),
            ParamValue::Decimal(d) => text.push_str(&d.to_string()),
            other => panic!("{name}: {other:?}"),
        }
        assert_eq!(text, doc_value, "{name}");
    }
}

const FIELDS: &[&str] = &[
    "symbol",
    "orderId",
    "orderListId",
    "clientOrderId",
    "transactTime",
    "price",
    "origQty",
    "executedQty",
    "origQuoteOrderQty",
    "cummulativeQuoteQty",
    "status",
    "timeInForce",
    "type",
    "side",
    "workingTime",
    "selfTradePreventionMode",
    "stopPrice",
    "icebergQty",
    "trailingDelta",
    "strategyId",
    "strategyType",
    "preventedMatchId",
    "preventedQuantity",
    "fills",
];

#[test]
fn every_documented_reply_reads_into_placed_order() {
    let doc = example();
    let mut replies = vec![doc["response"]["result"].clone()];
    for extra in doc["additional_responses"].as_array().unwrap() {
        replies.push(extra["response"]["result"].clone());
    }
    assert_eq!(replies.len(), 3);
    for reply in &replies {
        for key in reply.as_object().unwrap().keys() {
            assert!(
                FIELDS.contains(&key.as_str()),
                "documented field {key} is not typed"
            );
        }
        let typed: PlacedOrder = serde_json::from_value(reply.clone()).unwrap();
        assert_eq!(typed.symbol, "BTCUSDT");
        assert_eq!(typed.order_id, reply["orderId"].as_i64().unwrap());
        assert_eq!(
            typed.client_order_id,
            reply["clientOrderId"].as_str().unwrap()
        );
        if let Some(price) = reply.get("price") {
            assert_eq!(
                typed.price,
                Some(Decimal::from_str(price.as_str().unwrap()).unwrap())
            );
            assert_eq!(typed.order_type, Some(OrderType::Limit));
            assert_eq!(typed.side, Some(Side::Sell));
        }
        if let Some(fills) = reply.get("fills") {
            assert_eq!(typed.fills.len(), fills.as_array().unwrap().len());
            for (t, f) in typed.fills.iter().zip(fills.as_array().unwrap()) {
                assert_eq!(
                    t.qty,
                    Decimal::from_str(f["qty"].as_str().unwrap()).unwrap()
                );
                assert_eq!(t.trade_id, f["tradeId"].as_i64().unwrap());
                assert_eq!(t.commission_asset, f["commissionAsset"].as_str().unwrap());
            }
        }
    }
    let full: PlacedOrder = serde_json::from_value(replies[2].clone()).unwrap();
    assert_eq!(full.status, Some(OrderStatus::Filled));
    assert!(!full.fills.is_empty());
}
