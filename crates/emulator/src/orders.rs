//! Orders as the exchange keeps them, and how Binance renders them (responses and
//! `executionReport` events).

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::accounts::AccountId;
use crate::book::Side;
use crate::market::fmt8;

/// Order types the emulator matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderType {
    /// Limit.
    Limit,
    /// Market.
    Market,
    /// Limit, rejected if it would take.
    LimitMaker,
    /// A market order once the stop price is reached.
    StopLoss,
    /// A limit order once the stop price is reached.
    StopLossLimit,
    /// A market order once the take-profit price is reached.
    TakeProfit,
    /// A limit order once the take-profit price is reached.
    TakeProfitLimit,
}

impl OrderType {
    /// Binance's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Limit => "LIMIT",
            Self::Market => "MARKET",
            Self::LimitMaker => "LIMIT_MAKER",
            Self::StopLoss => "STOP_LOSS",
            Self::StopLossLimit => "STOP_LOSS_LIMIT",
            Self::TakeProfit => "TAKE_PROFIT",
            Self::TakeProfitLimit => "TAKE_PROFIT_LIMIT",
        }
    }

    /// From Binance's name.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Limit,
            Self::Market,
            Self::LimitMaker,
            Self::StopLoss,
            Self::StopLossLimit,
            Self::TakeProfit,
            Self::TakeProfitLimit,
        ]
        .into_iter()
        .find(|t| t.as_str() == text)
    }

    /// Whether the order waits for a stop or take-profit price before it works.
    pub fn is_conditional(self) -> bool {
        matches!(
            self,
            Self::StopLoss | Self::StopLossLimit | Self::TakeProfit | Self::TakeProfitLimit
        )
    }

    /// Whether the order trades like a market order (no limit price) once working.
    pub fn is_market_like(self) -> bool {
        matches!(self, Self::Market | Self::StopLoss | Self::TakeProfit)
    }

    /// Whether the order has a limit price and a time in force.
    pub fn has_tif(self) -> bool {
        matches!(
            self,
            Self::Limit | Self::StopLossLimit | Self::TakeProfitLimit
        )
    }

    /// Whether a stop-loss type (as opposed to take-profit).
    pub fn is_stop_loss(self) -> bool {
        matches!(self, Self::StopLoss | Self::StopLossLimit)
    }
}

/// Time in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tif {
    /// Good till cancelled.
    Gtc,
    /// Immediate or cancel.
    Ioc,
    /// Fill or kill.
    Fok,
}

impl Tif {
    /// Binance's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gtc => "GTC",
            Self::Ioc => "IOC",
            Self::Fok => "FOK",
        }
    }

    /// From Binance's name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "GTC" => Some(Self::Gtc),
            "IOC" => Some(Self::Ioc),
            "FOK" => Some(Self::Fok),
            _ => None,
        }
    }
}

/// Self-trade prevention modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stp {
    /// Trade with yourself.
    None,
    /// Expire the incoming order.
    ExpireTaker,
    /// Expire the resting order.
    ExpireMaker,
    /// Expire both.
    ExpireBoth,
    /// Take the overlap off both orders; the smaller expires (both if equal).
    Decrement,
    /// Between accounts of one trade group, DECREMENT plus a transfer; within one account (all
    /// the emulator has) the same as DECREMENT.
    Transfer,
}

impl Stp {
    /// Binance's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "NONE",
            Self::ExpireTaker => "EXPIRE_TAKER",
            Self::ExpireMaker => "EXPIRE_MAKER",
            Self::ExpireBoth => "EXPIRE_BOTH",
            Self::Decrement => "DECREMENT",
            Self::Transfer => "TRANSFER",
        }
    }

    /// From Binance's name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "NONE" => Some(Self::None),
            "EXPIRE_TAKER" => Some(Self::ExpireTaker),
            "EXPIRE_MAKER" => Some(Self::ExpireMaker),
            "EXPIRE_BOTH" => Some(Self::ExpireBoth),
            "DECREMENT" => Some(Self::Decrement),
            "TRANSFER" => Some(Self::Transfer),
            _ => None,
        }
    }
}

