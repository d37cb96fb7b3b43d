//! Trading beyond `order.place` / `order.cancel`: `order.test`, `order.cancelReplace`,
//! `order.amend.keepPriority`, `openOrders.cancelAll`, order lists (`orderList.place` (legacy OCO), `orderList.place.oco`,
//! `.oto`, `.otoco`, `.opo`, `.opoco`, `orderList.cancel`) and smart order routing
//! (`sor.order.place`, `sor.order.test`).
//!
//! All are `TRADE` methods, signed by the client. The order-changing ones get a random client order
//! id (`newClientOrderId` or `listClientOrderId`) from the client when none is given, and an
//! *outcome unknown* when the reply is lost.

use std::borrow::Cow;

use rust_decimal::Decimal;
use serde::Deserialize;

use super::account::{CommissionDiscount, ContingencyType, ListOrderStatus, ListStatusType};
use super::account::{OrderListOrder, OrderListRef};
use super::Check;
use crate::error::ApiError;
use crate::ids::ClientOrderId;
use crate::orders::{CanceledOrder, OrderRef, PlaceOrder, PlacedOrder, ValidationError};
use crate::params::Params;
use crate::request::Request;
use crate::types::{
    string_enum, NewOrderRespType, OrderStatus, OrderType, PegOffsetType, PegPriceType, Side,
    StpMode, TimeInForce,
};

/// Copies the parameters of a built request into a request for `method`.
fn renamed(request: &Request, method: &'static str) -> Request {
    let mut params = Params::with_capacity(request.params().len() + 4);
    for (name, value) in request.params().iter() {
        params.set(Cow::Owned(name.to_owned()), value.clone());
    }
    Request::new(method).with_params(params)
}

/// Renames the method a [`ValidationError`] names.
fn for_method(method: &'static str) -> impl Fn(ValidationError) -> ValidationError {
    move |mut e| {
        e.method = method;
        e
    }
}

/// `order.test`: checks an order as `order.place` would, without placing it. The reply is
/// [`OrderTestReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct TestOrder {
    order: PlaceOrder,
    compute_commission_rates: Option<bool>,
}

impl TestOrder {
    /// Tests `order`.
    pub fn new(order: PlaceOrder) -> Self {
        Self {
            order,
            compute_commission_rates: None,
        }
    }

    /// Also answer the commission rates the order would pay (weight 20 instead of 1).
    pub fn compute_commission_rates(mut self, compute: bool) -> Self {
        self.compute_commission_rates = Some(compute);
        self
    }

    /// Checks the order and builds the request.
    ///
    /// # Errors
    /// The order's [`ValidationError`], naming `order.test`.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let placed = self
            .order
            .into_request()
            .map_err(for_method("order.test"))?;
        Ok(renamed(&placed, "order.test")
            .param_opt("computeCommissionRates", self.compute_commission_rates))
    }
}

/// Maker and taker rates for one order (`order.test` and `sor.order.test`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct OrderCommissionRates {
    /// Maker rate.
    pub maker: Decimal,
    /// Taker rate.
    pub taker: Decimal,
}

/// The reply to `order.test` and `sor.order.test`: empty unless `computeCommissionRates` was set.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderTestReply {
    /// Standard rates for the order.
    pub standard_commission_for_order: Option<OrderCommissionRates>,
    /// Special rates for the order, if the account has them.
    pub special_commission_for_order: Option<OrderCommissionRates>,
    /// Tax rates for the order.
    pub tax_commission_for_order: Option<OrderCommissionRates>,
    /// The BNB discount.
    pub discount: Option<CommissionDiscount>,
}

string_enum! {
    /// What `order.cancelReplace` does when the cancel fails.
    CancelReplaceMode {
        /// Do not place the new order if the cancel fails.
        StopOnFailure => "STOP_ON_FAILURE",
        /// Place the new order whatever happens to the cancel.
        AllowFailure => "ALLOW_FAILURE",
    }
}

string_enum! {
    /// Cancel only orders in this state (`cancelRestrictions`).
    CancelRestrictions {
        /// Only if the order is `NEW`.
        OnlyNew => "ONLY_NEW",
        /// Only if the order is `PARTIALLY_FILLED`.
        OnlyPartiallyFilled => "ONLY_PARTIALLY_FILLED",
    }
}

string_enum! {
    /// What `order.cancelReplace` does when the unfilled order count is exceeded.
    OrderRateLimitExceededMode {
        /// Nothing: the request fails (the default).
        DoNothing => "DO_NOTHING",
        /// Cancel the old order anyway.
        CancelOnly => "CANCEL_ONLY",
    }
}

string_enum! {
    /// The outcome of one half of `order.cancelReplace`.
    CancelReplaceResult {
        /// It succeeded.
        Success => "SUCCESS",
        /// It failed.
        Failure => "FAILURE",
        /// It was not tried (the cancel failed in `STOP_ON_FAILURE` mode).
        NotAttempted => "NOT_ATTEMPTED",
    }
}

/// `order.cancelReplace`: cancel an order and place a new one in one request (not atomic). The
/// reply is [`CancelReplaceReply`]; when one half fails the server answers an error whose
/// `data` holds the same shape ([`CancelReplaceReply::from_error`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct CancelReplace {
    mode: CancelReplaceMode,
    cancel: OrderRef,
    order: PlaceOrder,
    cancel_new_client_order_id: Option<ClientOrderId>,
    cancel_restrictions: Option<CancelRestrictions>,
    rate_limit_mode: Option<OrderRateLimitExceededMode>,
}

impl CancelReplace {
    /// Cancels `cancel` and places `order` (in the same symbol) according to `mode`.
    pub fn new(mode: CancelReplaceMode, cancel: OrderRef, order: PlaceOrder) -> Self {
        Self {
            mode,
            cancel,
            order,
            cancel_new_client_order_id: None,
            cancel_restrictions: None,
            rate_limit_mode: None,
        }
    }

    /// A client id for the cancel itself.
    pub fn cancel_id(mut self, id: ClientOrderId) -> Self {
        self.cancel_new_client_order_id = Some(id);
        self
    }

