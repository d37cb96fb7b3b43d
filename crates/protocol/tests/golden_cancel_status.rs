//! `order.cancel` and `order.status` against Binance's documented examples.

use binance_wsapi_proto::{
    CancelOrder, CancelReply, ClientOrderId, OrderInfo, OrderRef, OrderStatus, ParamValue,
    QueryOrder,
};
use serde_json::Value;

fn example(name: &str) -> Value {
    let path = format!(
        "{}/../../testdata/spec/examples/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn params_of(request: &binance_wsapi_proto::Request) -> Vec<(String, String)> {
    request
        .params()
        .iter()
        .map(|(n, v)| {
            let text = match v {
                ParamValue::Str(s) => s.to_string(),
                ParamValue::Int(i) => i.to_string(),
                ParamValue::ClientOrderId(id) => id.to_string(),
                other => format!("{other:?}"),
            };
            (n.to_owned(), text)
        })
        .collect()
}

fn documented(doc: &Value) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> = doc["request"]["params"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !["apiKey", "signature", "timestamp"].contains(&k.as_str()))
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect();
    list.sort();
    list
}

#[test]
fn cancel_builds_the_documented_request_and_reads_both_reply_shapes() {
    let doc = example("order.cancel");
    let id = ClientOrderId::new(
        doc["request"]["params"]["origClientOrderId"]
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let request = CancelOrder::new("BTCUSDT", OrderRef::Client(id)).into_request();
    assert_eq!(request.method(), "order.cancel");
    assert_eq!(params_of(&request), documented(&doc));
    let single: CancelReply = serde_json::from_value(doc["response"]["result"].clone()).unwrap();
    let CancelReply::Order(order) = single else {
        panic!("{single:?}")
    };
    assert_eq!(order.status, OrderStatus::Canceled);
    assert_eq!(order.orig_client_order_id, "4d96324ff9d44481926157");
    assert_eq!(order.strategy_type, Some(1_000_000));
    let list_reply = &doc["additional_responses"][0]["response"]["result"];
    let list: CancelReply = serde_json::from_value(list_reply.clone()).unwrap();
    let CancelReply::List(list) = list else {
        panic!("{list:?}")
    };
    assert_eq!(
        list.contingency_type,
        binance_wsapi_proto::ContingencyType::Oco
    );
    assert_eq!(
        Some(list.order_list_id),
        list_reply["orderListId"].as_i64(),
        "the typed list keeps the documented id"
    );
    assert_eq!(list.orders.len(), 2, "both legs");
}

#[test]
fn status_builds_the_documented_request_and_reads_every_field() {
    let doc = example("order.status");
    let request = QueryOrder::new("BTCUSDT", OrderRef::Id(12_569_099_453)).into_request();
    assert_eq!(params_of(&request), documented(&doc));
    let result = &doc["response"]["result"];
    let info: OrderInfo = serde_json::from_value(result.clone()).unwrap();
    assert_eq!(info.status, OrderStatus::Filled);
    assert_eq!(info.trailing_delta, Some(10));
    assert_eq!(info.prevented_quantity, Some("1.2".parse().unwrap()));
    assert!(info.is_working);
    let typed = [
        "symbol",
        "orderId",
        "orderListId",
        "clientOrderId",
        "price",
        "origQty",
        "executedQty",
        "cummulativeQuoteQty",
        "status",
        "timeInForce",
        "type",
        "side",
        "stopPrice",
        "trailingDelta",
        "trailingTime",
        "icebergQty",
        "time",
        "updateTime",
        "isWorking",
        "workingTime",
        "origQuoteOrderQty",
        "strategyId",
        "strategyType",
        "selfTradePreventionMode",
        "preventedMatchId",
        "preventedQuantity",
    ];
    for key in result.as_object().unwrap().keys() {
        assert!(typed.contains(&key.as_str()), "{key} not typed");
    }
}