/// Order status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Accepted, nothing filled.
    New,
    /// Partly filled, still working.
    PartiallyFilled,
    /// Completely filled.
    Filled,
    /// Cancelled by the user.
    Canceled,
    /// Expired (IOC/FOK rest, or market order out of liquidity).
    Expired,
    /// Expired by self-trade prevention.
    ExpiredInMatch,
    /// A pending order of an OTO list, waiting for its working order to fill.
    PendingNew,
}

impl Status {
    /// Binance's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::New => "NEW",
            Self::PartiallyFilled => "PARTIALLY_FILLED",
            Self::Filled => "FILLED",
            Self::Canceled => "CANCELED",
            Self::Expired => "EXPIRED",
            Self::ExpiredInMatch => "EXPIRED_IN_MATCH",
            Self::PendingNew => "PENDING_NEW",
        }
    }

    /// Whether the order can still trade (or, pending, may yet be placed).
    pub fn is_open(self) -> bool {
        matches!(self, Self::New | Self::PartiallyFilled | Self::PendingNew)
    }
}

/// One fill of an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fill {
    /// Trade price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Commission charged to this side.
    pub commission: Decimal,
    /// Asset of the commission.
    pub commission_asset: String,
    /// Trade id.
    pub trade_id: u64,
    /// Whether this side was the maker.
    pub is_maker: bool,
    /// The allocation id, for fills of SOR orders (which Binance reports as allocations).
    pub alloc_id: Option<u64>,
}

/// The last match self-trade prevention stopped for an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prevention {
    /// `preventedMatchId`.
    pub match_id: u64,
    /// The other order of the prevented match.
    pub counter_order_id: u64,
    /// Quantity prevented in that match.
    pub qty: Decimal,
    /// Price of that match.
    pub price: Decimal,
}

/// An order.
#[derive(Debug, Clone)]
pub struct Order {
    /// Exchange-assigned id.
    pub id: u64,
    /// Owner.
    pub account: AccountId,
    /// Symbol.
    pub symbol: String,
    /// Client order id.
    pub client_order_id: String,
    /// The client id of the cancel request, once cancelled.
    pub cancel_client_order_id: Option<String>,
    /// Side.
    pub side: Side,
    /// Type.
    pub order_type: OrderType,
    /// Time in force.
    pub tif: Tif,
    /// Limit price (0 for market orders).
    pub price: Decimal,
    /// Ordered quantity (0 for market orders by quote quantity until filled).
    pub orig_qty: Decimal,
    /// Filled quantity.
    pub executed_qty: Decimal,
    /// Filled quote amount.
    pub cum_quote: Decimal,
    /// Quote quantity ordered (market orders by `quoteOrderQty`).
    pub orig_quote_qty: Decimal,
    /// Status.
    pub status: Status,
    /// Self-trade prevention mode.
    pub stp: Stp,
    /// Creation time (ms).
    pub time: i64,
    /// Last update (ms).
    pub update_time: i64,
    /// Quote amount still locked by this order (buys) or base amount (sells).
    pub locked: Decimal,
    /// Fills so far.
    pub fills: Vec<Fill>,
    /// Stop (or take-profit) price of a conditional order.
    pub stop_price: Option<Decimal>,
    /// Trailing delta in BIPS, for trailing stop orders.
    pub trailing_delta: Option<u32>,
    /// For a trailing order: the best price since it started tracking, and when tracking began.
    pub trailing: Option<(Decimal, i64)>,
    /// When the order started working (placed on the book or triggered); `None` while a
    /// conditional order waits for its price or a pending order for its working order.
    pub working_time: Option<i64>,
    /// The order list it belongs to.
    pub order_list_id: Option<u64>,
    /// Quantity taken off by self-trade prevention (DECREMENT).
    pub prevented_qty: Decimal,
    /// Whether it was placed through SOR (`sor.order.place`).
    pub used_sor: bool,
    /// `strategyId`, if sent.
    pub strategy_id: Option<i64>,
    /// `strategyType`, if sent.
    pub strategy_type: Option<i64>,
    /// Why it expired (`expiryReason` / `eR`), once it has.
    pub expiry_reason: Option<&'static str>,
    /// The last match self-trade prevention stopped for it.
    pub prevention: Option<Prevention>,
}