    /// Cancel only if the order is in this state.
    pub fn cancel_restrictions(mut self, restrictions: CancelRestrictions) -> Self {
        self.cancel_restrictions = Some(restrictions);
        self
    }

    /// What to do when the unfilled order count is exceeded.
    pub fn rate_limit_mode(mut self, mode: OrderRateLimitExceededMode) -> Self {
        self.rate_limit_mode = Some(mode);
        self
    }

    /// Checks the new order and builds the request.
    ///
    /// # Errors
    /// The new order's [`ValidationError`], naming `order.cancelReplace`.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        const METHOD: &str = "order.cancelReplace";
        let placed = self.order.into_request().map_err(for_method(METHOD))?;
        let request = renamed(&placed, METHOD).param("cancelReplaceMode", self.mode);
        let request = match self.cancel {
            OrderRef::Id(id) => request.param("cancelOrderId", id),
            OrderRef::Client(id) => request.param("cancelOrigClientOrderId", id),
        };
        Ok(request
            .param_opt("cancelNewClientOrderId", self.cancel_new_client_order_id)
            .param_opt("cancelRestrictions", self.cancel_restrictions)
            .param_opt("orderRateLimitExceededMode", self.rate_limit_mode))
    }
}

/// One half of a cancel-replace: what it produced, or Binance's error for it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum LegOutcome<T> {
    /// It succeeded.
    Done(T),
    /// It failed with this error.
    Failed {
        /// Binance's error code.
        code: i64,
        /// Binance's message.
        msg: String,
    },
}

/// The reply to `order.cancelReplace` (also the `data` of its 400/409 errors).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CancelReplaceReply {
    /// How the cancel went.
    pub cancel_result: CancelReplaceResult,
    /// How the new order went.
    pub new_order_result: CancelReplaceResult,
    /// The cancelled order, or the cancel's error.
    pub cancel_response: Option<LegOutcome<Box<CanceledOrder>>>,
    /// The new order, or its error (`None` when not attempted).
    pub new_order_response: Option<LegOutcome<Box<PlacedOrder>>>,
}

impl CancelReplaceReply {
    /// The per-half results that a failed cancel-replace (`-2021`, `-2022`) carries in
    /// `error.data`; `None` for other errors.
    pub fn from_error(error: &ApiError) -> Option<Self> {
        serde_json::from_str(error.data_raw()?).ok()
    }
}

/// `order.amend.keepPriority`: lower an order's quantity without losing its place in the
/// queue. The reply is [`AmendReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct AmendOrder {
    symbol: String,
    order: OrderRef,
    new_qty: Decimal,
    new_client_order_id: Option<ClientOrderId>,
}

impl AmendOrder {
    /// Sets the quantity of `order` in `symbol` to `new_qty` (which must be lower).
    pub fn new(symbol: impl Into<String>, order: OrderRef, new_qty: Decimal) -> Self {
        Self {
            symbol: symbol.into(),
            order,
            new_qty,
            new_client_order_id: None,
        }
    }

    /// A new client order id for the amended order.
    pub fn client_order_id(mut self, id: ClientOrderId) -> Self {
        self.new_client_order_id = Some(id);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol or a quantity that is not above zero.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        const METHOD: &str = "order.amend.keepPriority";
        let check = Check(METHOD);
        check.symbol("symbol", &self.symbol)?;
        if self.new_qty <= Decimal::ZERO {
            return Err(check.invalid("newQty", "must be greater than zero"));
        }
        let request = Request::new(METHOD)
            .param("symbol", self.symbol)
            .param("newQty", self.new_qty);
        let request = match self.order {
            OrderRef::Id(id) => request.param("orderId", id),
            OrderRef::Client(id) => request.param("origClientOrderId", id),
        };
        Ok(request.param_opt("newClientOrderId", self.new_client_order_id))
    }
}

/// The order after `order.amend.keepPriority`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AmendedOrder {
    /// Symbol.
    pub symbol: String,
    /// Order id.
    pub order_id: i64,
    /// Order list id (-1 outside lists).
    pub order_list_id: i64,
    /// Client order id before.
    pub orig_client_order_id: String,
    /// Client order id now.
    pub client_order_id: String,
    /// Price.
    pub price: Decimal,
    /// Quantity now.
    pub qty: Decimal,
    /// Filled quantity.
    pub executed_qty: Decimal,
    /// Quantity prevented by self-trade prevention.
    pub prevented_qty: Option<Decimal>,
    /// Quote quantity ordered.
    pub quote_order_qty: Option<Decimal>,
    /// Filled quote amount (spelled correctly here, unlike elsewhere).
    pub cumulative_quote_qty: Option<Decimal>,
    /// Status.
    pub status: OrderStatus,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Type.
    #[serde(rename = "type")]
    pub order_type: OrderType,
    /// Side.
    pub side: Side,
    /// When it started working.
    pub working_time: Option<i64>,
    /// Self-trade prevention mode.
    pub self_trade_prevention_mode: Option<StpMode>,
}

/// The list an amended order belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AmendedList {
    /// Order list id.
    pub order_list_id: i64,
    /// Kind of list.
    pub contingency_type: ContingencyType,
    /// Status of its orders.
    pub list_order_status: ListOrderStatus,
    /// The list's client id.
    pub list_client_order_id: String,
    /// Symbol.
    pub symbol: String,
    /// The orders.
    #[serde(default)]
    pub orders: Vec<OrderListOrder>,
}

/// The reply to `order.amend.keepPriority`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AmendReply {
    /// When the engine handled it.
    pub transact_time: i64,
    /// Execution id of the amendment.
    pub execution_id: i64,
    /// The order now.
    pub amended_order: AmendedOrder,
    /// Its list, if it belongs to one.
    pub list_status: Option<AmendedList>,
}

/// `openOrders.cancelAll`: cancel every open order and order list of a symbol. The reply is
/// `Vec<`[`CancelAllEntry`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct CancelAllOpenOrders {
    symbol: String,
}

