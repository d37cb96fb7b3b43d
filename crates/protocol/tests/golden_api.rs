//! Every typed method against Binance's documented example (`testdata/spec/examples/<method>.json`):
//! the typed builder, fed the documented inputs, gives the documented method and parameters (less
//! `apiKey`, `signature`, `timestamp` and `recvWindow`, which the client adds), and every documented
//! reply reads into the typed reply with the documented values.
//!
//! `every_typed_method_has_a_golden_case` ties this file to [`COVERAGE`]: a method marked typed
//! without a case here fails the build's tests.

use std::collections::BTreeMap;
use std::str::FromStr;

use binance_wsapi_proto::api::account::*;
use binance_wsapi_proto::api::general::*;
use binance_wsapi_proto::api::market::*;
use binance_wsapi_proto::api::session::*;
use binance_wsapi_proto::api::trading::*;
use binance_wsapi_proto::api::{Empty, OneOrMany, SymbolStatus, COVERAGE};
use binance_wsapi_proto::{
    ApiError, CancelOrder, CancelReply, ClientOrderId, Decimal, NewOrderRespType, OrderInfo,
    OrderRef, OrderStatus, OrderType, ParamValue, PlaceOrder, PlacedOrder, QueryOrder, RateLimit,
    RateLimitInterval, RateLimitType, Request, Side, StpMode, TimeInForce, METHODS,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

fn example(method: &str) -> Value {
    let path = format!(
        "{}/../../testdata/spec/examples/{method}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// Parameters the client adds itself (or that the docs add for signing).
const ADDED_BY_CLIENT: &[&str] = &["apiKey", "signature", "timestamp", "recvWindow"];

/// The documented request parameters as text: strings as they are, numbers and lists as JSON.
fn documented_params(doc: &Value) -> BTreeMap<String, String> {
    let Some(params) = doc["request"].get("params") else {
        return BTreeMap::new();
    };
    params
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !ADDED_BY_CLIENT.contains(&k.as_str()))
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str().map_or_else(|| v.to_string(), str::to_owned),
            )
        })
        .collect()
}

/// The built request's parameters as the same text.
fn built_params(request: &Request) -> BTreeMap<String, String> {
    request
        .params()
        .iter()
        .map(|(name, value)| {
            let text = match value {
                ParamValue::Str(s) => s.to_string(),
                ParamValue::Int(i) => i.to_string(),
                ParamValue::Decimal(d) => d.to_string(),
                ParamValue::Bool(b) => b.to_string(),
                ParamValue::List(items) => serde_json::to_string(items).unwrap(),
                ParamValue::ClientOrderId(id) => id.to_string(),
                other => panic!("{name}: unexpected {other:?}"),
            };
            (name.to_owned(), text)
        })
        .collect()
}

