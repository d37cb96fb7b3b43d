//! Typed request -> signed frame -> parsed back: for random valid inputs, the frame the client
//! writes carries exactly the values given (decimals as plain strings, enums as Binance spells
//! them), and the signature covers them.

mod support;

use std::str::FromStr;
use std::time::{Duration, Instant};

use binance_wsapi_proto::{
    AmendOrder, CancelOrder, Client, ClientOrderId, Config, Decimal, KlineInterval, KlinesRequest,
    ListLeg, OcoOrder, OrderRef, OrderType, PlaceOrder, QueryOrder, Request, Side, TimeInForce,
};
use proptest::prelude::*;
use serde_json::Value;

/// The frame the client writes for `request`, parsed.
fn frame_of(request: Request) -> Value {
    let now = Instant::now();
    let mut client = Client::new(
        Config::default(),
        now,
        Duration::from_secs(1_700_000_000),
        7,
    )
    .unwrap()
    .with_credentials(support::hmac_credentials());
    client.send(request, now).unwrap();
    let text = client.poll_transmit().unwrap().text;
    serde_json::from_str(&text).unwrap()
}

/// A positive decimal with up to 8 decimals, as prices and quantities are.
fn amount() -> impl Strategy<Value = Decimal> {
    (1_i64..=10_000_000_000, 0_u32..=8).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Buy), Just(Side::Sell)]
}

fn tif() -> impl Strategy<Value = TimeInForce> {
    prop_oneof![
        Just(TimeInForce::Gtc),
        Just(TimeInForce::Ioc),
        Just(TimeInForce::Fok)
    ]
}

/// A decimal as the frame carries it: a JSON string that parses back to the same value.
fn decimal_in(frame: &Value, name: &str) -> Decimal {
    let text = frame["params"][name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} is not a string in {frame}"));
    assert!(
        !text.contains('e') && !text.contains('E'),
        "{name}={text} is not plain"
    );
    Decimal::from_str(text).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn limit_orders_round_trip(
        symbol in "[A-Z]{3,10}",
        side in side(),
        price in amount(),
        quantity in amount(),
        tif in tif(),
        id in "[A-Za-z0-9_-]{1,36}",
    ) {
        let order = PlaceOrder::limit(symbol.clone(), side.clone(), price, quantity, tif.clone())
            .client_order_id(ClientOrderId::new(&id).unwrap());
        let frame = frame_of(order.into_request().unwrap());
        prop_assert_eq!(frame["method"].as_str(), Some("order.place"));
        let p = &frame["params"];
        prop_assert_eq!(p["symbol"].as_str(), Some(symbol.as_str()));
        prop_assert_eq!(p["side"].as_str(), Some(side.as_str()));
        prop_assert_eq!(p["type"].as_str(), Some("LIMIT"));
        prop_assert_eq!(p["timeInForce"].as_str(), Some(tif.as_str()));
        prop_assert_eq!(p["newClientOrderId"].as_str(), Some(id.as_str()));
        prop_assert_eq!(decimal_in(&frame, "price"), price);
        prop_assert_eq!(decimal_in(&frame, "quantity"), quantity);
        prop_assert!(p["signature"].as_str().is_some_and(|s| s.len() == 64));
    }

    #[test]
    fn amendments_round_trip(
        symbol in "[A-Z]{3,10}",
        order_id in 1_i64..i64::MAX,
        new_qty in amount(),
    ) {
        let amend = AmendOrder::new(symbol.clone(), OrderRef::Id(order_id), new_qty);
        let frame = frame_of(amend.into_request().unwrap());
        prop_assert_eq!(frame["method"].as_str(), Some("order.amend.keepPriority"));
        prop_assert_eq!(frame["params"]["symbol"].as_str(), Some(symbol.as_str()));
        prop_assert_eq!(frame["params"]["orderId"].as_i64(), Some(order_id));
        prop_assert_eq!(decimal_in(&frame, "newQty"), new_qty);
    }

    #[test]
    fn kline_queries_round_trip(
        symbol in "[A-Z]{3,10}",
        limit in 1_u32..=1000,
        start in 0_i64..4_000_000_000_000,
        span in 0_i64..86_400_000,
    ) {
        let request = KlinesRequest::klines(symbol.clone(), KlineInterval::Minutes15)
            .limit(limit)
            .start_time(start)
            .end_time(start + span)
            .into_request()
            .unwrap();
        let frame = frame_of(request);
        let p = &frame["params"];
        prop_assert_eq!(frame["method"].as_str(), Some("klines"));
        prop_assert_eq!(p["symbol"].as_str(), Some(symbol.as_str()));
        prop_assert_eq!(p["interval"].as_str(), Some("15m"));
        prop_assert_eq!(p["limit"].as_u64(), Some(u64::from(limit)));
        prop_assert_eq!(p["startTime"].as_i64(), Some(start));
        prop_assert_eq!(p["endTime"].as_i64(), Some(start + span));
        prop_assert!(p.get("signature").is_none(), "market data is not signed");
    }

    #[test]
    fn oco_orders_round_trip(
        symbol in "[A-Z]{3,10}",
        side in side(),
        quantity in amount(),
        limit_price in amount(),
        stop_price in amount(),
        tif in tif(),
    ) {
        let oco = OcoOrder::new(
            symbol.clone(),
            side.clone(),
            quantity,
            ListLeg::new(OrderType::StopLossLimit)
                .price(limit_price)
                .stop_price(stop_price)
                .time_in_force(tif.clone()),
            ListLeg::limit_maker(limit_price),
        );
        let frame = frame_of(oco.into_request().unwrap());
        let p = &frame["params"];
        prop_assert_eq!(frame["method"].as_str(), Some("orderList.place.oco"));
        prop_assert_eq!(p["symbol"].as_str(), Some(symbol.as_str()));
        prop_assert_eq!(p["side"].as_str(), Some(side.as_str()));
        prop_assert_eq!(decimal_in(&frame, "quantity"), quantity);
        prop_assert_eq!(p["aboveType"].as_str(), Some("STOP_LOSS_LIMIT"));
        prop_assert_eq!(decimal_in(&frame, "abovePrice"), limit_price);
        prop_assert_eq!(decimal_in(&frame, "aboveStopPrice"), stop_price);
        prop_assert_eq!(p["aboveTimeInForce"].as_str(), Some(tif.as_str()));
        prop_assert_eq!(p["belowType"].as_str(), Some("LIMIT_MAKER"));
        prop_assert_eq!(decimal_in(&frame, "belowPrice"), limit_price);
        // The client named the list, so it can be reconciled.
        prop_assert!(p["listClientOrderId"].as_str().is_some_and(|id| !id.is_empty()));
    }

    #[test]
    fn cancels_and_queries_by_client_id_round_trip(
        symbol in "[A-Z]{3,10}",
        id in "[A-Za-z0-9_-]{1,36}",
        by_exchange_id in any::<bool>(),
        order_id in 1_i64..i64::MAX,
    ) {
        let order = if by_exchange_id {
            OrderRef::Id(order_id)
        } else {
            OrderRef::Client(ClientOrderId::new(&id).unwrap())
        };
        for (method, request) in [
            ("order.cancel", CancelOrder::new(symbol.clone(), order.clone()).into_request()),
            ("order.status", QueryOrder::new(symbol.clone(), order).into_request()),
        ] {
            let frame = frame_of(request);
            let p = &frame["params"];
            prop_assert_eq!(frame["method"].as_str(), Some(method));
            prop_assert_eq!(p["symbol"].as_str(), Some(symbol.as_str()));
            if by_exchange_id {
                prop_assert_eq!(p["orderId"].as_i64(), Some(order_id));
                prop_assert!(p.get("origClientOrderId").is_none(), "exactly one id");
            } else {
                prop_assert_eq!(p["origClientOrderId"].as_str(), Some(id.as_str()));
                prop_assert!(p.get("orderId").is_none(), "exactly one id");
            }
        }
    }
}