impl CancelAllOpenOrders {
    /// Everything open in `symbol`.
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
        }
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        Check("openOrders.cancelAll").symbol("symbol", &self.symbol)?;
        Ok(Request::new("openOrders.cancelAll").param("symbol", self.symbol))
    }
}

/// One entry of the `openOrders.cancelAll` reply: a single order or a whole list.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum CancelAllEntry {
    /// An order list, with its cancelled orders.
    List(Box<OrderListReply>),
    /// A single order.
    Order(Box<CanceledOrder>),
}

/// One order of an order list reply (placement or cancellation).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ListOrderReport {
    /// Symbol.
    pub symbol: String,
    /// Order id.
    pub order_id: i64,
    /// Order list id.
    pub order_list_id: i64,
    /// Client order id (of the cancel, in cancel replies).
    pub client_order_id: String,
    /// The order's own client id (cancel replies).
    pub orig_client_order_id: Option<String>,
    /// When the engine handled it.
    pub transact_time: i64,
    /// Price.
    pub price: Decimal,
    /// Quantity (absent for pending orders of OPO lists, which get the working order's fill).
    pub orig_qty: Option<Decimal>,
    /// Filled quantity.
    pub executed_qty: Decimal,
    /// Quote quantity ordered.
    pub orig_quote_order_qty: Option<Decimal>,
    /// Filled quote amount.
    pub cummulative_quote_qty: Decimal,
    /// Status.
    pub status: OrderStatus,
    /// Time in force.
    pub time_in_force: TimeInForce,
    /// Type.
    #[serde(rename = "type")]
    pub order_type: OrderType,
    /// Side.
    pub side: Side,
    /// Trigger price.
    pub stop_price: Option<Decimal>,
    /// Trailing delta.
    pub trailing_delta: Option<i64>,
    /// Iceberg quantity.
    pub iceberg_qty: Option<Decimal>,
    /// When it started working (-1 for pending orders).
    pub working_time: Option<i64>,
    /// Strategy id.
    pub strategy_id: Option<i64>,
    /// Strategy type.
    pub strategy_type: Option<i64>,
    /// Self-trade prevention mode.
    pub self_trade_prevention_mode: Option<StpMode>,
}

/// The reply to order list placement and `orderList.cancel`: the list and its orders.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderListReply {
    /// Order list id.
    pub order_list_id: i64,
    /// Kind of list (OPO and OTOCO lists are reported as `OTO`).
    pub contingency_type: ContingencyType,
    /// Status of the list.
    pub list_status_type: ListStatusType,
    /// Status of its orders.
    pub list_order_status: ListOrderStatus,
    /// The list's client id.
    pub list_client_order_id: String,
    /// When, ms since the epoch.
    pub transaction_time: i64,
    /// Symbol.
    pub symbol: String,
    /// The orders, by id.
    #[serde(default)]
    pub orders: Vec<OrderListOrder>,
    /// The orders in full (absent in ACK replies).
    #[serde(default)]
    pub order_reports: Vec<ListOrderReport>,
}

/// `orderList.cancel`: cancel a whole order list. The reply is [`OrderListReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct CancelOrderList {
    symbol: String,
    list: OrderListRef,
    new_client_order_id: Option<ClientOrderId>,
}

impl CancelOrderList {
    /// Cancels `list` in `symbol`.
    pub fn new(symbol: impl Into<String>, list: OrderListRef) -> Self {
        Self {
            symbol: symbol.into(),
            list,
            new_client_order_id: None,
        }
    }

    /// An id for the cancel itself.
    pub fn cancel_id(mut self, id: ClientOrderId) -> Self {
        self.new_client_order_id = Some(id);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        Check("orderList.cancel").symbol("symbol", &self.symbol)?;
        let request = Request::new("orderList.cancel").param("symbol", self.symbol);
        let request = match self.list {
            OrderListRef::Id(id) => request.param("orderListId", id),
            OrderListRef::Client(id) => request.param("listClientOrderId", id),
        };
        Ok(request.param_opt("newClientOrderId", self.new_client_order_id))
    }
}

/// Parameter names of one leg of an order list, by prefix (`above`, `below`, `working`,
/// `pending`, `pendingAbove`, `pendingBelow`).
#[derive(Debug, Clone, Copy)]
struct LegNames {
    kind: &'static str,
    price: &'static str,
    stop_price: &'static str,
    trailing_delta: &'static str,
    time_in_force: &'static str,
    iceberg_qty: &'static str,
    client_order_id: &'static str,
    strategy_id: &'static str,
    strategy_type: &'static str,
    peg_price_type: &'static str,
    peg_offset_value: &'static str,
    peg_offset_type: &'static str,
}

macro_rules! leg_names {
    ($prefix:literal) => {
        LegNames {
            kind: concat!($prefix, "Type"),
            price: concat!($prefix, "Price"),
            stop_price: concat!($prefix, "StopPrice"),
            trailing_delta: concat!($prefix, "TrailingDelta"),
            time_in_force: concat!($prefix, "TimeInForce"),
            iceberg_qty: concat!($prefix, "IcebergQty"),
            client_order_id: concat!($prefix, "ClientOrderId"),
            strategy_id: concat!($prefix, "StrategyId"),
            strategy_type: concat!($prefix, "StrategyType"),
            peg_price_type: concat!($prefix, "PegPriceType"),
            peg_offset_value: concat!($prefix, "PegOffsetValue"),
            peg_offset_type: concat!($prefix, "PegOffsetType"),
        }
    };
}

const ABOVE: LegNames = leg_names!("above");
const BELOW: LegNames = leg_names!("below");
const WORKING: LegNames = leg_names!("working");
const PENDING: LegNames = leg_names!("pending");
const PENDING_ABOVE: LegNames = leg_names!("pendingAbove");
const PENDING_BELOW: LegNames = leg_names!("pendingBelow");