/// The typed request for `method`, built from the inputs of its documented example.
fn golden_request(method: &str) -> Option<Request> {
    let cid = |s: &str| ClientOrderId::new(s).unwrap();
    Some(match method {
        "ping" => PingRequest::new().into_request(),
        "time" => TimeRequest::new().into_request(),
        "exchangeInfo" => ExchangeInfoRequest::new()
            .symbols(["BNBBTC"])
            .into_request()
            .ok()?,
        "depth" => DepthRequest::new("BNBBTC").limit(5).into_request().ok()?,
        "trades.recent" => TradesRequest::recent("BNBBTC")
            .limit(1)
            .into_request()
            .ok()?,
        "trades.historical" => TradesRequest::historical("BNBBTC", 0)
            .limit(1)
            .into_request()
            .ok()?,
        "trades.aggregate" => AggTradesRequest::new("BNBBTC")
            .from_id(50_000_000)
            .limit(1)
            .into_request()
            .ok()?,
        "klines" => KlinesRequest::klines("BNBBTC", KlineInterval::Hours1)
            .start_time(1_655_969_280_000)
            .limit(1)
            .into_request()
            .ok()?,
        "uiKlines" => KlinesRequest::ui_klines("BNBBTC", KlineInterval::Hours1)
            .start_time(1_655_969_280_000)
            .limit(1)
            .into_request()
            .ok()?,
        "avgPrice" => AvgPriceRequest::new("BNBBTC").into_request().ok()?,
        "ticker.24hr" => TickerRequest::day("BNBBTC").into_request().ok()?,
        "ticker.tradingDay" => TickerRequest::trading_day_symbols(["BNBBTC", "BTCUSDT"])
            .time_zone("00:00")
            .into_request()
            .ok()?,
        "ticker" => TickerRequest::rolling_symbols(["BNBBTC", "BTCUSDT"])
            .window_size(WindowSize::Days(7))
            .into_request()
            .ok()?,
        "ticker.price" => PriceTickerRequest::symbol("BNBBTC").into_request().ok()?,
        "ticker.book" => BookTickerRequest::symbols(["BNBBTC", "BTCUSDT"])
            .into_request()
            .ok()?,
        "referencePrice" => ReferencePriceRequest::new("BAZUSD").into_request().ok()?,
        "referencePrice.calculation" => ReferencePriceCalculationRequest::new("BAZUSD")
            .into_request()
            .ok()?,
        "account.status" => AccountStatusRequest::new().into_request(),
        "account.rateLimits.orders" => OrderRateLimitsRequest::new().into_request(),
        "allOrders" => AllOrdersRequest::new("BTCUSDT")
            .start_time(1_660_780_800_000)
            .end_time(1_660_867_200_000)
            .limit(5)
            .into_request()
            .ok()?,
        "openOrders.status" => OpenOrdersRequest::symbol("BTCUSDT").into_request().ok()?,
        "myTrades" => MyTradesRequest::new("BTCUSDT")
            .start_time(1_660_780_800_000)
            .end_time(1_660_867_200_000)
            .into_request()
            .ok()?,
        "myPreventedMatches" => MyPreventedMatchesRequest::by_order("BTCUSDT", 35)
            .into_request()
            .ok()?,
        "myAllocations" => MyAllocationsRequest::new("BTCUSDT")
            .order_id(500)
            .into_request()
            .ok()?,
        "account.commission" => AccountCommissionRequest::new("BTCUSDT")
            .into_request()
            .ok()?,
        "order.amendments" => OrderAmendmentsRequest::new("BTCUSDT", 23)
            .into_request()
            .ok()?,
        "myFilters" => MyFiltersRequest::new("BTCUSDT").into_request().ok()?,
        "allOrderLists" => AllOrderListsRequest::new()
            .start_time(1_660_780_800_000)
            .end_time(1_660_867_200_000)
            .limit(5)
            .into_request()
            .ok()?,
        "openOrderLists.status" => OpenOrderListsRequest::new().into_request(),
        "orderList.status" => {
            OrderListStatusRequest::new(OrderListRef::Client(cid("08985fedd9ea2cf6b28996")))
                .into_request()
        }
        "session.logon" => SessionLogonRequest::new().into_request(),
        "session.status" => SessionStatusRequest::new().into_request(),
        "session.logout" => SessionLogoutRequest::new().into_request(),
        "session.subscriptions" => SessionSubscriptionsRequest::new().into_request(),
        "userDataStream.subscribe" => SubscribeRequest::session().into_request(),
        "userDataStream.subscribe.signature" => SubscribeRequest::signature().into_request(),
        "userDataStream.unsubscribe" => UnsubscribeRequest::all().into_request(),
        "order.place" => PlaceOrder::limit(
            "BTCUSDT",
            Side::Sell,
            d("23416.10000000"),
            d("0.00847000"),
            TimeInForce::Gtc,
        )
        .into_request()
        .ok()?,
        "order.cancel" => {
            CancelOrder::new("BTCUSDT", OrderRef::Client(cid("4d96324ff9d44481926157")))
                .into_request()
        }
        "order.status" => QueryOrder::new("BTCUSDT", OrderRef::Id(12_569_099_453)).into_request(),
        "blockTrades.historical" => TradesRequest::block_trades("BNBBTC", 582)
            .limit(1)
            .into_request()
            .ok()?,
        "executionRules" => ExecutionRulesRequest::new()
            .symbol("BAZUSD")
            .into_request()
            .ok()?,
        "orderList.place" => LegacyOcoOrder::new(
            "BTCUSDT",
            Side::Sell,
            d("0.00650000"),
            d("23420.00000000"),
            d("23410.00000000"),
        )
        .stop_limit(d("23405.00000000"), TimeInForce::Gtc)
        .response_type(NewOrderRespType::Result)
        .into_request()
        .ok()?,
        "openOrders.cancelAll" => CancelAllOpenOrders::new("BTCUSDT").into_request().ok()?,
        "order.test" => TestOrder::new(PlaceOrder::limit(
            "BTCUSDT",
            Side::Sell,
            d("23416.10000000"),
            d("0.00847000"),
            TimeInForce::Gtc,
        ))
        .into_request()
        .ok()?,
        "order.cancelReplace" => CancelReplace::new(
            CancelReplaceMode::AllowFailure,
            OrderRef::Client(cid("4d96324ff9d44481926157")),
            PlaceOrder::limit(
                "BTCUSDT",
                Side::Sell,
                d("23416.10000000"),
                d("0.00847000"),
                TimeInForce::Gtc,
            ),
        )
        .into_request()
        .ok()?,
        "order.amend.keepPriority" => {
            AmendOrder::new("BTCUSDT", OrderRef::Client(cid("my_test_order1")), d("5"))
                .into_request()
                .ok()?
        }
        "orderList.cancel" => CancelOrderList::new("BTCUSDT", OrderListRef::Id(1_274_512))
            .into_request()
            .ok()?,
        "orderList.place.oco" => OcoOrder::new(
            "LTCBNB",
            Side::Buy,
            d("1"),
            ListLeg::new(OrderType::StopLossLimit)
                .price(d("1.5"))
                .stop_price(d("1.50000001"))
                .time_in_force(TimeInForce::Gtc),
            ListLeg::limit_maker(d("1.49999999")),
        )
        .into_request()
        .ok()?,
        "orderList.place.oto" => TriggeredList::oto(
            "LTCBNB",
            Side::Sell,
            d("1"),
            ListLeg::limit(d("1"), TimeInForce::Gtc),
            Side::Buy,
            d("1"),
            Pending::One(ListLeg::market()),
        )
        .into_request()
        .ok()?,
        "orderList.place.otoco" => TriggeredList::oto(
            "LTCBNB",
            Side::Buy,
            d("1"),
            ListLeg::limit(d("1.5"), TimeInForce::Gtc),
            Side::Sell,
            d("5"),
            Pending::Oco {
                above: ListLeg::new(OrderType::StopLoss).stop_price(d("0.5")),
                below: ListLeg::limit_maker(d("5")),
            },
        )
        .into_request()
        .ok()?,
        "orderList.place.opo" => TriggeredList::opo(
            "BTCUSDT",
            Side::Buy,
            d("0.0007"),
            ListLeg::limit(d("101496"), TimeInForce::Gtc),
            Side::Sell,
            Pending::One(ListLeg::market()),
        )
        .into_request()
        .ok()?,
        "orderList.place.opoco" => TriggeredList::opo(
            "BTCUSDT",
            Side::Buy,
            d("0.0017"),
            ListLeg::limit(d("102496"), TimeInForce::Gtc),
            Side::Sell,
            Pending::Oco {
                above: ListLeg::limit_maker(d("104261")),
                below: ListLeg::new(OrderType::StopLossLimit)
                    .stop_price(d("10100"))
                    .price(d("101613"))
                    .time_in_force(TimeInForce::Ioc),
            },
        )
        .into_request()
        .ok()?,
        "sor.order.place" => {
            SorOrder::limit("BTCUSDT", Side::Buy, d("31000"), d("0.5"), TimeInForce::Gtc)
                .into_request()
                .ok()?
        }
        "sor.order.test" => {
            SorOrder::limit("BTCUSDT", Side::Buy, d("0.1"), d("0.1"), TimeInForce::Gtc)
                .into_test_request(None)
                .ok()?
        }
        _ => return None,
    })
}