impl Order {
    /// Quantity left to fill.
    pub fn remaining(&self) -> Decimal {
        self.orig_qty - self.executed_qty - self.prevented_qty
    }

    /// Whether the order is working (on the book or triggered), as `isWorking` and `w` say.
    pub fn is_working(&self) -> bool {
        self.working_time.is_some()
    }

    /// `orderListId` as Binance shows it: -1 outside lists.
    pub fn list_id_json(&self) -> Value {
        self.order_list_id.map_or(json!(-1), |id| json!(id))
    }

    fn working_time_json(&self) -> i64 {
        self.working_time.unwrap_or(-1)
    }

    /// Adds the conditional fields (`stopPrice`, `trailingDelta`) when the order has them.
    fn add_conditional(&self, v: &mut Value, with_trailing_time: bool) {
        if let Some(stop) = self.stop_price {
            v["stopPrice"] = json!(fmt8(stop));
        }
        if let Some(delta) = self.trailing_delta {
            v["trailingDelta"] = json!(delta);
            if with_trailing_time {
                v["trailingTime"] = json!(self.trailing.map_or(-1, |t| t.1));
            }
        }
        self.add_strategy(v);
    }

    /// `strategyId` and `strategyType`, when they were sent.
    fn add_strategy(&self, v: &mut Value) {
        if let Some(id) = self.strategy_id {
            v["strategyId"] = json!(id);
        }
        if let Some(t) = self.strategy_type {
            v["strategyType"] = json!(t);
        }
    }