/// One order of an order list: its type and the prices its type needs. The quantity and side are
/// given to the list.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct ListLeg {
    order_type: OrderType,
    price: Option<Decimal>,
    stop_price: Option<Decimal>,
    trailing_delta: Option<i64>,
    time_in_force: Option<TimeInForce>,
    iceberg_qty: Option<Decimal>,
    client_order_id: Option<ClientOrderId>,
    strategy_id: Option<i64>,
    strategy_type: Option<i64>,
    peg_price_type: Option<PegPriceType>,
    peg_offset_levels: Option<u32>,
}

impl ListLeg {
    /// A leg of any type; set what its type needs.
    pub fn new(order_type: OrderType) -> Self {
        Self {
            order_type,
            price: None,
            stop_price: None,
            trailing_delta: None,
            time_in_force: None,
            iceberg_qty: None,
            client_order_id: None,
            strategy_id: None,
            strategy_type: None,
            peg_price_type: None,
            peg_offset_levels: None,
        }
    }

    /// Pegs the leg's price to the book (then a LIMIT-kind leg needs no price); as
    /// [`crate::PlaceOrder::peg`].
    pub fn peg(mut self, price_type: PegPriceType) -> Self {
        self.peg_price_type = Some(price_type);
        self
    }

    /// With [`Self::peg`]: this many price levels deeper (1 to
    /// [`crate::MAX_PEG_OFFSET_LEVELS`]).
    pub fn peg_offset_levels(mut self, levels: u32) -> Self {
        self.peg_offset_levels = Some(levels);
        self
    }

    /// A LIMIT leg.
    pub fn limit(price: Decimal, time_in_force: TimeInForce) -> Self {
        Self::new(OrderType::Limit)
            .price(price)
            .time_in_force(time_in_force)
    }

    /// A LIMIT_MAKER leg.
    pub fn limit_maker(price: Decimal) -> Self {
        Self::new(OrderType::LimitMaker).price(price)
    }

    /// A MARKET leg.
    pub fn market() -> Self {
        Self::new(OrderType::Market)
    }

    /// Limit price.
    pub fn price(mut self, price: Decimal) -> Self {
        self.price = Some(price);
        self
    }

    /// Trigger price.
    pub fn stop_price(mut self, stop_price: Decimal) -> Self {
        self.stop_price = Some(stop_price);
        self
    }

    /// Trailing delta in basis points.
    pub fn trailing_delta(mut self, bips: i64) -> Self {
        self.trailing_delta = Some(bips);
        self
    }

    /// Time in force.
    pub fn time_in_force(mut self, tif: TimeInForce) -> Self {
        self.time_in_force = Some(tif);
        self
    }

    /// Iceberg visible quantity.
    pub fn iceberg_qty(mut self, qty: Decimal) -> Self {
        self.iceberg_qty = Some(qty);
        self
    }

    /// Client order id of this leg.
    pub fn client_order_id(mut self, id: ClientOrderId) -> Self {
        self.client_order_id = Some(id);
        self
    }

    /// Strategy id and type (types below 1000000 are reserved).
    pub fn strategy(mut self, id: i64, strategy_type: i64) -> Self {
        self.strategy_id = Some(id);
        self.strategy_type = Some(strategy_type);
        self
    }

    fn check(&self, check: Check, names: LegNames) -> Result<(), ValidationError> {
        let kind = self.order_type.as_str().to_owned();
        let missing = |param| ValidationError {
            method: check.0,
            param,
            problem: crate::orders::Problem::Missing(kind.clone()),
        };
        let not_allowed = |param| ValidationError {
            method: check.0,
            param,
            problem: crate::orders::Problem::NotAllowed(kind.clone()),
        };
        for (param, value) in [
            (names.price, self.price),
            (names.stop_price, self.stop_price),
            (names.iceberg_qty, self.iceberg_qty),
        ] {
            if value.is_some_and(|v| v <= Decimal::ZERO) {
                return Err(check.invalid(param, "must be greater than zero"));
            }
        }
        if self.trailing_delta.is_some_and(|d| d <= 0) {
            return Err(check.invalid(names.trailing_delta, "must be at least 1 basis point"));
        }
        if self.strategy_type.is_some_and(|t| t < 1_000_000) {
            return Err(check.invalid(names.strategy_type, "values below 1000000 are reserved"));
        }
        let (takes_price, takes_tif, needs_trigger) = match &self.order_type {
            OrderType::Limit => (true, true, false),
            OrderType::LimitMaker => (true, false, false),
            OrderType::Market => (false, false, false),
            OrderType::StopLoss | OrderType::TakeProfit => (false, false, true),
            OrderType::StopLossLimit | OrderType::TakeProfitLimit => (true, true, true),
            OrderType::Other(_) => return Ok(()),
        };
        if self.peg_offset_levels.is_some() && self.peg_price_type.is_none() {
            return Err(check.invalid(names.peg_offset_value, "needs the leg's pegPriceType"));
        }
        if self
            .peg_offset_levels
            .is_some_and(|l| l == 0 || l > crate::MAX_PEG_OFFSET_LEVELS)
        {
            return Err(check.invalid(names.peg_offset_value, "must be 1 to 100 price levels"));
        }
        if self.peg_price_type.is_some() && !takes_price {
            return Err(not_allowed(names.peg_price_type));
        }
        // A pegged leg's price comes from the book.
        let pegged = self.peg_price_type.is_some();
        if (takes_price && !pegged && self.price.is_none())
            || (!takes_price && self.price.is_some())
        {
            return Err(if takes_price {
                missing(names.price)
            } else {
                not_allowed(names.price)
            });
        }
        if takes_tif != self.time_in_force.is_some() {
            return Err(if takes_tif {
                missing(names.time_in_force)
            } else {
                not_allowed(names.time_in_force)
            });
        }
        let triggered = self.stop_price.is_some() || self.trailing_delta.is_some();
        if needs_trigger && !triggered {
            return Err(missing(names.stop_price));
        }
        if !needs_trigger && triggered {
            return Err(not_allowed(if self.stop_price.is_some() {
                names.stop_price
            } else {
                names.trailing_delta
            }));
        }
        if self.iceberg_qty.is_some() && !takes_price {
            return Err(not_allowed(names.iceberg_qty));
        }
        Ok(())
    }