/// Every documented `result` of the example: the first response and the additional ones that
/// succeeded.
fn documented_results(doc: &Value) -> Vec<Value> {
    let mut all = vec![&doc["response"]];
    if let Some(extra) = doc.get("additional_responses").and_then(Value::as_array) {
        all.extend(extra.iter().map(|e| &e["response"]));
    }
    all.into_iter()
        .filter_map(|r| r.get("result").cloned())
        .collect()
}

fn decode<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).unwrap_or_else(|e| panic!("{e}: {value}"))
}

/// Reads every documented reply of `method` into its typed reply and checks documented values.
/// Returns `false` for a method without a typed reply.
fn check_replies(method: &str, doc: &Value) -> bool {
    let results = documented_results(doc);
    assert!(!results.is_empty(), "{method}: no documented result");
    let first = &results[0];
    match method {
        "ping" | "userDataStream.unsubscribe" => {
            let _: Empty = decode(first);
        }
        "time" => {
            let t: ServerTime = decode(first);
            assert_eq!(t.server_time, 1_656_400_526_260);
        }
        "exchangeInfo" => {
            let info: ExchangeInfo = decode(first);
            assert_eq!(info.timezone, "UTC");
            assert_eq!(info.server_time, 1_655_969_291_181);
            assert_eq!(info.rate_limits.len(), 4);
            assert_eq!(
                info.rate_limits[3].rate_limit_type,
                RateLimitType::Connections
            );
            assert_eq!(info.rate_limits[3].limit, 300);
            assert_eq!(info.rate_limits[1].interval, RateLimitInterval::Second);
            let bnb = info.symbol("BNBBTC").unwrap();
            assert_eq!(bnb.status, SymbolStatus::Trading);
            assert_eq!(
                (bnb.base_asset.as_str(), bnb.quote_asset.as_str()),
                ("BNB", "BTC")
            );
            assert_eq!(bnb.base_asset_precision, 8);
            assert_eq!(bnb.order_types.len(), 5);
            assert!(bnb.order_types.contains(&OrderType::StopLossLimit));
            assert!(bnb.oto_allowed && bnb.opo_allowed && !bnb.amend_allowed);
            assert_eq!(bnb.price_filter().unwrap().tick_size, d("0.00000100"));
            assert_eq!(bnb.lot_size().unwrap().step_size, d("0.00100000"));
            assert_eq!(
                bnb.permission_sets,
                vec![vec!["SPOT", "MARGIN", "TRD_GRP_004"]]
            );
            assert_eq!(bnb.default_self_trade_prevention_mode, Some(StpMode::None));
            assert_eq!(info.sors[0].symbols, ["BTCUSDT", "BTCUSDC"]);
        }
        "depth" => {
            let book: OrderBook = decode(first);
            assert_eq!(book.last_update_id, 2_731_179_239);
            assert_eq!((book.bids.len(), book.asks.len()), (5, 5));
            assert_eq!(book.bids[0].price, d("0.01379900"));
            assert_eq!(book.bids[0].qty, d("3.43200000"));
            assert_eq!(book.asks[4].qty, d("0.26800000"));
        }
        "trades.recent" | "trades.historical" => {
            let trades: Vec<Trade> = decode(first);
            assert_eq!(trades.len(), 1);
            let t = &trades[0];
            assert_eq!(t.id, first[0]["id"].as_i64().unwrap());
            assert_eq!(t.price, d(first[0]["price"].as_str().unwrap()));
            assert_eq!(t.quote_qty, d(first[0]["quoteQty"].as_str().unwrap()));
            assert!(t.is_buyer_maker && t.is_best_match);
        }
        "trades.aggregate" => {
            let trades: Vec<AggTrade> = decode(first);
            let t = &trades[0];
            assert_eq!(
                (t.id, t.first_trade_id, t.last_trade_id),
                (50_000_000, 59_120_167, 59_120_170)
            );
            assert_eq!(t.price, d("0.00274100"));
            assert_eq!(t.qty, d("57.19000000"));
            assert_eq!(t.time, 1_565_877_971_222);
            assert!(t.is_buyer_maker && t.is_best_match);
        }
        "klines" | "uiKlines" => {
            let klines: Vec<Kline> = decode(first);
            let k = &klines[0];
            assert_eq!(
                (k.open_time, k.close_time),
                (1_655_971_200_000, 1_655_974_799_999)
            );
            assert_eq!(k.open, d("0.01086000"));
            assert_eq!(k.high, d("0.01086600"));
            assert_eq!(k.low, d("0.01083600"));
            assert_eq!(k.close, d("0.01083800"));
            assert_eq!(k.volume, d("2290.53800000"));
            assert_eq!(k.trades, 2283);
            assert_eq!(k.taker_buy_quote_volume, d("12.71225884"));
        }
        "avgPrice" => {
            let avg: AvgPrice = decode(first);
            assert_eq!(avg.mins, 5);
            assert_eq!(avg.price, d("9.35751834"));
            assert_eq!(avg.close_time, Some(1_694_061_154_503));
        }
        "ticker.24hr" | "ticker.tradingDay" | "ticker" => {
            for (i, result) in results.iter().enumerate() {
                let tickers: OneOrMany<TickerStats> = decode(result);
                assert_eq!(matches!(tickers, OneOrMany::Many(_)), result.is_array());
                for (typed, raw) in tickers.as_slice().iter().zip(
                    result
                        .as_array()
                        .map_or_else(|| vec![result], |a| a.iter().collect()),
                ) {
                    assert_eq!(typed.symbol, raw["symbol"].as_str().unwrap());
                    assert_eq!(typed.last_price, d(raw["lastPrice"].as_str().unwrap()));
                    assert_eq!(typed.count, raw["count"].as_i64().unwrap());
                    assert_eq!(
                        typed.price_change,
                        raw.get("priceChange").map(|v| d(v.as_str().unwrap())),
                        "{method} reply {i}"
                    );
                    assert_eq!(
                        typed.bid_price,
                        raw.get("bidPrice").map(|v| d(v.as_str().unwrap()))
                    );
                }
            }
            if method == "ticker.24hr" {
                let t: OneOrMany<TickerStats> = decode(first);
                let OneOrMany::One(t) = t else { panic!() };
                assert_eq!(t.prev_close_price, Some(d("0.01362800")));
                assert_eq!(t.first_id, 194_696_115);
            }
        }
        "ticker.price" => {
            let one: OneOrMany<PriceTicker> = decode(first);
            assert_eq!(one.as_slice()[0].price, d("0.01361900"));
            let many: OneOrMany<PriceTicker> = decode(&results[1]);
            let many = many.into_vec();
            assert_eq!(many.len(), 3);
            assert_eq!(many[2].symbol, "BNBBUSD");
            assert_eq!(many[1].price, d("24267.15000000"));
        }
        "ticker.book" => {
            let one: OneOrMany<BookTicker> = decode(first);
            assert!(matches!(one, OneOrMany::One(_)));
            assert_eq!(one.as_slice()[0].ask_qty, d("17.83700000"));
            let many: OneOrMany<BookTicker> = decode(&results[1]);
            assert_eq!(many.as_slice()[1].bid_price, d("23980.49000000"));
        }
        "referencePrice" => {
            let set: ReferencePriceReply = decode(first);
            let ReferencePriceReply::Price(p) = set else {
                panic!("{set:?}")
            };
            assert_eq!(p.reference_price, Some(d("0.00501900")));
            assert_eq!(p.timestamp, 1_770_946_889_251);
            let unset: ReferencePriceReply = decode(&results[1]);
            assert!(matches!(
                unset,
                ReferencePriceReply::Price(ReferencePrice {
                    reference_price: None,
                    ..
                })
            ));
            let never: ReferencePriceReply = decode(&results[2]);
            assert!(matches!(
                never,
                ReferencePriceReply::Error { code: -2043, .. }
            ));
        }
        "referencePrice.calculation" => {
            let mean: ReferencePriceCalculation = decode(first);
            assert_eq!(mean.calculation_type, CalculationType::ArithmeticMean);
            assert_eq!(
                (mean.bucket_count, mean.bucket_width_ms),
                (Some(10), Some(1000))
            );
            let ext: ReferencePriceCalculation = decode(&results[1]);
            assert_eq!(ext.calculation_type, CalculationType::External);
            assert_eq!(ext.external_calculation_id, Some(42));
            assert_eq!(ext.bucket_count, None);
        }
        "account.status" => {
            let a: AccountInfo = decode(first);
            assert_eq!(a.maker_commission, Some(15));
            assert_eq!(a.commission_rates.unwrap().maker, d("0.00150000"));
            assert!(a.can_trade && !a.brokered);
            assert_eq!(a.account_type, "SPOT");
            assert_eq!(a.balances.len(), 3);
            let btc = a.balance("BTC").unwrap();
            assert_eq!((btc.free, btc.locked), (d("1.3447112"), d("0.08600000")));
            assert_eq!(a.uid, Some(354_937_868));
        }
        "account.rateLimits.orders" => {
            let limits: Vec<RateLimit> = decode(first);
            assert_eq!(limits.len(), 2);
            assert_eq!(limits[0].rate_limit_type, RateLimitType::Orders);
            assert_eq!((limits[0].interval_num, limits[0].limit), (10, 50));
            assert_eq!(limits[1].interval, RateLimitInterval::Day);
            assert_eq!(limits[1].count, Some(0));
        }
        "allOrders" | "openOrders.status" => {
            let orders: Vec<OrderInfo> = decode(first);
            let o = &orders[0];
            assert_eq!(o.order_id, 12_569_099_453);
            assert_eq!(o.price, d("23416.10000000"));
            assert_eq!(o.executed_qty, d(first[0]["executedQty"].as_str().unwrap()));
            let status = if method == "allOrders" {
                OrderStatus::Filled
            } else {
                OrderStatus::PartiallyFilled
            };
            assert_eq!(o.status, status);
            assert_eq!(o.side, Side::Sell);
        }
        "myTrades" => {
            let trades: Vec<AccountTrade> = decode(first);
            assert_eq!(trades.len(), 2);
            assert_eq!(trades[0].id, 1_650_422_481);
            assert_eq!(trades[1].price, d("23416.50000000"));
            assert_eq!(trades[1].qty, d("0.00212000"));
            assert_eq!(trades[0].commission_asset, "BNB");
            assert!(!trades[0].is_buyer && trades[0].is_maker);
        }
        "myPreventedMatches" => {
            let matches: Vec<PreventedMatch> = decode(first);
            let m = &matches[0];
            assert_eq!(
                (m.prevented_match_id, m.taker_order_id, m.maker_order_id),
                (1, 5, 3)
            );
            assert_eq!(m.self_trade_prevention_mode, StpMode::ExpireMaker);
            assert_eq!(m.maker_prevented_quantity, d("1.300000"));
        }
        "myAllocations" => {
            let allocations: Vec<Allocation> = decode(first);
            let a = &allocations[0];
            assert_eq!((a.allocation_id, a.order_id), (0, 500));
            assert_eq!(a.allocation_type, "SOR");
            assert_eq!(a.qty, d("0.10000000"));
            assert!(!a.is_allocator);
        }
        "account.commission" => {
            let c: AccountCommission = decode(first);
            assert_eq!(c.standard_commission.taker, d("0.00000020"));
            assert_eq!(c.special_commission.unwrap().seller, d("0.04000000"));
            assert_eq!(c.tax_commission.buyer, d("0.00000118"));
            assert_eq!(c.discount.discount, d("0.75000000"));
            assert_eq!(c.discount.discount_asset, "BNB");
        }
        "order.amendments" => {
            let amendments: Vec<OrderAmendment> = decode(first);
            let a = &amendments[0];
            assert_eq!((a.order_id, a.execution_id), (23, 60));
            assert_eq!((a.orig_qty, a.new_qty), (d("7.00000000"), d("5.00000000")));
            assert_eq!(a.orig_client_order_id, "my_pending_order");
        }
        "myFilters" => {
            let f: MyFilters = decode(first);
            assert_eq!(f.exchange_filters, vec![Filter::ExchangeMaxNumOrders(1000)]);
            assert_eq!(f.symbol_filters, vec![Filter::MaxNumOrderLists(20)]);
            let Filter::MaxAsset(max) = &f.asset_filters[0] else {
                panic!("{:?}", f.asset_filters)
            };
            assert_eq!(
                (max.asset.as_str(), max.limit),
                ("JPY", d("1000000.00000000"))
            );
        }
        "allOrderLists" | "openOrderLists.status" | "orderList.status" => {
            let lists: Vec<OrderList> = if method == "orderList.status" {
                vec![decode(first)]
            } else {
                decode(first)
            };
            let l = &lists[0];
            assert_eq!(l.contingency_type, ContingencyType::Oco);
            assert_eq!(l.list_status_type, ListStatusType::ExecStarted);
            assert_eq!(l.list_order_status, ListOrderStatus::Executing);
            assert_eq!(l.list_client_order_id, "08985fedd9ea2cf6b28996");
            assert_eq!(l.orders.len(), 2);
            assert_eq!(
                l.orders[1].order_id,
                first_list(first)["orders"][1]["orderId"].as_i64().unwrap()
            );
        }
        "session.logon" | "session.status" | "session.logout" => {
            let s: SessionStatus = decode(first);
            assert_eq!(s.connected_since, 1_649_729_873_021);
            assert!(!s.return_rate_limits);
            if method == "session.logout" {
                assert!(!s.is_logged_on() && s.authorized_since.is_none());
            } else {
                assert!(s.is_logged_on());
                assert_eq!(s.authorized_since, Some(1_649_729_878_532));
            }
            assert_eq!(s.user_data_stream, method == "session.status");
        }
        "session.subscriptions" => {
            let subs: Vec<Subscription> = decode(first);
            let ids: Vec<u64> = subs.iter().map(|s| s.subscription_id).collect();
            assert_eq!(ids, [0, 1]);
        }
        "userDataStream.subscribe" | "userDataStream.subscribe.signature" => {
            let sub: Subscription = decode(first);
            assert_eq!(sub.subscription_id, 0);
        }
        "order.place" => {
            for result in &results {
                let placed: PlacedOrder = decode(result);
                assert_eq!(placed.order_id, 12_569_099_453);
            }
        }
        "order.cancel" => {
            let reply: CancelReply = decode(first);
            assert!(matches!(reply, CancelReply::Order(o) if o.status == OrderStatus::Canceled));
        }
        "order.status" => {
            let info: OrderInfo = decode(first);
            assert_eq!(info.order_id, 12_569_099_453);
        }
        "blockTrades.historical" => {
            let trades: Vec<BlockTrade> = decode(first);
            assert_eq!(trades.len(), 1);
            assert_eq!(trades[0].id, 582);
            assert_eq!((trades[0].price, trades[0].qty), (d("0.052"), d("5838")));
            assert_eq!(trades[0].quote_qty, d("303.576"));
            assert_eq!(trades[0].time, 1_772_506_983_321);
            assert!(trades[0].is_buyer_maker);
        }
        "executionRules" => {
            let rules: ExecutionRules = decode(first);
            assert_eq!(rules.symbol_rules.len(), 1);
            assert_eq!(rules.symbol_rules[0].symbol, "BAZUSD");
            let ExecutionRule::PriceRange(range) = &rules.symbol_rules[0].rules[0] else {
                panic!("{rules:?}")
            };
            assert_eq!(range.bid_limit_mult_up, d("1.0001"));
            assert_eq!(range.ask_limit_mult_down, d("0.9999"));
        }
        "openOrders.cancelAll" => {
            let entries: Vec<CancelAllEntry> = decode(first);
            assert_eq!(entries.len(), 2);
            let CancelAllEntry::Order(order) = &entries[0] else {
                panic!("{:?}", entries[0])
            };
            assert_eq!(order.status, OrderStatus::Canceled);
            assert_eq!(order.strategy_id, Some(37_463_720));
            assert_eq!(order.executed_qty, d("0.00001000"));
            let CancelAllEntry::List(list) = &entries[1] else {
                panic!("{:?}", entries[1])
            };
            assert_eq!(list.order_list_id, 19_431);
            assert_eq!(list.list_status_type, ListStatusType::AllDone);
            assert_eq!(list.order_reports.len(), 2);
            assert_eq!(list.order_reports[0].stop_price, Some(d("23430.00000000")));
            assert_eq!(
                list.order_reports[1].orig_client_order_id.as_deref(),
                Some("Tnu2IP0J5Y4mxw3IATBfmW")
            );
        }
        "order.test" | "sor.order.test" => {
            let empty: OrderTestReply = decode(first);
            assert!(empty.standard_commission_for_order.is_none() && empty.discount.is_none());
            let rates: OrderTestReply = decode(&results[1]);
            let standard = rates.standard_commission_for_order.unwrap();
            assert_eq!(
                (standard.maker, standard.taker),
                (d("0.00000112"), d("0.00000114"))
            );
            assert_eq!(
                rates.tax_commission_for_order.unwrap().taker,
                d("0.00000114")
            );
            assert_eq!(rates.discount.unwrap().discount, d("0.25"));
            if method == "order.test" {
                assert_eq!(
                    rates.special_commission_for_order.unwrap().taker,
                    d("0.06000000")
                );
            } else {
                assert!(rates.special_commission_for_order.is_none());
            }
        }
        "order.cancelReplace" => {
            let reply: CancelReplaceReply = decode(first);
            assert_eq!(reply.cancel_result, CancelReplaceResult::Success);
            assert_eq!(reply.new_order_result, CancelReplaceResult::Success);
            let Some(LegOutcome::Done(cancelled)) = &reply.cancel_response else {
                panic!("{reply:?}")
            };
            assert_eq!(cancelled.order_id, 125_690_984_230);
            assert_eq!(cancelled.status, OrderStatus::Canceled);
            let Some(LegOutcome::Done(placed)) = &reply.new_order_response else {
                panic!("{reply:?}")
            };
            assert_eq!(placed.status, Some(OrderStatus::New));
            assert_eq!(placed.price, Some(d("23416.10000000")));
        }
        "order.amend.keepPriority" => {
            let reply: AmendReply = decode(first);
            assert_eq!(
                (reply.transact_time, reply.execution_id),
                (1_741_923_284_382, 16)
            );
            assert_eq!(reply.amended_order.qty, d("5.00000000"));
            assert_eq!(reply.amended_order.orig_client_order_id, "my_test_order1");
            assert_eq!(reply.amended_order.cumulative_quote_qty, Some(d("0")));
            assert!(reply.list_status.is_none());
            let in_list: AmendReply = decode(&results[1]);
            let list = in_list.list_status.unwrap();
            assert_eq!(list.contingency_type, ContingencyType::Oto);
            assert_eq!(list.orders[1].order_id, 23);
        }
        "orderList.cancel" => {
            let reply: OrderListReply = decode(first);
            assert_eq!(reply.order_list_id, 1_274_512);
            assert_eq!(reply.list_status_type, ListStatusType::AllDone);
            assert_eq!(reply.order_reports.len(), 2);
            assert_eq!(reply.order_reports[0].order_type, OrderType::StopLossLimit);
            assert_eq!(reply.order_reports[0].stop_price, Some(d("23405.00000000")));
            assert_eq!(reply.order_reports[1].status, OrderStatus::Canceled);
        }
        "orderList.place"
        | "orderList.place.oco"
        | "orderList.place.oto"
        | "orderList.place.otoco"
        | "orderList.place.opo"
        | "orderList.place.opoco" => {
            for result in &results {
                let reply: OrderListReply = decode(result);
                assert_eq!(reply.order_list_id, result["orderListId"].as_i64().unwrap());
                assert_eq!(
                    reply.orders.len(),
                    result["orders"].as_array().unwrap().len()
                );
                assert_eq!(reply.order_reports.len(), reply.orders.len());
                assert_eq!(reply.list_order_status, ListOrderStatus::Executing);
                for (typed, raw) in reply
                    .order_reports
                    .iter()
                    .zip(result["orderReports"].as_array().unwrap())
                {
                    assert_eq!(typed.order_id, raw["orderId"].as_i64().unwrap());
                    assert_eq!(typed.price, d(raw["price"].as_str().unwrap()));
                    assert_eq!(
                        typed.orig_qty,
                        raw.get("origQty").map(|q| d(q.as_str().unwrap()))
                    );
                }
            }
            let reply: OrderListReply = decode(first);
            match method {
                "orderList.place.oco" => {
                    assert_eq!(reply.contingency_type, ContingencyType::Oco);
                    assert_eq!(reply.order_reports[0].stop_price, Some(d("1.50000001")));
                }
                "orderList.place" => {
                    assert_eq!(reply.contingency_type, ContingencyType::Oco);
                    assert_eq!(reply.order_list_id, 1_274_512);
                    assert_eq!(reply.order_reports[1].order_type, OrderType::LimitMaker);
                    assert_eq!(reply.order_reports[0].stop_price, Some(d("23405.00000000")));
                }
                "orderList.place.opo" => {
                    let pending = &reply.order_reports[1];
                    assert_eq!(pending.status, OrderStatus::PendingNew);
                    assert_eq!(pending.orig_qty, None);
                    assert_eq!(pending.working_time, Some(-1));
                }
                _ => assert_eq!(reply.contingency_type, ContingencyType::Oto),
            }
        }
        "sor.order.place" => {
            let orders: Vec<PlacedOrder> = decode(first);
            let o = &orders[0];
            assert_eq!(o.status, Some(OrderStatus::Filled));
            assert_eq!(o.used_sor, Some(true));
            assert_eq!(o.working_floor.as_deref(), Some("SOR"));
            assert_eq!(o.fills[0].price, d("28000.00000000"));
            assert_eq!(o.fills[0].trade_id, -1);
        }
        _ => return false,
    }
    true
}

