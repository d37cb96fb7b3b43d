//! Typed requests through the client against the fake server: the core signs them as their
//! method's security type requires, fills generated client ids for order-changing ones, and the
//! replies decode into the typed results.

mod support;

use std::time::Duration;

use binance_wsapi_proto::api::account::AllOrdersRequest;
use binance_wsapi_proto::api::general::{PingRequest, ServerTime, TimeRequest};
use binance_wsapi_proto::api::session::{
    SessionLogonRequest, SessionStatus, SubscribeRequest, Subscription, UnsubscribeRequest,
};
use binance_wsapi_proto::api::trading::{ListLeg, OcoOrder};
use binance_wsapi_proto::api::Empty;
use binance_wsapi_proto::{Config, Decimal, OrderType, SendError, Side, TimeInForce};
use support::{ed25519_credentials, Harness};

fn config() -> Config {
    let mut c = Config::default();
    c.request_timeout = Duration::from_secs(2);
    c
}

#[test]
fn public_and_signed_typed_requests_round_trip() {
    let mut h = Harness::new(config());
    let ping = h.send(PingRequest::new().into_request()).unwrap();
    let time = h.send(TimeRequest::new().into_request()).unwrap();
    let orders = h
        .send(
            AllOrdersRequest::new("BTCUSDT")
                .limit(5)
                .into_request()
                .unwrap(),
        )
        .unwrap();
    h.run_for(Duration::from_millis(100));
    let pong = h.completion(ping.id).unwrap().response().unwrap();
    let _: Empty = pong.decode().unwrap();
    let server_time: ServerTime = h
        .completion(time.id)
        .unwrap()
        .response()
        .unwrap()
        .decode()
        .unwrap();
    assert!(server_time.server_time > 0);
    assert!(h.completion(orders.id).unwrap().response().is_some());
    assert_eq!(h.server.bad_signatures, 0);
    // Public methods go out bare; the signed one gets the key, a timestamp and a signature.
    assert!(h.server.received[0]
        .get("params")
        .is_none_or(|p| p.as_object().unwrap().is_empty()));
    let signed = &h.server.received[2]["params"];
    assert_eq!(signed["symbol"], "BTCUSDT");
    assert_eq!(signed["limit"], 5);
    assert_eq!(signed["apiKey"], support::HMAC_KEY);
    assert!(signed.get("timestamp").is_some() && signed.get("signature").is_some());
}

#[test]
fn order_lists_get_a_generated_list_client_order_id() {
    let mut h = Harness::new(config());
    let d = |n: i64, scale: u32| Decimal::new(n, scale);
    let oco = OcoOrder::new(
        "LTCBNB",
        Side::Buy,
        d(1, 0),
        ListLeg::new(OrderType::StopLossLimit)
            .price(d(15, 1))
            .stop_price(d(150_000_001, 8))
            .time_in_force(TimeInForce::Gtc),
        ListLeg::limit_maker(d(149_999_999, 8)),
    );
    let sent = h.send(oco.into_request().unwrap()).unwrap();
    let generated = sent
        .client_order_id
        .expect("the client generates listClientOrderId");
    h.run_for(Duration::from_millis(100));
    assert_eq!(h.server.bad_signatures, 0);
    let params = &h.server.received[0]["params"];
    assert_eq!(params["listClientOrderId"], generated.as_str());
    assert_eq!(params["aboveStopPrice"], "1.50000001");
    assert_eq!(params["belowType"], "LIMIT_MAKER");
    assert_eq!(
        h.completion(sent.id).unwrap().client_order_id,
        Some(generated)
    );
}

#[test]
fn user_data_subscription_needs_a_logged_on_session() {
    let mut h = Harness::new(config());
    assert!(matches!(
        h.send(SubscribeRequest::session().into_request()),
        Err(SendError::NotLoggedOn { .. })
    ));
    h.client.set_credentials(Some(ed25519_credentials()));
    let logon = h.send(SessionLogonRequest::new().into_request()).unwrap();
    h.run_for(Duration::from_millis(100));
    let status: SessionStatus = h
        .completion(logon.id)
        .unwrap()
        .response()
        .unwrap()
        .decode()
        .unwrap();
    assert!(status.is_logged_on());
    let sub = h.send(SubscribeRequest::session().into_request()).unwrap();
    h.run_for(Duration::from_millis(100));
    let subscription: Subscription = h
        .completion(sub.id)
        .unwrap()
        .response()
        .unwrap()
        .decode()
        .unwrap();
    let off = h
        .send(UnsubscribeRequest::id(subscription.subscription_id).into_request())
        .unwrap();
    h.run_for(Duration::from_millis(100));
    let _: Empty = h
        .completion(off.id)
        .unwrap()
        .response()
        .unwrap()
        .decode()
        .unwrap();
    assert_eq!(
        h.server.received[2]["params"]["subscriptionId"],
        subscription.subscription_id
    );
}