    fn apply(self, request: Request, names: LegNames) -> Request {
        request
            .param(names.kind, self.order_type)
            .param_opt(names.price, self.price)
            .param_opt(names.stop_price, self.stop_price)
            .param_opt(names.trailing_delta, self.trailing_delta)
            .param_opt(names.time_in_force, self.time_in_force)
            .param_opt(names.iceberg_qty, self.iceberg_qty)
            .param_opt(names.client_order_id, self.client_order_id)
            .param_opt(names.strategy_id, self.strategy_id)
            .param_opt(names.strategy_type, self.strategy_type)
            .param_opt(names.peg_price_type, self.peg_price_type)
            .param_opt(
                names.peg_offset_value,
                self.peg_offset_levels.map(i64::from),
            )
            .param_opt(
                names.peg_offset_type,
                self.peg_offset_levels.map(|_| PegOffsetType::PriceLevel),
            )
    }
}

/// Options shared by every order list placement.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct ListOptions {
    list_client_order_id: Option<ClientOrderId>,
    resp_type: Option<NewOrderRespType>,
    stp: Option<StpMode>,
}

impl ListOptions {
    fn apply(self, request: Request) -> Request {
        request
            .param_opt("listClientOrderId", self.list_client_order_id)
            .param_opt("newOrderRespType", self.resp_type)
            .param_opt("selfTradePreventionMode", self.stp)
    }
}

macro_rules! list_options {
    ($name:ident) => {
        impl $name {
            /// Client id of the list; the client generates one when none is given.
            pub fn list_client_order_id(mut self, id: ClientOrderId) -> Self {
                self.options.list_client_order_id = Some(id);
                self
            }

            /// How much the reply holds.
            pub fn response_type(mut self, resp_type: NewOrderRespType) -> Self {
                self.options.resp_type = Some(resp_type);
                self
            }

            /// Self-trade prevention mode of every order of the list.
            pub fn self_trade_prevention(mut self, mode: StpMode) -> Self {
                self.options.stp = Some(mode);
                self
            }
        }
    };
}

fn check_quantity(check: Check, param: &'static str, qty: Decimal) -> Result<(), ValidationError> {
    if qty <= Decimal::ZERO {
        return Err(check.invalid(param, "must be greater than zero"));
    }
    Ok(())
}

/// `orderList.place.oco`: one order above the price and one below; when one fills or triggers,
/// the other is cancelled. The reply is [`OrderListReply`].
///
/// ```
/// use binance_wsapi_proto::api::trading::{ListLeg, OcoOrder};
/// use binance_wsapi_proto::{Decimal, OrderType, Side, TimeInForce};
///
/// let above = ListLeg::new(OrderType::StopLossLimit)
///     .price(Decimal::new(15, 1))
///     .stop_price(Decimal::new(150000001, 8))
///     .time_in_force(TimeInForce::Gtc);
/// let below = ListLeg::limit_maker(Decimal::new(149999999, 8));
/// let request = OcoOrder::new("LTCBNB", Side::Buy, Decimal::ONE, above, below).into_request().unwrap();
/// assert_eq!(request.method(), "orderList.place.oco");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct OcoOrder {
    symbol: String,
    side: Side,
    quantity: Decimal,
    above: ListLeg,
    below: ListLeg,
    options: ListOptions,
}

impl OcoOrder {
    /// An OCO of `quantity` on `side`, with its `above` and `below` legs.
    pub fn new(
        symbol: impl Into<String>,
        side: Side,
        quantity: Decimal,
        above: ListLeg,
        below: ListLeg,
    ) -> Self {
        Self {
            symbol: symbol.into(),
            side,
            quantity,
            above,
            below,
            options: ListOptions::default(),
        }
    }

    /// Checks both legs and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] naming the leg parameter (`abovePrice`, `belowStopPrice`, ...) that is
    /// missing, not allowed or out of range.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        const METHOD: &str = "orderList.place.oco";
        let check = Check(METHOD);
        check.symbol("symbol", &self.symbol)?;
        check_quantity(check, "quantity", self.quantity)?;
        self.above.check(check, ABOVE)?;
        self.below.check(check, BELOW)?;
        let request = Request::new(METHOD)
            .param("symbol", self.symbol)
            .param("side", self.side)
            .param("quantity", self.quantity);
        let request = self.above.apply(request, ABOVE);
        let request = self.below.apply(request, BELOW);
        Ok(self.options.apply(request))
    }
}

list_options!(OcoOrder);

/// `orderList.place` (deprecated; prefer [`OcoOrder`]): the legacy OCO of a LIMIT_MAKER order at
/// `price` and a stop order triggered at `stopPrice` and/or by `trailingDelta`, optionally with a
/// limit (`stopLimitPrice`, which then needs `stopLimitTimeInForce`). Not available on the
/// testnet. The reply is [`OrderListReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct LegacyOcoOrder {
    symbol: String,
    side: Side,
    price: Decimal,
    quantity: Decimal,
    stop_price: Option<Decimal>,
    trailing_delta: Option<i64>,
    stop_limit_price: Option<Decimal>,
    stop_limit_time_in_force: Option<TimeInForce>,
    limit_iceberg_qty: Option<Decimal>,
    stop_iceberg_qty: Option<Decimal>,
    limit_client_order_id: Option<ClientOrderId>,
    stop_client_order_id: Option<ClientOrderId>,
    limit_strategy: Option<(i64, i64)>,
    stop_strategy: Option<(i64, i64)>,
    options: ListOptions,
}

impl LegacyOcoOrder {
    /// An OCO of `quantity` on `side`: the limit leg at `price`, the stop leg triggered at
    /// `stop_price`.
    pub fn new(
        symbol: impl Into<String>,
        side: Side,
        quantity: Decimal,
        price: Decimal,
        stop_price: Decimal,
    ) -> Self {
        Self {
            symbol: symbol.into(),
            side,
            price,
            quantity,
            stop_price: Some(stop_price),
            trailing_delta: None,
            stop_limit_price: None,
            stop_limit_time_in_force: None,
            limit_iceberg_qty: None,
            stop_iceberg_qty: None,
            limit_client_order_id: None,
            stop_client_order_id: None,
            limit_strategy: None,
            stop_strategy: None,
            options: ListOptions::default(),
        }
    }