fn first_list(result: &Value) -> &Value {
    if result.is_array() {
        &result[0]
    } else {
        result
    }
}

#[test]
fn every_typed_method_has_a_golden_case() {
    let names: Vec<&str> = COVERAGE.iter().map(|c| c.method).collect();
    let known: Vec<&str> = METHODS.iter().map(|m| m.name).collect();
    assert_eq!(
        names, known,
        "the coverage table must list exactly the known methods"
    );
    let mut requests = 0;
    let mut replies = 0;
    for entry in COVERAGE {
        let doc = example(entry.method);
        assert_eq!(doc["request"]["method"], entry.method);
        let request = golden_request(entry.method);
        assert_eq!(
            request.is_some(),
            entry.request,
            "{}: coverage says request typed = {}",
            entry.method,
            entry.request
        );
        if let Some(request) = request {
            assert_eq!(request.method(), entry.method);
            assert_eq!(
                built_params(&request),
                documented_params(&doc),
                "{}: parameters differ from the documented request",
                entry.method
            );
            requests += 1;
        }
        let checked = check_replies(entry.method, &doc);
        assert_eq!(checked, entry.response, "{}: typed reply", entry.method);
        replies += usize::from(checked);
    }
    assert_eq!(requests, COVERAGE.iter().filter(|c| c.request).count());
    assert_eq!(requests, 55, "every method has a typed request");
    assert_eq!(replies, COVERAGE.iter().filter(|c| c.response).count());
}

