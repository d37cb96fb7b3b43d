//! The methods the emulator answers: what each costs, how it is authenticated, and what it does.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::accounts::AccountId;
use crate::book::Side;
use crate::connection::{Connection, Session, Shared};
use crate::errors::ApiErr;
use crate::exchange::{NewOrder, OrderRef, Pending};
use crate::frame::RequestFrame;
use crate::lists::OrderList;
use crate::market::fmt8;
use crate::orders::{Order, OrderType, Stp, Tif};

/// How a method is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Public.
    None,
    /// TRADE / USER_DATA: signed, or a logged-on session.
    Signed,
    /// SIGNED / USER_STREAM with a signature: always signed.
    AlwaysSigned,
    /// Needs a logged-on session.
    Session,
}

/// Everything a method needs.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// Shared state.
    pub shared: &'a mut Shared,
    /// The connection.
    pub conn: &'a mut Connection,
    /// The request.
    pub request: &'a RequestFrame,
    /// The authenticated account, for signed methods.
    pub account: Option<AccountId>,
    /// Server time (ms).
    pub now: i64,
}

impl Ctx<'_> {
    fn account(&self) -> Result<AccountId, ApiErr> {
        self.account.ok_or_else(ApiErr::rejected_key)
    }
}

/// One method.
#[derive(Debug)]
pub struct MethodSpec {
    /// Name.
    pub name: &'static str,
    /// Authentication.
    pub security: Security,
    /// Request weight.
    pub weight: fn(&RequestFrame) -> u64,
    /// Whether a success costs no weight (order placement and cancels since 2026-04-02).
    pub free_on_success: bool,
    /// Whether replies show the account's ORDERS counters.
    pub counts_orders: bool,
    /// What it does.
    pub handler: fn(&mut Ctx<'_>) -> Result<Value, ApiErr>,
}

const fn spec(
    name: &'static str,
    security: Security,
    weight: fn(&RequestFrame) -> u64,
    handler: fn(&mut Ctx<'_>) -> Result<Value, ApiErr>,
) -> MethodSpec {
    MethodSpec {
        name,
        security,
        weight,
        free_on_success: false,
        counts_orders: false,
        handler,
    }
}

/// `order.test` and `sor.order.test`: checked like an order, placed nowhere, counted as no order;
/// weight 1, or 20 with `computeCommissionRates=true`.
const fn test_order(
    name: &'static str,
    handler: fn(&mut Ctx<'_>) -> Result<Value, ApiErr>,
) -> MethodSpec {
    MethodSpec {
        counts_orders: false,
        free_on_success: false,
        weight: |r| {
            if r.bool_opt("computeCommissionRates") == Ok(Some(true)) {
                20
            } else {
                1
            }
        },
        ..trading(name, handler)
    }
}

const fn trading(
    name: &'static str,
    handler: fn(&mut Ctx<'_>) -> Result<Value, ApiErr>,
) -> MethodSpec {
    MethodSpec {
        name,
        security: Security::Signed,
        weight: w1,
        free_on_success: true,
        counts_orders: true,
        handler,
    }
}

/// Weight `present` when the request has `param`, `absent` otherwise.
fn by_param(r: &RequestFrame, param: &str, present: u64, absent: u64) -> u64 {
    if r.param(param).is_some() {
        present
    } else {
        absent
    }
}

/// `ticker` and `ticker.tradingDay`: 4 per requested symbol, 200 once more than 50 are asked for.
fn four_per_symbol(r: &RequestFrame) -> u64 {
    let symbols = r
        .param("symbols")
        .and_then(|p| p.value.as_array())
        .map_or(1, |list| list.len().max(1) as u64);
    if symbols > 50 {
        200
    } else {
        4 * symbols
    }
}

fn w1(_: &RequestFrame) -> u64 {
    1
}
fn w2(_: &RequestFrame) -> u64 {
    2
}
fn w4(_: &RequestFrame) -> u64 {
    4
}
fn w6(_: &RequestFrame) -> u64 {
    6
}
fn w20(_: &RequestFrame) -> u64 {
    20
}
fn w25(_: &RequestFrame) -> u64 {
    25
}
fn w40(_: &RequestFrame) -> u64 {
    40
}

static METHODS: &[MethodSpec] = &[
    spec("ping", Security::None, w1, |_| Ok(json!({}))),
    spec("time", Security::None, w1, |c| {
        Ok(json!({"serverTime": c.now}))
    }),
    spec("exchangeInfo", Security::None, w20, exchange_info),
    spec("depth", Security::None, depth_weight, depth),
    spec(
        "ticker.price",
        Security::None,
        |r| by_param(r, "symbol", 2, 4),
        ticker_price,
    ),
    spec(
        "ticker.book",
        Security::None,
        |r| by_param(r, "symbol", 2, 4),
        ticker_book,
    ),
    spec("avgPrice", Security::None, w2, avg_price),
    spec("trades.recent", Security::None, w25, trades_recent),
    spec("trades.historical", Security::None, w25, trades_historical),
    spec("trades.aggregate", Security::None, w4, trades_aggregate),
    spec("klines", Security::None, w2, klines),
    spec("uiKlines", Security::None, w2, klines),
    spec(
        "ticker.24hr",
        Security::None,
        |r| by_param(r, "symbol", 2, 80),
        ticker_24h,
    ),
    spec("ticker", Security::None, four_per_symbol, ticker_rolling),
    spec(
        "ticker.tradingDay",
        Security::None,
        four_per_symbol,
        ticker_trading_day,
    ),
    spec("executionRules", Security::None, w2, execution_rules),
    spec("referencePrice", Security::None, w2, reference_price),
    spec("blockTrades.historical", Security::None, w25, |c| {
        // The emulator has no block trades.
        c.shared.exchange.market(c.request.str_req("symbol")?)?;
        Ok(json!([]))
    }),
    spec("myFilters", Security::Signed, w40, my_filters),
    spec("order.amendments", Security::Signed, w4, order_amendments),
    spec(
        "myTrades",
        Security::Signed,
        |r| by_param(r, "orderId", 5, 20),
        my_trades,
    ),
    spec("allOrders", Security::Signed, w20, all_orders),
    spec(
        "account.commission",
        Security::Signed,
        w20,
        account_commission,
    ),
    spec(
        "account.rateLimits.orders",
        Security::Signed,
        w40,
        rate_limits_orders,
    ),
    spec("session.logon", Security::AlwaysSigned, w2, session_logon),
    spec("session.status", Security::None, w2, session_status),
    spec("session.logout", Security::None, w2, session_logout),
    spec(
        "userDataStream.subscribe",
        Security::Session,
        w2,
        subscribe_session,
    ),
    spec(
        "userDataStream.subscribe.signature",
        Security::AlwaysSigned,
        w2,
        subscribe_signature,
    ),
    spec(
        "userDataStream.unsubscribe",
        Security::None,
        w2,
        unsubscribe,
    ),
    spec("session.subscriptions", Security::None, w2, subscriptions),
    spec("account.status", Security::Signed, w20, account_status),
    trading("order.place", order_place),
    test_order("order.test", order_test),
    trading("orderList.place", list_place_legacy),
    trading("orderList.place.oco", list_place_oco),
    trading("orderList.place.oto", list_place_oto),
    trading("orderList.place.otoco", list_place_otoco),
    trading("orderList.place.opo", list_place_opo),
    trading("orderList.place.opoco", list_place_opoco),
    trading("orderList.cancel", list_cancel),
    spec("orderList.status", Security::Signed, w4, list_status),
    spec("openOrderLists.status", Security::Signed, w6, open_lists),
    spec("allOrderLists", Security::Signed, w20, all_lists),
    spec(
        "myPreventedMatches",
        Security::Signed,
        |r| by_param(r, "orderId", 20, 2),
        my_prevented_matches,
    ),
    spec("myAllocations", Security::Signed, w20, my_allocations),
    trading("sor.order.place", sor_order_place),
    test_order("sor.order.test", sor_order_test),
    spec(
        "referencePrice.calculation",
        Security::None,
        w2,
        reference_price_calculation,
    ),
    trading("order.cancel", order_cancel),
    trading("openOrders.cancelAll", cancel_all),
    trading("order.cancelReplace", cancel_replace),
    MethodSpec {
        weight: w4,
        ..trading("order.amend.keepPriority", amend_keep_priority)
    },
    spec("order.status", Security::Signed, w4, order_status),
    spec(
        "openOrders.status",
        Security::Signed,
        |r| by_param(r, "symbol", 6, 80),
        open_orders,
    ),
];

/// The method called `name`, if the emulator answers it.
pub fn find(name: &str) -> Option<&'static MethodSpec> {
    METHODS.iter().find(|m| m.name == name)
}

/// Names of the methods the emulator answers.
pub fn names() -> impl Iterator<Item = &'static str> {
    METHODS.iter().map(|m| m.name)
}

// ---- general and market data ---------------------------------------------------------------

fn exchange_info(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let wanted: Option<Vec<String>> =
        match (c.request.str_opt("symbol")?, c.request.param("symbols")) {
            (Some(_), Some(_)) => {
                return Err(ApiErr::new(
                    -1106,
                    "Parameter 'symbols' sent when not required.",
                ))
            }
            (Some(s), None) => Some(vec![s.to_owned()]),
            (None, Some(p)) => Some(
                p.value
                    .as_array()
                    .ok_or_else(|| ApiErr::mandatory("symbols"))?
                    .iter()
                    .map(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .ok_or_else(|| ApiErr::mandatory("symbols"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            (None, None) => None,
        };
    let markets = c.shared.exchange.markets();
    let symbols: Vec<Value> = match &wanted {
        None => markets.iter().map(|m| m.exchange_info()).collect(),
        Some(list) => list
            .iter()
            .map(|s| c.shared.exchange.market(s).map(|m| m.exchange_info()))
            .collect::<Result<_, _>>()?,
    };
    // Every base asset routes over its symbols (one each in the default markets).
    let mut by_base: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for m in markets {
        by_base.entry(&m.base).or_default().push(&m.symbol);
    }
    let sors: Vec<Value> = by_base
        .into_iter()
        .map(|(base, symbols)| json!({"baseAsset": base, "symbols": symbols}))
        .collect();
    Ok(json!({
        "timezone": "UTC",
        "serverTime": c.now,
        "rateLimits": [
            {"rateLimitType": "REQUEST_WEIGHT", "interval": "MINUTE", "intervalNum": 1, "limit": 6000},
            {"rateLimitType": "ORDERS", "interval": "SECOND", "intervalNum": 10, "limit": 50},
            {"rateLimitType": "ORDERS", "interval": "DAY", "intervalNum": 1, "limit": 160000},
            {"rateLimitType": "CONNECTIONS", "interval": "MINUTE", "intervalNum": 5, "limit": 300}
        ],
        "exchangeFilters": [],
        "symbols": symbols,
        "sors": sors
    }))
}

fn depth_weight(r: &RequestFrame) -> u64 {
    match r.i64_opt("limit").ok().flatten().unwrap_or(100) {
        ..=100 => 5,
        101..=500 => 25,
        501..=1000 => 50,
        _ => 250,
    }
}

fn depth(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let symbol = c.request.str_req("symbol")?;
    let limit = c.request.i64_opt("limit")?.unwrap_or(100);
    if !(1..=5000).contains(&limit) {
        return Err(ApiErr::too_large("limit", "5000"));
    }
    let limit = usize::try_from(limit).unwrap_or(100);
    let ex = &c.shared.exchange;
    ex.market(symbol)?;
    let side = |s: Side| -> Vec<Value> {
        ex.depth(symbol, s)
            .into_iter()
            .take(limit)
            .map(|(p, q)| json!([fmt8(p), fmt8(q)]))
            .collect()
    };
    Ok(
        json!({"lastUpdateId": ex.last_update_id(), "bids": side(Side::Buy), "asks": side(Side::Sell)}),
    )
}

/// The symbols a ticker request names: `symbol`, `symbols`, or all.
fn ticker_symbols(c: &Ctx<'_>) -> Result<(Vec<String>, bool), ApiErr> {
    if let Some(s) = c.request.str_opt("symbol")? {
        c.shared.exchange.market(s)?;
        return Ok((vec![s.to_owned()], true));
    }
    if let Some(p) = c.request.param("symbols") {
        let list: Vec<String> = p
            .value
            .as_array()
            .ok_or_else(|| ApiErr::mandatory("symbols"))?
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect();
        for s in &list {
            c.shared.exchange.market(s)?;
        }
        return Ok((list, false));
    }
    Ok((
        c.shared
            .exchange
            .markets()
            .iter()
            .map(|m| m.symbol.clone())
            .collect(),
        false,
    ))
}

/// A ticker result: an object for `symbol`, an array otherwise.
fn object_or_array(items: Vec<Value>, single: bool) -> Value {
    if single {
        items.into_iter().next().unwrap_or(Value::Null)
    } else {
        Value::Array(items)
    }
}

fn ticker_price(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let (symbols, single) = ticker_symbols(c)?;
    let items: Vec<Value> = symbols
        .iter()
        .map(|s| json!({"symbol": s, "price": fmt8(c.shared.exchange.last_price(s))}))
        .collect();
    Ok(object_or_array(items, single))
}

fn ticker_book(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let (symbols, single) = ticker_symbols(c)?;
    let items: Vec<Value> = symbols
        .iter()
        .map(|s| {
            let ex = &c.shared.exchange;
            let top = |side| ex.depth(s, side).into_iter().next().unwrap_or_default();
            let (bid, bid_qty) = top(Side::Buy);
            let (ask, ask_qty) = top(Side::Sell);
            json!({"symbol": s, "bidPrice": fmt8(bid), "bidQty": fmt8(bid_qty), "askPrice": fmt8(ask), "askQty": fmt8(ask_qty)})
        })
        .collect();
    Ok(object_or_array(items, single))
}

fn avg_price(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    Ok(json!({"mins": 5, "price": fmt8(c.shared.exchange.last_price(symbol)), "closeTime": c.now}))
}

/// `limit` with its default and cap.
fn limit_param(r: &RequestFrame, default: i64, max: i64) -> Result<usize, ApiErr> {
    let limit = r.i64_opt("limit")?.unwrap_or(default);
    if limit < 1 {
        return Err(ApiErr::mandatory("limit"));
    }
    if limit > max {
        return Err(ApiErr::too_large("limit", &max.to_string()));
    }
    Ok(usize::try_from(limit).unwrap_or(1))
}

fn symbol_trades<'a>(c: &'a Ctx<'_>) -> Result<&'a [crate::trades::TradeRecord], ApiErr> {
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    Ok(c.shared.exchange.trades(symbol))
}

fn trades_recent(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let limit = limit_param(c.request, 500, 1000)?;
    let trades = symbol_trades(c)?;
    let skip = trades.len().saturating_sub(limit);
    Ok(trades[skip..]
        .iter()
        .map(crate::trades::TradeRecord::public_json)
        .collect())
}

fn trades_historical(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let limit = limit_param(c.request, 500, 1000)?;
    let from = c.request.i64_opt("fromId")?;
    let trades = symbol_trades(c)?;
    let selected: Vec<Value> = match from {
        Some(id) => trades
            .iter()
            .filter(|t| t.id as i64 >= id)
            .take(limit)
            .map(|t| t.public_json())
            .collect(),
        None => {
            let skip = trades.len().saturating_sub(limit);
            trades[skip..].iter().map(|t| t.public_json()).collect()
        }
    };
    Ok(Value::Array(selected))
}

fn trades_aggregate(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let limit = limit_param(c.request, 500, 1000)?;
    let from = c.request.i64_opt("fromId")?;
    let start = c.request.i64_opt("startTime")?;
    let end = c.request.i64_opt("endTime")?;
    let trades = symbol_trades(c)?;
    let selected = trades.iter().filter(|t| {
        from.is_none_or(|f| t.id as i64 >= f)
            && start.is_none_or(|s| t.time >= s)
            && end.is_none_or(|e| t.time <= e)
    });
    let list: Vec<Value> = if from.is_none() && start.is_none() {
        let all: Vec<_> = selected.collect();
        let skip = all.len().saturating_sub(limit);
        all[skip..].iter().map(|t| t.aggregate_json()).collect()
    } else {
        selected.take(limit).map(|t| t.aggregate_json()).collect()
    };
    Ok(Value::Array(list))
}

fn klines(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let interval = c.request.str_req("interval")?;
    let len = crate::trades::interval_ms(interval)
        .ok_or_else(|| ApiErr::new(-1120, "Invalid interval."))?;
    let limit = limit_param(c.request, 500, 1000)?;
    let start = c.request.i64_opt("startTime")?;
    let end = c.request.i64_opt("endTime")?;
    let trades = symbol_trades(c)?;
    Ok(Value::Array(crate::trades::klines(
        trades, len, start, end, limit,
    )))
}

fn ticker_24h(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let (symbols, single) = ticker_symbols(c)?;
    let ex = &c.shared.exchange;
    let items: Vec<Value> = symbols
        .iter()
        .map(|s| {
            let top = |side| ex.depth(s, side).into_iter().next().unwrap_or_default();
            let (bid, bid_qty) = top(Side::Buy);
            let (ask, ask_qty) = top(Side::Sell);
            let reference = ex.market(s).map(|m| m.mid_price).unwrap_or_default();
            crate::trades::ticker_24h(
                s,
                ex.trades(s),
                c.now,
                (bid, bid_qty, ask, ask_qty),
                reference,
            )
        })
        .collect();
    Ok(object_or_array(items, single))
}

/// The MINI form keeps only the price and volume fields.
fn mini(mut v: Value, request: &RequestFrame) -> Result<Value, ApiErr> {
    match request.str_opt("type")? {
        None | Some("FULL") => Ok(v),
        Some("MINI") => {
            if let Some(o) = v.as_object_mut() {
                for k in ["priceChange", "priceChangePercent", "weightedAvgPrice"] {
                    o.remove(k);
                }
            }
            Ok(v)
        }
        Some(_) => Err(ApiErr::new(
            -1100,
            "Illegal characters found in parameter 'type'; legal range is 'FULL, MINI'.",
        )),
    }
}

fn ticker_rolling(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let window = match c.request.str_opt("windowSize")? {
        None => 86_400_000,
        Some(size) => crate::trades::window_ms(size)
            .ok_or_else(|| ApiErr::new(-1100, "Invalid windowSize."))?,
    };
    let (symbols, single) = ticker_symbols(c)?;
    let ex = &c.shared.exchange;
    let items = symbols
        .iter()
        .map(|s| {
            let reference = ex.market(s).map(|m| m.mid_price).unwrap_or_default();
            mini(
                crate::trades::window_stats(s, ex.trades(s), c.now - window, c.now, reference),
                c.request,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(object_or_array(items, single))
}

fn ticker_trading_day(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    const DAY: i64 = 86_400_000;
    let open = c.now - c.now.rem_euclid(DAY);
    let (symbols, single) = ticker_symbols(c)?;
    let ex = &c.shared.exchange;
    let items = symbols
        .iter()
        .map(|s| {
            let reference = ex.market(s).map(|m| m.mid_price).unwrap_or_default();
            mini(
                crate::trades::window_stats(s, ex.trades(s), open, open + DAY - 1, reference),
                c.request,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(object_or_array(items, single))
}

fn execution_rules(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let (symbols, _) = ticker_symbols(c)?;
    let rules: Vec<Value> = symbols
        .iter()
        .filter_map(|s| c.shared.exchange.market(s).ok())
        .map(|m| {
            json!({"symbol": m.symbol, "rules": [{"ruleType": "PRICE_RANGE",
                "bidLimitMultUp": crate::market::fmt_plain(m.bid_multiplier.1),
                "bidLimitMultDown": crate::market::fmt_plain(m.bid_multiplier.0),
                "askLimitMultUp": crate::market::fmt_plain(m.ask_multiplier.1),
                "askLimitMultDown": crate::market::fmt_plain(m.ask_multiplier.0)}]})
        })
        .collect();
    Ok(json!({"symbolRules": rules}))
}

fn reference_price(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let symbol = c.request.str_req("symbol")?;
    let mid = c.shared.exchange.market(symbol)?.mid_price;
    Ok(json!({"symbol": symbol, "referencePrice": fmt8(mid), "timestamp": c.now}))
}

fn my_filters(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    c.account()?;
    c.shared.exchange.market(c.request.str_req("symbol")?)?;
    // The emulator sets no account- or asset-level filters.
    Ok(json!({"exchangeFilters": [], "symbolFilters": [], "assetFilters": []}))
}

fn order_amendments(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    let order_id = c
        .request
        .i64_opt("orderId")?
        .ok_or_else(|| ApiErr::mandatory("orderId"))?;
    let from = c.request.i64_opt("fromExecutionId")?;
    let limit = limit_param(c.request, 500, 1000)?;
    c.shared.exchange.find_order(
        account,
        symbol,
        &OrderRef::Id(order_id.max(0).unsigned_abs()),
    )?;
    let list: Vec<Value> = c
        .shared
        .exchange
        .amendments(account, symbol, order_id.max(0).unsigned_abs())
        .into_iter()
        .filter(|a| from.is_none_or(|f| a.execution_id as i64 >= f))
        .take(limit)
        .map(|a| {
            json!({"symbol": a.symbol, "orderId": a.order_id, "executionId": a.execution_id,
                   "origClientOrderId": a.orig_client_order_id, "newClientOrderId": a.new_client_order_id,
                   "origQty": fmt8(a.orig_qty), "newQty": fmt8(a.new_qty), "time": a.time})
        })
        .collect();
    Ok(Value::Array(list))
}

fn my_trades(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    let spec = c.shared.exchange.market(symbol)?.clone();
    let limit = limit_param(c.request, 500, 1000)?;
    let order_id = c.request.i64_opt("orderId")?;
    let from = c.request.i64_opt("fromId")?;
    let start = c.request.i64_opt("startTime")?;
    let end = c.request.i64_opt("endTime")?;
    let ex = &c.shared.exchange;
    // Fills of SOR orders are allocations (myAllocations), not trades.
    let own = |(order, owner): (u64, AccountId)| owner == account && !ex.is_sor_order(order);
    let mine = ex.trades(symbol).iter().filter(|t| {
        (own(t.buyer) || own(t.seller))
            && order_id.is_none_or(|o| {
                (t.buyer.1 == account && t.buyer.0 as i64 == o)
                    || (t.seller.1 == account && t.seller.0 as i64 == o)
            })
            && from.is_none_or(|f| t.id as i64 >= f)
            && start.is_none_or(|s| t.time >= s)
            && end.is_none_or(|e| t.time <= e)
    });
    Ok(mine
        .take(limit)
        .map(|t| t.account_json(symbol, account, &spec.base, &spec.quote))
        .collect())
}

fn all_orders(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    let limit = limit_param(c.request, 500, 1000)?;
    let from = c.request.i64_opt("orderId")?;
    let start = c.request.i64_opt("startTime")?;
    let end = c.request.i64_opt("endTime")?;
    let orders: Vec<Value> = c
        .shared
        .exchange
        .all_orders(account, symbol)
        .into_iter()
        .filter(|o| {
            from.is_none_or(|f| o.id as i64 >= f)
                && start.is_none_or(|s| o.time >= s)
                && end.is_none_or(|e| o.time <= e)
        })
        .take(limit)
        .map(Order::to_json)
        .collect();
    Ok(Value::Array(orders))
}

fn account_commission(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    let fee = fmt8(c.shared.exchange.fee());
    let zero = fmt8(Decimal::ZERO);
    Ok(json!({
        "symbol": symbol,
        "standardCommission": {"maker": fee, "taker": fee, "buyer": zero, "seller": zero},
        "specialCommission": {"maker": zero, "taker": zero, "buyer": zero, "seller": zero},
        "taxCommission": {"maker": zero, "taker": zero, "buyer": zero, "seller": zero},
        "discount": {"enabledForAccount": false, "enabledForSymbol": false, "discountAsset": "BNB", "discount": zero}
    }))
}

fn rate_limits_orders(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let report = c.shared.limiter.report(&c.conn.ip, Some(account), c.now);
    let orders: Vec<Value> = report
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|l| l["rateLimitType"] == "ORDERS")
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    Ok(Value::Array(orders))
}

// ---- session and user data -------------------------------------------------------------------

fn session_json(c: &Ctx<'_>) -> Value {
    let (key, since) = match &c.conn.session {
        Some(s) => (json!(s.api_key), json!(s.since)),
        None => (Value::Null, Value::Null),
    };
    json!({
        "apiKey": key,
        "authorizedSince": since,
        "connectedSince": c.conn.connected_since,
        "returnRateLimits": c.conn.return_rate_limits,
        "serverTime": c.now,
        "userDataStream": !c.shared.exchange.subscriptions_of(c.conn.id).is_empty(),
    })
}

fn session_logon(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let api_key = c.request.str_req("apiKey")?.to_owned();
    let key = c
        .shared
        .exchange
        .key(&api_key)
        .ok_or_else(ApiErr::rejected_key)?;
    if !key.check.is_ed25519() {
        return Err(ApiErr::new(-4056, "HMAC_SHA256 API key is not supported."));
    }
    c.conn.session = Some(Session {
        api_key,
        account: c.account()?,
        since: c.now,
    });
    Ok(session_json(c))
}

fn session_status(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    Ok(session_json(c))
}

fn session_logout(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    if let Some(id) = c.conn.session_subscription.take() {
        c.shared.exchange.unsubscribe(c.conn.id, Some(id), c.now);
    }
    c.conn.session = None;
    Ok(session_json(c))
}

fn new_subscription(c: &mut Ctx<'_>, account: AccountId) -> Result<u64, ApiErr> {
    if c.shared.exchange.is_subscribed(c.conn.id, account) {
        return Err(ApiErr::new(
            -2035,
            "User Data Stream subscription already active.",
        ));
    }
    if c.conn.subscriptions_made >= 65_535 {
        return Err(ApiErr::new(
            -2042,
            "Maximum subscription ID reached for this connection. Please reconnect.",
        ));
    }
    let id = c.conn.subscriptions_made;
    c.conn.subscriptions_made += 1;
    c.shared.exchange.subscribe(c.conn.id, id, account);
    Ok(id)
}

fn subscribe_session(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let id = new_subscription(c, account)?;
    c.conn.session_subscription = Some(id);
    Ok(json!({"subscriptionId": id}))
}

fn subscribe_signature(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let id = new_subscription(c, account)?;
    Ok(json!({"subscriptionId": id}))
}

fn unsubscribe(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let one = c
        .request
        .i64_opt("subscriptionId")?
        .map(|n| n.max(0).unsigned_abs());
    let ended = c.shared.exchange.unsubscribe(c.conn.id, one, c.now);
    if one.is_some() && ended == 0 {
        return Err(ApiErr::new(
            -2036,
            "User Data Stream subscription not active.",
        ));
    }
    if one.is_none() || one == c.conn.session_subscription {
        c.conn.session_subscription = None;
    }
    Ok(json!({}))
}

fn subscriptions(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let ids = c.shared.exchange.subscriptions_of(c.conn.id);
    Ok(ids
        .into_iter()
        .map(|id| json!({"subscriptionId": id}))
        .collect())
}

// ---- account and trading ----------------------------------------------------------------------

fn account_status(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let omit = c.request.bool_opt("omitZeroBalances")?.unwrap_or(false);
    Ok(c.shared.exchange.account_status(c.account()?, omit))
}

/// A leg parameter's name: `price` alone, `abovePrice` / `workingPrice` / … with a prefix.
fn leg_param(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        let mut chars = name.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_ascii_lowercase().to_string() + chars.as_str()
        })
    } else {
        format!("{prefix}{name}")
    }
}

/// A client order id parameter: at most 36 characters of `[.A-Z:/a-z0-9_-]`.
fn client_id_param(r: &RequestFrame, name: &str) -> Result<Option<String>, ApiErr> {
    match r.str_opt(name)? {
        None => Ok(None),
        Some(id) => {
            let ok = id.len() <= 36
                && id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".:/_-".contains(&b));
            if !ok {
                return Err(ApiErr::illegal_chars(name, "^[\\.A-Z\\:/a-z0-9_-]{1,36}$"));
            }
            Ok(Some(id.to_owned()))
        }
    }
}

fn stp_param(r: &RequestFrame) -> Result<Option<Stp>, ApiErr> {
    match r.str_opt("selfTradePreventionMode")? {
        None => Ok(None),
        // -1134 is BAD_STRATEGY_TYPE; an unknown enum value is an illegal parameter value.
        Some(s) => Ok(Some(Stp::parse(s).ok_or_else(|| {
            ApiErr::illegal_chars(
                "selfTradePreventionMode",
                "NONE, EXPIRE_TAKER, EXPIRE_MAKER, EXPIRE_BOTH, DECREMENT, TRANSFER",
            )
        })?)),
    }
}

fn side_param(r: &RequestFrame, name: &str) -> Result<Side, ApiErr> {
    Side::parse(r.str_req(name)?).ok_or_else(ApiErr::invalid_side)
}

fn positive(name: &str, v: Option<Decimal>) -> Result<Option<Decimal>, ApiErr> {
    match v {
        Some(d) if d <= Decimal::ZERO => Err(ApiErr::mandatory(name)),
        other => Ok(other),
    }
}

/// One order as a request describes it. `prefix` names a list leg's parameters (`above`,
/// `working`, `pendingBelow`…; empty for `order.place`); `side` and `quantity` are passed in
/// when the list shares them between legs.
fn read_leg(
    r: &RequestFrame,
    prefix: &str,
    side: Option<Side>,
    quantity: Option<Decimal>,
) -> Result<NewOrder, ApiErr> {
    let name = |n: &str| leg_param(prefix, n);
    let symbol = r.str_req("symbol")?.to_owned();
    let side = match side {
        Some(s) => s,
        None => side_param(r, &name("Side"))?,
    };
    let order_type =
        OrderType::parse(r.str_req(&name("Type"))?).ok_or_else(ApiErr::invalid_order_type)?;
    let tif = match r.str_opt(&name("TimeInForce"))? {
        None => None,
        Some(t) => Some(Tif::parse(t).ok_or_else(ApiErr::invalid_tif)?),
    };
    let client_name = if prefix.is_empty() {
        "newClientOrderId".to_owned()
    } else {
        name("ClientOrderId")
    };
    let trailing_name = name("TrailingDelta");
    let trailing_delta = match r.i64_opt(&trailing_name)? {
        None => None,
        Some(d) => Some(u32::try_from(d).map_err(|_| ApiErr::filter("TRAILING_DELTA"))?),
    };
    let quantity = match quantity {
        Some(q) => Some(q),
        None => positive(&name("Quantity"), r.decimal_opt(&name("Quantity"))?)?,
    };
    if let Some(strategy) = r.i64_opt(&name("StrategyType"))? {
        if strategy < 1_000_000 {
            return Err(ApiErr::new(-1134, "strategyType was less than 1000000."));
        }
    }
    // exchangeInfo says icebergAllowed and pegInstructionsAllowed are false for every symbol.
    if r.param(&name("IcebergQty")).is_some() {
        return Err(ApiErr::order_rejected(
            "Iceberg orders are not supported for this symbol.",
        ));
    }
    if r.param(&name("PegPriceType")).is_some() {
        return Err(ApiErr::order_rejected(
            "Pegged orders are not supported for this symbol.",
        ));
    }
    if !prefix.is_empty() {
        // A list leg's missing parameters are named with the leg's prefix.
        let needs_price = order_type.has_tif() || order_type == OrderType::LimitMaker;
        if quantity.is_none() {
            return Err(ApiErr::mandatory(&name("Quantity")));
        }
        if needs_price && r.param(&name("Price")).is_none() {
            return Err(ApiErr::mandatory(&name("Price")));
        }
        if order_type.has_tif() && tif.is_none() {
            return Err(ApiErr::mandatory(&name("TimeInForce")));
        }
        if order_type.is_conditional()
            && r.param(&name("StopPrice")).is_none()
            && trailing_delta.is_none()
        {
            return Err(ApiErr::one_of(&name("StopPrice"), &trailing_name));
        }
    }
    Ok(NewOrder {
        symbol,
        side,
        order_type,
        tif,
        price: positive(&name("Price"), r.decimal_opt(&name("Price"))?)?,
        quantity,
        quote_qty: if prefix.is_empty() {
            positive("quoteOrderQty", r.decimal_opt("quoteOrderQty")?)?
        } else {
            None
        },
        client_order_id: client_id_param(r, &client_name)?,
        stp: stp_param(r)?,
        stop_price: positive(&name("StopPrice"), r.decimal_opt(&name("StopPrice"))?)?,
        trailing_delta,
        sor: false,
        strategy_id: r.i64_opt(&name("StrategyId"))?,
        strategy_type: r.i64_opt(&name("StrategyType"))?,
    })
}

fn read_new_order(r: &RequestFrame) -> Result<NewOrder, ApiErr> {
    read_leg(r, "", None, None)
}

fn order_place(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let new = read_new_order(c.request)?;
    let resp_type = match c.request.str_opt("newOrderRespType")? {
        None if matches!(new.order_type, OrderType::Limit | OrderType::Market) => "FULL",
        None => "ACK",
        Some(t @ ("ACK" | "RESULT" | "FULL")) => t,
        Some(_) => return Err(ApiErr::new(-1177, "Invalid newOrderRespType.")),
    };
    c.shared.limiter.check_order(account, c.now)?;
    let order = c.shared.exchange.place_order(account, new, c.now)?;
    c.shared.limiter.count_order(account, c.now);
    Ok(order.place_response(resp_type, c.now))
}

fn order_test(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let new = read_new_order(c.request)?;
    c.shared.exchange.test_order(account, &new)?;
    if c.request.bool_opt("computeCommissionRates")? == Some(true) {
        let fee = fmt8(Decimal::new(1, 3));
        let zero = fmt8(Decimal::ZERO);
        return Ok(json!({
            "standardCommissionForOrder": {"maker": fee, "taker": fee},
            "specialCommissionForOrder": {"maker": zero, "taker": zero},
            "taxCommissionForOrder": {"maker": zero, "taker": zero},
            "discount": {"enabledForAccount": false, "enabledForSymbol": false, "discountAsset": "BNB", "discount": zero}
        }));
    }
    Ok(json!({}))
}

fn order_ref(r: &RequestFrame, id_name: &str, client_name: &str) -> Result<OrderRef, ApiErr> {
    match (r.i64_opt(id_name)?, r.str_opt(client_name)?) {
        (Some(id), _) => Ok(OrderRef::Id(id.max(0).unsigned_abs())),
        (None, Some(client)) => Ok(OrderRef::Client(client.to_owned())),
        (None, None) => Err(ApiErr::one_of(id_name, client_name)),
    }
}

fn order_cancel(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    let by = order_ref(c.request, "orderId", "origClientOrderId")?;
    let cancel_id = c.request.str_opt("newClientOrderId")?.map(str::to_owned);
    let order = c
        .shared
        .exchange
        .cancel_order(account, symbol, &by, cancel_id, c.now)?;
    // Cancelling one order of a list cancels the list; the reply is the list's.
    if let Some(list) = order
        .order_list_id
        .and_then(|id| c.shared.exchange.list(id))
    {
        let orders = c.shared.exchange.list_orders(list);
        return Ok(list_cancel_reply(list, &orders, c.now, true));
    }
    Ok(order.cancel_response(c.now))
}

fn cancel_all(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?.to_owned();
    c.shared.exchange.market(&symbol)?;
    let ids: Vec<u64> = c
        .shared
        .exchange
        .open_orders(account, Some(&symbol))
        .iter()
        .map(|o| o.id)
        .collect();
    if ids.is_empty() {
        return Err(ApiErr::cancel_rejected("Unknown order sent."));
    }
    let mut out = Vec::new();
    for id in ids {
        let still_open = c
            .shared
            .exchange
            .find_order(account, &symbol, &OrderRef::Id(id))
            .is_ok_and(|o| o.status.is_open());
        if !still_open {
            // Cancelled with its list already.
            continue;
        }
        let order =
            c.shared
                .exchange
                .cancel_order(account, &symbol, &OrderRef::Id(id), None, c.now)?;
        match order.order_list_id.and_then(|l| c.shared.exchange.list(l)) {
            Some(list) => {
                let orders = c.shared.exchange.list_orders(list);
                out.push(list_cancel_reply(list, &orders, c.now, true));
            }
            None => out.push(order.cancel_response(c.now)),
        }
    }
    Ok(Value::Array(out))
}

/// `order.cancelReplace`: cancel, then place, reporting each half (not transactional).
fn cancel_replace(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?.to_owned();
    let stop_on_failure = match c.request.str_req("cancelReplaceMode")? {
        "STOP_ON_FAILURE" => true,
        "ALLOW_FAILURE" => false,
        _ => return Err(ApiErr::new(-1145, "Invalid cancelReplaceMode.")),
    };
    let by = order_ref(c.request, "cancelOrderId", "cancelOrigClientOrderId")?;
    let cancel_id = c
        .request
        .str_opt("cancelNewClientOrderId")?
        .map(str::to_owned);
    let new = read_new_order(c.request)?;
    let resp_type = c
        .request
        .str_opt("newOrderRespType")?
        .unwrap_or("FULL")
        .to_owned();
    // The order count goes up even when the new order is not attempted.
    c.shared.limiter.check_order(account, c.now)?;
    c.shared.limiter.count_order(account, c.now);
    let cancel = c
        .shared
        .exchange
        .cancel_order(account, &symbol, &by, cancel_id, c.now);
    let placed = match (&cancel, stop_on_failure) {
        (Err(_), true) => None,
        _ => Some(c.shared.exchange.place_order(account, new, c.now)),
    };
    let half = |r: Result<Value, ApiErr>| match r {
        Ok(v) => ("SUCCESS", v),
        Err(e) => ("FAILURE", e.to_json()),
    };
    let (cancel_result, cancel_response) = half(cancel.map(|o| o.cancel_response(c.now)));
    let (new_result, new_response) = match placed {
        None => ("NOT_ATTEMPTED", Value::Null),
        Some(r) => half(r.map(|o| o.place_response(&resp_type, c.now))),
    };
    let data = json!({"cancelResult": cancel_result, "newOrderResult": new_result,
                      "cancelResponse": cancel_response, "newOrderResponse": new_response});
    match (cancel_result, new_result) {
        ("SUCCESS", "SUCCESS") => Ok(data),
        ("SUCCESS", _) | (_, "SUCCESS") => {
            let mut e = ApiErr::new(-2021, "Order cancel-replace partially failed.");
            e.status = 409;
            e.data = Some(data);
            Err(e)
        }
        _ => {
            let mut e = ApiErr::new(-2022, "Order cancel-replace failed.");
            e.data = Some(data);
            Err(e)
        }
    }
}

fn amend_keep_priority(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?.to_owned();
    let by = order_ref(c.request, "orderId", "origClientOrderId")?;
    let new_qty = c
        .request
        .decimal_opt("newQty")?
        .ok_or_else(|| ApiErr::mandatory("newQty"))?;
    if new_qty <= Decimal::ZERO {
        return Err(ApiErr::mandatory("newQty"));
    }
    let new_id = c.request.str_opt("newClientOrderId")?.map(str::to_owned);
    let (order, old_id) = c
        .shared
        .exchange
        .amend_keep_priority(account, &symbol, &by, new_qty, new_id, c.now)?;
    Ok(json!({
        "transactTime": c.now,
        "executionId": c.shared.exchange.last_update_id(),
        "amendedOrder": {
            "symbol": order.symbol, "orderId": order.id, "orderListId": order.list_id_json(),
            "origClientOrderId": old_id, "clientOrderId": order.client_order_id,
            "price": fmt8(order.price), "qty": fmt8(order.orig_qty), "executedQty": fmt8(order.executed_qty),
            "preventedQty": fmt8(Decimal::ZERO), "quoteOrderQty": fmt8(order.orig_quote_qty),
            "cumulativeQuoteQty": fmt8(order.cum_quote), "status": order.status.as_str(),
            "timeInForce": order.tif.as_str(), "type": order.order_type.as_str(), "side": order.side.as_str(),
            "workingTime": order.time, "selfTradePreventionMode": order.stp.as_str()
        }
    }))
}

fn order_status(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    let by = order_ref(c.request, "orderId", "origClientOrderId")?;
    Ok(c.shared
        .exchange
        .find_order(account, symbol, &by)?
        .to_json())
}

fn open_orders(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_opt("symbol")?;
    if let Some(s) = symbol {
        c.shared.exchange.market(s)?;
    }
    Ok(c.shared
        .exchange
        .open_orders(account, symbol)
        .iter()
        .map(|o| o.to_json())
        .collect())
}

// ---- smart order routing -------------------------------------------------------------------------

/// An SOR order: LIMIT or MARKET by quantity. The emulator has one venue per symbol, so routing
/// is placing the order there; its fills are reported as allocations.
fn read_sor_order(r: &RequestFrame) -> Result<NewOrder, ApiErr> {
    let mut new = read_new_order(r)?;
    if !matches!(new.order_type, OrderType::Limit | OrderType::Market) {
        return Err(ApiErr::invalid_order_type());
    }
    if new.quantity.is_none() {
        return Err(ApiErr::mandatory("quantity"));
    }
    new.sor = true;
    Ok(new)
}

fn sor_order_place(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let new = read_sor_order(c.request)?;
    let resp_type = match c.request.str_opt("newOrderRespType")? {
        None => "FULL",
        Some(t @ ("ACK" | "RESULT" | "FULL")) => t,
        Some(_) => return Err(ApiErr::new(-1177, "Invalid newOrderRespType.")),
    };
    c.shared.limiter.check_order(account, c.now)?;
    let order = c.shared.exchange.place_order(account, new, c.now)?;
    c.shared.limiter.count_order(account, c.now);
    Ok(json!([order.place_response(resp_type, c.now)]))
}

fn sor_order_test(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let new = read_sor_order(c.request)?;
    c.shared.exchange.test_order(account, &new)?;
    if c.request.bool_opt("computeCommissionRates")? == Some(true) {
        let fee = fmt8(c.shared.exchange.fee());
        let zero = fmt8(Decimal::ZERO);
        return Ok(json!({
            "standardCommissionForOrder": {"maker": fee, "taker": fee},
            "taxCommissionForOrder": {"maker": zero, "taker": zero},
            "discount": {"enabledForAccount": false, "enabledForSymbol": false, "discountAsset": "BNB", "discount": zero}
        }));
    }
    Ok(json!({}))
}

fn my_allocations(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    let limit = limit_param(c.request, 500, 1000)?;
    let start = c.request.i64_opt("startTime")?;
    let end = c.request.i64_opt("endTime")?;
    let from = c.request.i64_opt("fromAllocationId")?;
    let order_id = c.request.i64_opt("orderId")?;
    Ok(c.shared
        .exchange
        .allocations(account, symbol)
        .into_iter()
        .filter(|a| {
            start.is_none_or(|s| a.time >= s)
                && end.is_none_or(|e| a.time <= e)
                && from.is_none_or(|f| a.id as i64 >= f)
                && order_id.is_none_or(|o| a.order_id as i64 == o)
        })
        .take(limit)
        .map(|a| a.to_json())
        .collect())
}

// ---- order lists ------------------------------------------------------------------------------

/// A list reply: the list status with `orderReports` (RESULT form) for the orders as placed.
fn list_reply(list: &OrderList, orders: &[Order], now: i64) -> Value {
    let refs: Vec<&Order> = orders.iter().collect();
    let mut v = list.to_json(&refs, now);
    v["orderReports"] = orders.iter().map(|o| o.list_report(now)).collect();
    v
}

/// A cancelled list's reply; `with_orig_id` as `order.cancel` on a leg shows it.
fn list_cancel_reply(list: &OrderList, orders: &[&Order], now: i64, with_orig_id: bool) -> Value {
    let mut v = list.to_json(orders, now);
    v["orderReports"] = orders
        .iter()
        .map(|o| o.list_cancel_report(now, with_orig_id))
        .collect();
    v
}

fn list_resp_type(r: &RequestFrame) -> Result<(), ApiErr> {
    match r.str_opt("newOrderRespType")? {
        None | Some("ACK" | "RESULT" | "FULL") => Ok(()),
        Some(_) => Err(ApiErr::new(-1177, "Invalid newOrderRespType.")),
    }
}

/// Places a list of `legs` orders under the ORDERS limits (each order of a list counts).
fn place_counted(
    c: &mut Ctx<'_>,
    legs: u64,
    place: impl FnOnce(&mut Ctx<'_>, AccountId) -> Result<(OrderList, Vec<Order>), ApiErr>,
) -> Result<Value, ApiErr> {
    let account = c.account()?;
    list_resp_type(c.request)?;
    c.shared.limiter.check_orders(account, legs, c.now)?;
    let (list, orders) = place(c, account)?;
    for _ in 0..legs {
        c.shared.limiter.count_order(account, c.now);
    }
    Ok(list_reply(&list, &orders, c.now))
}

/// `-1158` for an OCO leg type other than LIMIT_MAKER, stop-loss or take-profit, before the
/// leg's other parameters are read.
fn check_oco_types(r: &RequestFrame, above: &str, below: &str) -> Result<(), ApiErr> {
    for name in [above, below] {
        if let Some(t) = OrderType::parse(r.str_req(name)?) {
            if !(t.is_conditional() || t == OrderType::LimitMaker) {
                return Err(ApiErr::new(-1158, "Order type not supported in OCO."));
            }
        }
    }
    Ok(())
}

fn list_place_oco(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let r = c.request;
    check_oco_types(r, "aboveType", "belowType")?;
    let side = side_param(r, "side")?;
    let qty = positive("quantity", r.decimal_opt("quantity")?)?
        .ok_or_else(|| ApiErr::mandatory("quantity"))?;
    let above = read_leg(r, "above", Some(side), Some(qty))?;
    let below = read_leg(r, "below", Some(side), Some(qty))?;
    let list_id = client_id_param(r, "listClientOrderId")?;
    place_counted(c, 2, |c, account| {
        c.shared
            .exchange
            .place_oco(account, list_id, above, below, c.now)
    })
}

/// The deprecated `orderList.place`: a LIMIT_MAKER at `price` and a STOP_LOSS (or, with
/// `stopLimitPrice`, STOP_LOSS_LIMIT) at `stopPrice`, as an OCO.
fn list_place_legacy(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let r = c.request;
    let symbol = r.str_req("symbol")?.to_owned();
    let side = side_param(r, "side")?;
    let qty = positive("quantity", r.decimal_opt("quantity")?)?
        .ok_or_else(|| ApiErr::mandatory("quantity"))?;
    let price =
        positive("price", r.decimal_opt("price")?)?.ok_or_else(|| ApiErr::mandatory("price"))?;
    let stop_limit = positive("stopLimitPrice", r.decimal_opt("stopLimitPrice")?)?;
    let stop_tif = match r.str_opt("stopLimitTimeInForce")? {
        None => None,
        Some(t) => Some(Tif::parse(t).ok_or_else(ApiErr::invalid_tif)?),
    };
    if stop_limit.is_some() && stop_tif.is_none() {
        return Err(ApiErr::mandatory("stopLimitTimeInForce"));
    }
    if stop_limit.is_none() && stop_tif.is_some() {
        return Err(ApiErr::not_required("stopLimitTimeInForce"));
    }
    let trailing_delta = match r.i64_opt("trailingDelta")? {
        None => None,
        Some(d) => Some(u32::try_from(d).map_err(|_| ApiErr::filter("TRAILING_DELTA"))?),
    };
    if r.param("limitIcebergQty").is_some() || r.param("stopIcebergQty").is_some() {
        return Err(ApiErr::order_rejected(
            "Iceberg orders are not supported for this symbol.",
        ));
    }
    for name in ["limitStrategyType", "stopStrategyType"] {
        if r.i64_opt(name)?.is_some_and(|t| t < 1_000_000) {
            return Err(ApiErr::new(-1134, "strategyType was less than 1000000."));
        }
    }
    let stp = stp_param(r)?;
    let limit = NewOrder {
        symbol: symbol.clone(),
        side,
        order_type: OrderType::LimitMaker,
        tif: None,
        price: Some(price),
        quantity: Some(qty),
        quote_qty: None,
        client_order_id: client_id_param(r, "limitClientOrderId")?,
        stp,
        stop_price: None,
        trailing_delta: None,
        sor: false,
        strategy_id: r.i64_opt("limitStrategyId")?,
        strategy_type: r.i64_opt("limitStrategyType")?,
    };
    let stop = NewOrder {
        symbol,
        side,
        order_type: if stop_limit.is_some() {
            OrderType::StopLossLimit
        } else {
            OrderType::StopLoss
        },
        tif: stop_tif,
        price: stop_limit,
        quantity: Some(qty),
        quote_qty: None,
        client_order_id: client_id_param(r, "stopClientOrderId")?,
        stp,
        stop_price: positive("stopPrice", r.decimal_opt("stopPrice")?)?,
        trailing_delta,
        sor: false,
        strategy_id: r.i64_opt("stopStrategyId")?,
        strategy_type: r.i64_opt("stopStrategyType")?,
    };
    let (above, below) = match side {
        Side::Sell => (limit, stop),
        Side::Buy => (stop, limit),
    };
    let list_id = client_id_param(r, "listClientOrderId")?;
    place_counted(c, 2, |c, account| {
        c.shared
            .exchange
            .place_oco(account, list_id, above, below, c.now)
    })
}

fn list_place_oto(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    place_with_pending_one(c, false)
}

/// OTO, and with `opo` OPO (the pending order takes what the working order filled).
fn place_with_pending_one(c: &mut Ctx<'_>, opo: bool) -> Result<Value, ApiErr> {
    let r = c.request;
    let working = read_leg(r, "working", None, None)?;
    let mut pending = if opo {
        read_leg(r, "pending", None, working.quantity)?
    } else {
        read_leg(r, "pending", None, None)?
    };
    if opo {
        pending.quantity = None;
    }
    let list_id = client_id_param(r, "listClientOrderId")?;
    place_counted(c, 2, |c, account| {
        c.shared
            .exchange
            .place_oto(account, list_id, working, Pending::One(pending), opo, c.now)
    })
}

fn list_place_otoco(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    place_with_pending_pair(c, false)
}

/// OTOCO, and with `opo` OPOCO (no pending quantity: the working order's proceeds).
fn place_with_pending_pair(c: &mut Ctx<'_>, opo: bool) -> Result<Value, ApiErr> {
    let r = c.request;
    check_oco_types(r, "pendingAboveType", "pendingBelowType")?;
    let working = read_leg(r, "working", None, None)?;
    let side = side_param(r, "pendingSide")?;
    let qty = if opo {
        // Only to read the legs; the exchange sets the real quantity when the working order fills.
        working.quantity
    } else {
        Some(
            positive("pendingQuantity", r.decimal_opt("pendingQuantity")?)?
                .ok_or_else(|| ApiErr::mandatory("pendingQuantity"))?,
        )
    };
    let mut above = read_leg(r, "pendingAbove", Some(side), qty)?;
    let mut below = read_leg(r, "pendingBelow", Some(side), qty)?;
    if opo {
        above.quantity = None;
        below.quantity = None;
    }
    let list_id = client_id_param(r, "listClientOrderId")?;
    place_counted(c, 3, |c, account| {
        c.shared.exchange.place_oto(
            account,
            list_id,
            working,
            Pending::Pair { above, below },
            opo,
            c.now,
        )
    })
}

fn list_place_opo(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    place_with_pending_one(c, true)
}

fn list_place_opoco(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    place_with_pending_pair(c, true)
}

fn list_cancel(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    let by = order_ref(c.request, "orderListId", "listClientOrderId")?;
    let new_id = client_id_param(c.request, "newClientOrderId")?;
    let (list, orders) = c
        .shared
        .exchange
        .cancel_list(account, symbol, &by, new_id, c.now)?;
    let refs: Vec<&Order> = orders.iter().collect();
    Ok(list_cancel_reply(&list, &refs, c.now, false))
}

fn list_status(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    // When both are sent, origClientOrderId (the list's client id) wins.
    let by = match (
        c.request.str_opt("origClientOrderId")?,
        c.request.i64_opt("orderListId")?,
    ) {
        (Some(client), _) => OrderRef::Client(client.to_owned()),
        (None, Some(id)) => OrderRef::Id(id.max(0).unsigned_abs()),
        (None, None) => return Err(ApiErr::one_of("orderListId", "origClientOrderId")),
    };
    let ex = &c.shared.exchange;
    let list = ex.find_list(account, &by)?;
    Ok(list.to_json(&ex.list_orders(list), list.transaction_time))
}

fn open_lists(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let ex = &c.shared.exchange;
    Ok(ex
        .order_lists(account, true)
        .into_iter()
        .map(|l| l.to_json(&ex.list_orders(l), l.transaction_time))
        .collect())
}

fn all_lists(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let limit = limit_param(c.request, 500, 1000)?;
    let from = c.request.i64_opt("fromId")?;
    let start = c.request.i64_opt("startTime")?;
    let end = c.request.i64_opt("endTime")?;
    let ex = &c.shared.exchange;
    // startTime/endTime override fromId.
    let from = from.filter(|_| start.is_none() && end.is_none());
    Ok(ex
        .order_lists(account, false)
        .into_iter()
        .filter(|l| {
            from.is_none_or(|f| l.id as i64 >= f)
                && start.is_none_or(|s| l.transaction_time >= s)
                && end.is_none_or(|e| l.transaction_time <= e)
        })
        .take(limit)
        .map(|l| l.to_json(&ex.list_orders(l), l.transaction_time))
        .collect())
}

fn my_prevented_matches(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let account = c.account()?;
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    let by_id = c.request.i64_opt("preventedMatchId")?;
    let order_id = c.request.i64_opt("orderId")?;
    let from = c.request.i64_opt("fromPreventedMatchId")?;
    let limit = limit_param(c.request, 500, 1000)?;
    if by_id.is_none() && order_id.is_none() {
        return Err(ApiErr::one_of("preventedMatchId", "orderId"));
    }
    Ok(c.shared
        .exchange
        .prevented_matches(account, symbol)
        .into_iter()
        .filter(|p| {
            by_id.is_none_or(|id| p.id as i64 == id)
                && order_id
                    .is_none_or(|o| p.taker_order_id as i64 == o || p.maker_order_id as i64 == o)
                && from.is_none_or(|f| p.id as i64 >= f)
        })
        .take(limit)
        .map(|p| p.to_json())
        .collect())
}

fn reference_price_calculation(c: &mut Ctx<'_>) -> Result<Value, ApiErr> {
    let symbol = c.request.str_req("symbol")?;
    c.shared.exchange.market(symbol)?;
    if c.request
        .str_opt("symbolStatus")?
        .is_some_and(|s| s != "TRADING")
    {
        return Err(ApiErr::new(
            -1220,
            "The symbol's status does not match the requested symbolStatus.",
        ));
    }
    // The emulator's reference price is the mid price, described as a matching-engine mean.
    Ok(
        json!({"symbol": symbol, "calculationType": "ARITHMETIC_MEAN", "bucketCount": 10, "bucketWidthMs": 1000}),
    )
}

#[cfg(test)]
mod tests {
    use super::four_per_symbol;
    use crate::frame::parse_request;

    fn weight(params: &str) -> u64 {
        let text = format!(r#"{{"id":1,"method":"ticker","params":{params}}}"#);
        four_per_symbol(&parse_request(&text).unwrap())
    }

    #[test]
    fn ticker_weight_is_four_per_symbol_up_to_fifty() {
        let list = |n: usize| {
            let names: Vec<String> = (0..n).map(|i| format!("\"S{i}\"")).collect();
            format!(r#"{{"symbols":[{}]}}"#, names.join(","))
        };
        assert_eq!(weight(r#"{"symbol":"BTCUSDT"}"#), 4);
        assert_eq!(weight(&list(3)), 12);
        assert_eq!(weight(&list(50)), 200);
        assert_eq!(weight(&list(51)), 200);
        assert_eq!(weight(&list(100)), 200);
    }
}