    /// Trails the stop leg by this many basis points (with or without a stop price).
    pub fn trailing_delta(mut self, bips: i64) -> Self {
        self.trailing_delta = Some(bips);
        self
    }

    /// Makes the stop leg a STOP_LOSS_LIMIT at this price and time in force.
    pub fn stop_limit(mut self, price: Decimal, time_in_force: TimeInForce) -> Self {
        self.stop_limit_price = Some(price);
        self.stop_limit_time_in_force = Some(time_in_force);
        self
    }

    /// Iceberg quantity of the limit leg.
    pub fn limit_iceberg_qty(mut self, qty: Decimal) -> Self {
        self.limit_iceberg_qty = Some(qty);
        self
    }

    /// Iceberg quantity of the stop leg (a stop-limit leg only).
    pub fn stop_iceberg_qty(mut self, qty: Decimal) -> Self {
        self.stop_iceberg_qty = Some(qty);
        self
    }

    /// Client order ids of the limit and stop legs.
    pub fn leg_client_order_ids(mut self, limit: ClientOrderId, stop: ClientOrderId) -> Self {
        self.limit_client_order_id = Some(limit);
        self.stop_client_order_id = Some(stop);
        self
    }

    /// Strategy id and type of the limit leg.
    pub fn limit_strategy(mut self, id: i64, strategy_type: i64) -> Self {
        self.limit_strategy = Some((id, strategy_type));
        self
    }

    /// Strategy id and type of the stop leg.
    pub fn stop_strategy(mut self, id: i64, strategy_type: i64) -> Self {
        self.stop_strategy = Some((id, strategy_type));
        self
    }

    /// Drops the stop price (then [`Self::trailing_delta`] must be set).
    pub fn without_stop_price(mut self) -> Self {
        self.stop_price = None;
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, a price or quantity not above zero, neither stop
    /// price nor trailing delta, a stop iceberg without a stop limit, or a reserved strategy type.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        const METHOD: &str = "orderList.place";
        let check = Check(METHOD);
        check.symbol("symbol", &self.symbol)?;
        check_quantity(check, "quantity", self.quantity)?;
        check_quantity(check, "price", self.price)?;
        for (param, value) in [
            ("stopPrice", self.stop_price),
            ("stopLimitPrice", self.stop_limit_price),
            ("limitIcebergQty", self.limit_iceberg_qty),
            ("stopIcebergQty", self.stop_iceberg_qty),
        ] {
            if let Some(value) = value {
                check_quantity(check, param, value)?;
            }
        }
        match self.trailing_delta {
            Some(d) if d <= 0 => {
                return Err(check.invalid("trailingDelta", "must be at least 1 basis point"))
            }
            None if self.stop_price.is_none() => {
                return Err(check.invalid("stopPrice", "stopPrice or trailingDelta is required"))
            }
            _ => {}
        }
        if self.stop_iceberg_qty.is_some() && self.stop_limit_price.is_none() {
            return Err(check.exclusive("stopIcebergQty", "no stopLimitPrice"));
        }
        for (param, strategy) in [
            ("limitStrategyType", self.limit_strategy),
            ("stopStrategyType", self.stop_strategy),
        ] {
            if strategy.is_some_and(|(_, t)| t < 1_000_000) {
                return Err(check.invalid(param, "values below 1000000 are reserved"));
            }
        }
        let request = Request::new(METHOD)
            .param("symbol", self.symbol)
            .param("side", self.side)
            .param("price", self.price)
            .param("quantity", self.quantity)
            .param_opt("stopPrice", self.stop_price)
            .param_opt("trailingDelta", self.trailing_delta)
            .param_opt("stopLimitPrice", self.stop_limit_price)
            .param_opt("stopLimitTimeInForce", self.stop_limit_time_in_force)
            .param_opt("limitIcebergQty", self.limit_iceberg_qty)
            .param_opt("stopIcebergQty", self.stop_iceberg_qty)
            .param_opt("limitClientOrderId", self.limit_client_order_id)
            .param_opt("stopClientOrderId", self.stop_client_order_id)
            .param_opt("limitStrategyId", self.limit_strategy.map(|s| s.0))
            .param_opt("limitStrategyType", self.limit_strategy.map(|s| s.1))
            .param_opt("stopStrategyId", self.stop_strategy.map(|s| s.0))
            .param_opt("stopStrategyType", self.stop_strategy.map(|s| s.1));
        Ok(self.options.apply(request))
    }
}

list_options!(LegacyOcoOrder);

/// The pending half of an OTO-style list: one order, or an above/below pair (OCO).
// A pair is twice one leg; the value lives only while a request is built, so boxing it would add
// an allocation and a less direct shape for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pending {
    /// One pending order (`OTO`, `OPO`).
    One(ListLeg),
    /// A pending OCO pair (`OTOCO`, `OPOCO`).
    Oco {
        /// The order above the price.
        above: ListLeg,
        /// The order below the price.
        below: ListLeg,
    },
}

/// `orderList.place.oto`, `.otoco`, `.opo` or `.opoco`: a working order that, once filled,
/// places the pending order(s). OTO/OTOCO give the pending quantity; OPO/OPOCO use what the
/// working order filled. The reply is [`OrderListReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct TriggeredList {
    symbol: String,
    working_side: Side,
    working_quantity: Decimal,
    working: ListLeg,
    pending_side: Side,
    pending_quantity: Option<Decimal>,
    pending: Pending,
    options: ListOptions,
}

impl TriggeredList {
    /// OTO (one pending order) or OTOCO (a pending pair) of `pending_quantity`.
    pub fn oto(
        symbol: impl Into<String>,
        working_side: Side,
        working_quantity: Decimal,
        working: ListLeg,
        pending_side: Side,
        pending_quantity: Decimal,
        pending: Pending,
    ) -> Self {
        Self {
            symbol: symbol.into(),
            working_side,
            working_quantity,
            working,
            pending_side,
            pending_quantity: Some(pending_quantity),
            pending,
            options: ListOptions::default(),
        }
    }