/// A pegged OCO leg needs no price and carries its prefixed peg parameters; a bad offset names
/// the prefixed parameter.
#[test]
fn pegged_list_legs_use_their_prefixed_names() {
    use binance_wsapi_proto::PegPriceType;
    let d = |n: i64, scale: u32| Decimal::new(n, scale);
    let oco = OcoOrder::new(
        "BTCUSDT",
        Side::Sell,
        d(1, 2),
        ListLeg::new(OrderType::LimitMaker)
            .peg(PegPriceType::PrimaryPeg)
            .peg_offset_levels(2),
        ListLeg::new(OrderType::StopLoss).stop_price(d(29_000, 0)),
    );
    let frame = frame_of(oco.into_request().unwrap());
    let p = &frame["params"];
    assert!(p.get("abovePrice").is_none());
    assert_eq!(p["abovePegPriceType"], "PRIMARY_PEG");
    assert_eq!(p["abovePegOffsetValue"], 2);
    assert_eq!(p["abovePegOffsetType"], "PRICE_LEVEL");
    let bad = OcoOrder::new(
        "BTCUSDT",
        Side::Sell,
        d(1, 2),
        ListLeg::new(OrderType::LimitMaker)
            .peg(PegPriceType::MarketPeg)
            .peg_offset_levels(0),
        ListLeg::new(OrderType::StopLoss).stop_price(d(29_000, 0)),
    )
    .into_request()
    .unwrap_err();
    assert_eq!(bad.param, "abovePegOffsetValue");
    let market_peg = OcoOrder::new(
        "BTCUSDT",
        Side::Sell,
        d(1, 2),
        ListLeg::limit_maker(d(31_000, 0)),
        ListLeg::new(OrderType::StopLoss)
            .stop_price(d(29_000, 0))
            .peg(PegPriceType::MarketPeg),
    )
    .into_request()
    .unwrap_err();
    assert_eq!(market_peg.param, "belowPegPriceType");
}