#[test]
fn every_documented_filter_reads_into_its_variant() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/spec/examples/filters"
    );
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let filter: Filter = decode(&doc["json"]);
        assert!(
            !matches!(filter, Filter::Other(_)),
            "{}: {filter:?}",
            path.display()
        );
        assert_eq!(filter.filter_type(), doc["filterType"].as_str());
        seen += 1;
    }
    assert_eq!(seen, 20);
    let notional: Filter = decode(&example_filter("NOTIONAL"));
    let Filter::Notional(n) = notional else {
        panic!()
    };
    assert_eq!(
        (n.min_notional, n.max_notional),
        (d("10.00000000"), d("10000.00000000"))
    );
    assert!(!n.apply_min_to_market);
    let trailing: Filter = decode(&example_filter("TRAILING_DELTA"));
    let Filter::TrailingDelta(t) = trailing else {
        panic!()
    };
    assert_eq!(t.max_trailing_below_delta, 2000);
}

fn example_filter(name: &str) -> Value {
    let path = format!(
        "{}/../../testdata/spec/examples/filters/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["json"].clone()
}

#[test]
fn exchange_info_symbol_status_and_permissions_render_as_documented() {
    let request = ExchangeInfoRequest::new()
        .permissions(["SPOT", "MARGIN"])
        .symbol_status(SymbolStatus::Trading)
        .show_permission_sets(false)
        .into_request()
        .unwrap();
    let params = built_params(&request);
    assert_eq!(params["permissions"], r#"["SPOT","MARGIN"]"#);
    assert_eq!(params["symbolStatus"], "TRADING");
    assert_eq!(params["showPermissionSets"], "false");
}

#[test]
fn cancel_replace_failures_carry_both_halves_in_error_data() {
    let doc = example("order.cancelReplace");
    let mut seen = 0;
    for extra in doc["additional_responses"].as_array().unwrap() {
        let error = &extra["response"]["error"];
        let data = error
            .get("data")
            .map(|d| serde_json::value::RawValue::from_string(d.to_string()).unwrap());
        let api = ApiError {
            status: u16::try_from(extra["response"]["status"].as_u64().unwrap()).unwrap(),
            code: error["code"].as_i64().unwrap(),
            msg: error["msg"].as_str().unwrap().to_owned(),
            data,
            retry_after_ms: None,
            server_time_ms: None,
        };
        let Some(reply) = CancelReplaceReply::from_error(&api) else {
            assert_eq!(api.code, -1015, "{}", extra["label"]);
            continue;
        };
        seen += 1;
        let raw = &error["data"];
        assert_eq!(
            reply.cancel_result.as_str(),
            raw["cancelResult"].as_str().unwrap()
        );
        assert_eq!(
            reply.new_order_result.as_str(),
            raw["newOrderResult"].as_str().unwrap()
        );
        match &reply.cancel_response {
            Some(LegOutcome::Failed { code, .. }) => assert_eq!(*code, -2011),
            Some(LegOutcome::Done(order)) => assert_eq!(order.status, OrderStatus::Canceled),
            other => panic!("{other:?}"),
        }
        match (&reply.new_order_result, &reply.new_order_response) {
            (CancelReplaceResult::NotAttempted, None) => {}
            (CancelReplaceResult::Failure, Some(LegOutcome::Failed { code, .. })) => {
                assert!([-2010, -1015].contains(code));
            }
            (CancelReplaceResult::Success, Some(LegOutcome::Done(order))) => {
                assert_eq!(order.working_time, Some(1_669_693_344_508));
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(seen, 5);
}