    /// OPO (one pending order) or OPOCO (a pending pair): the pending quantity is what the working
    /// order fills.
    pub fn opo(
        symbol: impl Into<String>,
        working_side: Side,
        working_quantity: Decimal,
        working: ListLeg,
        pending_side: Side,
        pending: Pending,
    ) -> Self {
        Self {
            symbol: symbol.into(),
            working_side,
            working_quantity,
            working,
            pending_side,
            pending_quantity: None,
            pending,
            options: ListOptions::default(),
        }
    }

    /// The method this list is placed with.
    pub fn method(&self) -> &'static str {
        match (&self.pending, self.pending_quantity.is_some()) {
            (Pending::One(_), true) => "orderList.place.oto",
            (Pending::Oco { .. }, true) => "orderList.place.otoco",
            (Pending::One(_), false) => "orderList.place.opo",
            (Pending::Oco { .. }, false) => "orderList.place.opoco",
        }
    }

    /// Checks every leg and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] naming the leg parameter (`workingPrice`, `pendingAboveStopPrice`, ...)
    /// that is missing, not allowed or out of range.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let method = self.method();
        let check = Check(method);
        check.symbol("symbol", &self.symbol)?;
        check_quantity(check, "workingQuantity", self.working_quantity)?;
        if let Some(qty) = self.pending_quantity {
            check_quantity(check, "pendingQuantity", qty)?;
        }
        self.working.check(check, WORKING)?;
        match &self.pending {
            Pending::One(leg) => leg.check(check, PENDING)?,
            Pending::Oco { above, below } => {
                above.check(check, PENDING_ABOVE)?;
                below.check(check, PENDING_BELOW)?;
            }
        }
        let request = Request::new(method)
            .param("symbol", self.symbol)
            .param("workingSide", self.working_side)
            .param("workingQuantity", self.working_quantity)
            .param("pendingSide", self.pending_side)
            .param_opt("pendingQuantity", self.pending_quantity);
        let request = self.working.apply(request, WORKING);
        let request = match self.pending {
            Pending::One(leg) => leg.apply(request, PENDING),
            Pending::Oco { above, below } => {
                below.apply(above.apply(request, PENDING_ABOVE), PENDING_BELOW)
            }
        };
        Ok(self.options.apply(request))
    }
}

list_options!(TriggeredList);

/// `sor.order.place` / `sor.order.test`: an order routed by the smart order router (LIMIT or
/// MARKET, by base quantity). The reply to `sor.order.place` is `Vec<`[`PlacedOrder`]`>`; to
/// `sor.order.test` it is [`OrderTestReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct SorOrder {
    symbol: String,
    side: Side,
    order_type: OrderType,
    quantity: Decimal,
    price: Option<Decimal>,
    time_in_force: Option<TimeInForce>,
    iceberg_qty: Option<Decimal>,
    new_client_order_id: Option<ClientOrderId>,
    resp_type: Option<NewOrderRespType>,
    stp: Option<StpMode>,
    strategy_id: Option<i64>,
    strategy_type: Option<i64>,
}

impl SorOrder {
    /// A LIMIT order routed by SOR.
    pub fn limit(
        symbol: impl Into<String>,
        side: Side,
        price: Decimal,
        quantity: Decimal,
        time_in_force: TimeInForce,
    ) -> Self {
        let mut order = Self::market(symbol, side, quantity);
        order.order_type = OrderType::Limit;
        order.price = Some(price);
        order.time_in_force = Some(time_in_force);
        order
    }

    /// A MARKET order routed by SOR.
    pub fn market(symbol: impl Into<String>, side: Side, quantity: Decimal) -> Self {
        Self {
            symbol: symbol.into(),
            side,
            order_type: OrderType::Market,
            quantity,
            price: None,
            time_in_force: None,
            iceberg_qty: None,
            new_client_order_id: None,
            resp_type: None,
            stp: None,
            strategy_id: None,
            strategy_type: None,
        }
    }

    /// Iceberg visible quantity (LIMIT only).
    pub fn iceberg_qty(mut self, qty: Decimal) -> Self {
        self.iceberg_qty = Some(qty);
        self
    }

    /// Client order id; the client generates one for `sor.order.place` when none is given.
    pub fn client_order_id(mut self, id: ClientOrderId) -> Self {
        self.new_client_order_id = Some(id);
        self
    }

    /// How much the reply holds.
    pub fn response_type(mut self, resp_type: NewOrderRespType) -> Self {
        self.resp_type = Some(resp_type);
        self
    }

    /// Self-trade prevention mode.
    pub fn self_trade_prevention(mut self, mode: StpMode) -> Self {
        self.stp = Some(mode);
        self
    }

    /// Strategy id and type (types below 1000000 are reserved).
    pub fn strategy(mut self, id: i64, strategy_type: i64) -> Self {
        self.strategy_id = Some(id);
        self.strategy_type = Some(strategy_type);
        self
    }

    fn build(self, method: &'static str) -> Result<Request, ValidationError> {
        let check = Check(method);
        check.symbol("symbol", &self.symbol)?;
        check_quantity(check, "quantity", self.quantity)?;
        if let Some(price) = self.price {
            check_quantity(check, "price", price)?;
        }
        if self.strategy_type.is_some_and(|t| t < 1_000_000) {
            return Err(check.invalid("strategyType", "values below 1000000 are reserved"));
        }
        if self.iceberg_qty.is_some() && self.order_type != OrderType::Limit {
            return Err(check.invalid("icebergQty", "only LIMIT orders take it"));
        }
        Ok(Request::new(method)
            .param("symbol", self.symbol)
            .param("side", self.side)
            .param("type", self.order_type)
            .param("quantity", self.quantity)
            .param_opt("timeInForce", self.time_in_force)
            .param_opt("price", self.price)
            .param_opt("icebergQty", self.iceberg_qty)
            .param_opt("newClientOrderId", self.new_client_order_id)
            .param_opt("newOrderRespType", self.resp_type)
            .param_opt("selfTradePreventionMode", self.stp)
            .param_opt("strategyId", self.strategy_id)
            .param_opt("strategyType", self.strategy_type))
    }