    /// The order as `order.status` and the RESULT response show it.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "symbol": self.symbol,
            "orderId": self.id,
            "orderListId": self.list_id_json(),
            "clientOrderId": self.client_order_id,
            "price": fmt8(self.price),
            "origQty": fmt8(self.orig_qty),
            "executedQty": fmt8(self.executed_qty),
            "cummulativeQuoteQty": fmt8(self.cum_quote),
            "status": self.status.as_str(),
            "timeInForce": self.tif.as_str(),
            "type": self.order_type.as_str(),
            "side": self.side.as_str(),
            "stopPrice": fmt8(self.stop_price.unwrap_or_default()),
            "icebergQty": fmt8(Decimal::ZERO),
            "time": self.time,
            "updateTime": self.update_time,
            "isWorking": self.is_working(),
            "workingTime": self.working_time_json(),
            "origQuoteOrderQty": fmt8(self.orig_quote_qty),
            "selfTradePreventionMode": self.stp.as_str(),
        });
        if let Some(delta) = self.trailing_delta {
            v["trailingDelta"] = json!(delta);
            v["trailingTime"] = json!(self.trailing.map_or(-1, |t| t.1));
        }
        self.add_strategy(&mut v);
        self.add_sor(&mut v);
        self.add_prevented(&mut v);
        if let Some(reason) = self.expiry_reason {
            v["expiryReason"] = json!(reason);
        }
        v
    }

    /// `preventedMatchId` and `preventedQuantity`, for orders self-trade prevention touched.
    fn add_prevented(&self, v: &mut Value) {
        if let Some(p) = &self.prevention {
            v["preventedMatchId"] = json!(p.match_id);
            v["preventedQuantity"] = json!(fmt8(self.prevented_qty));
        }
    }

    /// `workingFloor` and `usedSor`, for SOR orders.
    fn add_sor(&self, v: &mut Value) {
        if self.used_sor {
            v["workingFloor"] = json!("SOR");
            v["usedSor"] = json!(true);
        }
    }

    /// The order's entry in an order list reply's `orderReports` (RESULT form, no fills).
    pub fn list_report(&self, transact_time: i64) -> Value {
        let mut v = self.place_response("RESULT", transact_time);
        if let Some(o) = v.as_object_mut() {
            o.remove("fills");
            // A pending one-pays-the-other order has no quantity yet.
            if self.status == Status::PendingNew && self.orig_qty.is_zero() {
                o.remove("origQty");
            }
        }
        v
    }

    /// The order's entry in a cancelled list's `orderReports`; `with_orig_id` adds
    /// `origClientOrderId` and shows the cancel's client id (as `order.cancel` on a leg does).
    pub fn list_cancel_report(&self, transact_time: i64, with_orig_id: bool) -> Value {
        let mut v = json!({"symbol": self.symbol});
        if with_orig_id {
            v["origClientOrderId"] = json!(self.client_order_id);
        }
        let client_id = match (&self.cancel_client_order_id, with_orig_id) {
            (Some(c), true) => c.clone(),
            _ => self.client_order_id.clone(),
        };
        for (k, val) in [
            ("orderId", json!(self.id)),
            ("orderListId", self.list_id_json()),
            ("clientOrderId", json!(client_id)),
            ("transactTime", json!(transact_time)),
            ("price", json!(fmt8(self.price))),
            ("origQty", json!(fmt8(self.orig_qty))),
            ("executedQty", json!(fmt8(self.executed_qty))),
            ("origQuoteOrderQty", json!(fmt8(self.orig_quote_qty))),
            ("cummulativeQuoteQty", json!(fmt8(self.cum_quote))),
            ("status", json!(self.status.as_str())),
            ("timeInForce", json!(self.tif.as_str())),
            ("type", json!(self.order_type.as_str())),
            ("side", json!(self.side.as_str())),
        ] {
            v[k] = val;
        }
        self.add_conditional(&mut v, false);
        v["selfTradePreventionMode"] = json!(self.stp.as_str());
        v
    }

    /// The reply to `order.place` in the requested form (`ACK`, `RESULT` or `FULL`), showing
    /// `fills` (only this request's).
    pub fn place_response(&self, resp_type: &str, transact_time: i64) -> Value {
        let mut v = json!({
            "symbol": self.symbol,
            "orderId": self.id,
            "orderListId": self.list_id_json(),
            "clientOrderId": self.client_order_id,
            "transactTime": transact_time,
        });
        if resp_type == "ACK" {
            return v;
        }
        for (k, val) in [
            ("price", json!(fmt8(self.price))),
            ("origQty", json!(fmt8(self.orig_qty))),
            ("executedQty", json!(fmt8(self.executed_qty))),
            ("origQuoteOrderQty", json!(fmt8(self.orig_quote_qty))),
            ("cummulativeQuoteQty", json!(fmt8(self.cum_quote))),
            ("status", json!(self.status.as_str())),
            ("timeInForce", json!(self.tif.as_str())),
            ("type", json!(self.order_type.as_str())),
            ("side", json!(self.side.as_str())),
        ] {
            v[k] = val;
        }
        self.add_conditional(&mut v, false);
        v["workingTime"] = json!(self.working_time_json());
        v["selfTradePreventionMode"] = json!(self.stp.as_str());
        if resp_type == "FULL" {
            v["fills"] = self
                .fills
                .iter()
                .map(|f| match f.alloc_id {
                    None => json!({"price": fmt8(f.price), "qty": fmt8(f.qty), "commission": fmt8(f.commission),
                                   "commissionAsset": f.commission_asset, "tradeId": f.trade_id}),
                    Some(alloc) => json!({"matchType": "ONE_PARTY_TRADE_REPORT", "price": fmt8(f.price),
                                          "qty": fmt8(f.qty), "commission": fmt8(f.commission),
                                          "commissionAsset": f.commission_asset, "tradeId": -1, "allocId": alloc}),
                })
                .collect();
        }
        if resp_type != "ACK" {
            self.add_sor(&mut v);
            self.add_prevented(&mut v);
            if let Some(reason) = self.expiry_reason {
                v["expiryReason"] = json!(reason);
            }
        }
        v
    }

    /// The reply to `order.cancel`.
    pub fn cancel_response(&self, transact_time: i64) -> Value {
        let mut v = self.to_json();
        let obj = v.as_object_mut();
        if let Some(obj) = obj {
            for key in [
                "time",
                "updateTime",
                "isWorking",
                "workingTime",
                "icebergQty",
                "trailingTime",
            ] {
                obj.remove(key);
            }
            if self.stop_price.is_none() {
                obj.remove("stopPrice");
            }
            obj.insert("origClientOrderId".into(), json!(self.client_order_id));
            obj.insert(
                "clientOrderId".into(),
                json!(self.cancel_client_order_id.clone().unwrap_or_default()),
            );
            obj.insert("transactTime".into(), json!(transact_time));
        }
        v
    }

    /// An `executionReport` event for this order after `exec_type` (`NEW`, `TRADE`, `CANCELED`,
    /// `EXPIRED`), with the last fill if it was a trade.
    pub fn execution_report(&self, exec_type: &str, last: Option<&Fill>, event_time: i64) -> Value {
        let (last_qty, last_price, commission, commission_asset, trade_id, maker) = match last {
            Some(f) => (
                f.qty,
                f.price,
                f.commission,
                Some(f.commission_asset.clone()),
                f.trade_id as i64,
                f.is_maker,
            ),
            None => (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, None, -1, false),
        };
        let (client_id, orig_client_id) = match (&self.cancel_client_order_id, exec_type) {
            (Some(cancel_id), "CANCELED") => (cancel_id.clone(), self.client_order_id.clone()),
            _ => (self.client_order_id.clone(), String::new()),
        };
        let mut event = json!({
            "e": "executionReport",
            "E": event_time,
            "s": self.symbol,
            "c": client_id,
            "S": self.side.as_str(),
            "o": self.order_type.as_str(),
            "f": self.tif.as_str(),
            "q": fmt8(self.orig_qty),
            "p": fmt8(self.price),
            "P": fmt8(self.stop_price.unwrap_or_default()),
            "F": fmt8(Decimal::ZERO),
            "g": self.list_id_json(),
            "C": orig_client_id,
            "x": exec_type,
            "X": self.status.as_str(),
            "r": "NONE",
            "i": self.id,
            "l": fmt8(last_qty),
            "z": fmt8(self.executed_qty),
            "L": fmt8(last_price),
            "n": fmt8(commission),
            "N": commission_asset,
            "T": event_time,
            "t": trade_id,
            "I": self.id * 2 + u64::from(last.is_some()),
            "w": self.status.is_open() && self.is_working(),
            "m": maker,
            "M": false,
            "O": self.time,
            "Z": fmt8(self.cum_quote),
            "Y": fmt8(last_qty * last_price),
            "Q": fmt8(self.orig_quote_qty),
            "V": self.stp.as_str(),
        });
        if let Some(working) = self.working_time {
            event["W"] = json!(working);
        }
        if let Some(reason) = self.expiry_reason {
            event["eR"] = json!(reason);
        }
        if let (Some(p), "TRADE_PREVENTION") = (&self.prevention, exec_type) {
            for (k, val) in [
                ("v", json!(p.match_id)),
                ("A", json!(fmt8(self.prevented_qty))),
                ("B", json!(fmt8(p.qty))),
                ("u", json!(-1)),
                ("U", json!(p.counter_order_id)),
                ("Cs", json!(self.symbol)),
                ("pl", json!(fmt8(p.qty))),
                ("pL", json!(fmt8(p.price))),
                ("pY", json!(fmt8(p.qty * p.price))),
            ] {
                event[k] = val;
            }
        }
        if let Some(id) = self.strategy_id {
            event["j"] = json!(id);
        }
        if let Some(t) = self.strategy_type {
            event["J"] = json!(t);
        }
        if self.used_sor {
            event["k"] = json!("SOR");
            event["uS"] = json!(true);
            if let Some(alloc) = last.and_then(|f| f.alloc_id) {
                event["b"] = json!("ONE_PARTY_TRADE_REPORT");
                event["a"] = json!(alloc);
                event["t"] = json!(-1);
            }
        }
        if let Some(delta) = self.trailing_delta {
            event["d"] = json!(delta);
            if let Some((_, since)) = self.trailing {
                event["D"] = json!(since);
            }
        }
        event
    }
}