    /// Checks and builds the `sor.order.place` request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, a quantity or price not above zero, a reserved
    /// strategy type or an iceberg on a MARKET order.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        self.build("sor.order.place")
    }

    /// Checks and builds the `sor.order.test` request.
    ///
    /// # Errors
    /// As [`Self::into_request`].
    pub fn into_test_request(
        self,
        compute_commission_rates: Option<bool>,
    ) -> Result<Request, ValidationError> {
        Ok(self
            .build("sor.order.test")?
            .param_opt("computeCommissionRates", compute_commission_rates))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn legs_need_what_their_type_needs() {
        let cases: Vec<(Result<Request, ValidationError>, &str)> = vec![
            (
                OcoOrder::new(
                    "X",
                    Side::Buy,
                    d(1),
                    ListLeg::new(OrderType::StopLossLimit).price(d(2)),
                    ListLeg::limit_maker(d(1)),
                )
                .into_request(),
                "aboveTimeInForce",
            ),
            (
                OcoOrder::new(
                    "X",
                    Side::Buy,
                    d(1),
                    ListLeg::new(OrderType::StopLoss),
                    ListLeg::limit_maker(d(1)),
                )
                .into_request(),
                "aboveStopPrice",
            ),
            (
                OcoOrder::new(
                    "X",
                    Side::Buy,
                    d(0),
                    ListLeg::new(OrderType::StopLoss).stop_price(d(2)),
                    ListLeg::limit_maker(d(1)),
                )
                .into_request(),
                "quantity",
            ),
            (
                OcoOrder::new(
                    "X",
                    Side::Buy,
                    d(1),
                    ListLeg::new(OrderType::StopLoss).stop_price(d(2)),
                    ListLeg::limit_maker(d(1)).time_in_force(TimeInForce::Gtc),
                )
                .into_request(),
                "belowTimeInForce",
            ),
            (
                TriggeredList::oto(
                    "X",
                    Side::Sell,
                    d(1),
                    ListLeg::limit(d(1), TimeInForce::Gtc),
                    Side::Buy,
                    d(1),
                    Pending::One(ListLeg::market().price(d(1))),
                )
                .into_request(),
                "pendingPrice",
            ),
            (
                TriggeredList::opo(
                    "X",
                    Side::Buy,
                    d(1),
                    ListLeg::limit(d(1), TimeInForce::Gtc),
                    Side::Sell,
                    Pending::Oco {
                        above: ListLeg::limit_maker(d(3)),
                        below: ListLeg::new(OrderType::StopLossLimit)
                            .price(d(1))
                            .time_in_force(TimeInForce::Ioc),
                    },
                )
                .into_request(),
                "pendingBelowStopPrice",
            ),
            (
                AmendOrder::new("X", OrderRef::Id(1), d(0)).into_request(),
                "newQty",
            ),
            (
                LegacyOcoOrder::new("X", Side::Sell, d(1), d(3), d(2))
                    .without_stop_price()
                    .into_request(),
                "stopPrice",
            ),
            (
                LegacyOcoOrder::new("X", Side::Sell, d(1), d(3), d(2))
                    .stop_iceberg_qty(d(1))
                    .into_request(),
                "stopIcebergQty",
            ),
            (
                SorOrder::market("X", Side::Buy, d(1))
                    .iceberg_qty(d(1))
                    .into_request(),
                "icebergQty",
            ),
        ];
        for (result, param) in cases {
            let err = result.unwrap_err();
            assert_eq!(err.param, param, "{err}");
        }
    }

    #[test]
    fn derived_requests_keep_the_order_and_name_their_method() {
        let order = PlaceOrder::limit("X", Side::Buy, d(1), d(2), TimeInForce::Gtc);
        let test = TestOrder::new(order.clone())
            .compute_commission_rates(true)
            .into_request()
            .unwrap();
        assert_eq!(test.method(), "order.test");
        assert_eq!(test.params().get("price"), Some(&ParamValue::from(d(1))));
        assert_eq!(
            test.params().get("computeCommissionRates"),
            Some(&ParamValue::Bool(true))
        );
        let err = TestOrder::new(PlaceOrder::new("X", Side::Buy, OrderType::Limit))
            .into_request()
            .unwrap_err();
        assert_eq!((err.method, err.param), ("order.test", "quantity"));
        let replace = CancelReplace::new(CancelReplaceMode::StopOnFailure, OrderRef::Id(5), order)
            .cancel_restrictions(CancelRestrictions::OnlyNew)
            .into_request()
            .unwrap();
        assert_eq!(
            replace.params().get("cancelOrderId"),
            Some(&ParamValue::Int(5))
        );
        assert!(replace.params().contains("cancelRestrictions"));
    }

    #[test]
    fn triggered_lists_pick_their_method() {
        let working = || ListLeg::limit(d(1), TimeInForce::Gtc);
        let oco = || Pending::Oco {
            above: ListLeg::limit_maker(d(3)),
            below: ListLeg::new(OrderType::StopLoss).stop_price(d(1)),
        };
        let one = || Pending::One(ListLeg::market());
        let cases = [
            (
                TriggeredList::oto("X", Side::Buy, d(1), working(), Side::Sell, d(1), one()),
                "orderList.place.oto",
            ),
            (
                TriggeredList::oto("X", Side::Buy, d(1), working(), Side::Sell, d(1), oco()),
                "orderList.place.otoco",
            ),
            (
                TriggeredList::opo("X", Side::Buy, d(1), working(), Side::Sell, one()),
                "orderList.place.opo",
            ),
            (
                TriggeredList::opo("X", Side::Buy, d(1), working(), Side::Sell, oco()),
                "orderList.place.opoco",
            ),
        ];
        for (list, method) in cases {
            let request = list.into_request().unwrap();
            assert_eq!(request.method(), method);
            assert!(request.info().is_some_and(|i| i.changes_orders));
        }
    }
}
