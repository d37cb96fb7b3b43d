//! `order.place`, typed: a builder that checks the parameter combinations Binance requires for each
//! order type before anything is sent, and the typed reply (ACK, RESULT or FULL).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::ids::ClientOrderId;
use crate::request::Request;
use crate::types::{
    NewOrderRespType, OrderStatus, OrderType, PegOffsetType, PegPriceType, Side, StpMode,
    TimeInForce,
};

/// What is wrong with a typed request, named by method and parameter.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{method}: {param}: {problem}")]
pub struct ValidationError {
    /// The method.
    pub method: &'static str,
    /// The parameter.
    pub param: &'static str,
    /// What is wrong.
    pub problem: Problem,
}

/// The kinds of invalid input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// Required for this combination, and missing.
    #[error("is required for {0}")]
    Missing(String),
    /// Not allowed in this combination.
    #[error("is not allowed for {0}")]
    NotAllowed(String),
    /// Out of range.
    #[error("{0}")]
    Invalid(String),
}

/// A new order for `order.place`.
///
/// ```
/// use binance_wsapi_proto::{Decimal, PlaceOrder, Side, TimeInForce};
///
/// let request = PlaceOrder::limit("BTCUSDT", Side::Sell, Decimal::new(5200000, 2), Decimal::new(1000000, 8), TimeInForce::Gtc)
///     .into_request()
///     .unwrap();
/// assert_eq!(request.method(), "order.place");
/// // A LIMIT order without a quantity is refused before anything is sent.
/// let err = PlaceOrder::new("BTCUSDT", Side::Buy, binance_wsapi_proto::OrderType::Limit).into_request().unwrap_err();
/// assert_eq!((err.method, err.param), ("order.place", "quantity"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct PlaceOrder {
    symbol: String,
    side: Side,
    order_type: OrderType,
    time_in_force: Option<TimeInForce>,
    price: Option<Decimal>,
    quantity: Option<Decimal>,
    quote_order_qty: Option<Decimal>,
    stop_price: Option<Decimal>,
    trailing_delta: Option<i64>,
    iceberg_qty: Option<Decimal>,
    new_client_order_id: Option<ClientOrderId>,
    resp_type: Option<NewOrderRespType>,
    stp: Option<StpMode>,
    strategy_id: Option<i64>,
    strategy_type: Option<i64>,
    peg_price_type: Option<PegPriceType>,
    peg_offset_levels: Option<u32>,
}

const METHOD: &str = "order.place";

/// The deepest offset, in price levels, a pegged order may take.
pub const MAX_PEG_OFFSET_LEVELS: u32 = 100;

impl PlaceOrder {
    /// An order of any type; set the fields its type needs.
    pub fn new(symbol: impl Into<String>, side: Side, order_type: OrderType) -> Self {
        Self {
            symbol: symbol.into(),
            side,
            order_type,
            time_in_force: None,
            price: None,
            quantity: None,
            quote_order_qty: None,
            stop_price: None,
            trailing_delta: None,
            iceberg_qty: None,
            new_client_order_id: None,
            resp_type: None,
            stp: None,
            strategy_id: None,
            strategy_type: None,
            peg_price_type: None,
            peg_offset_levels: None,
        }
    }

    /// A LIMIT order.
    pub fn limit(
        symbol: impl Into<String>,
        side: Side,
        price: Decimal,
        quantity: Decimal,
        time_in_force: TimeInForce,
    ) -> Self {
        Self::new(symbol, side, OrderType::Limit)
            .price(price)
            .quantity(quantity)
            .time_in_force(time_in_force)
    }

    /// A MARKET order for a base quantity.
    pub fn market(symbol: impl Into<String>, side: Side, quantity: Decimal) -> Self {
        Self::new(symbol, side, OrderType::Market).quantity(quantity)
    }

    /// A MARKET order spending (or receiving) a quote amount.
    pub fn market_quote(symbol: impl Into<String>, side: Side, quote_order_qty: Decimal) -> Self {
        let mut order = Self::new(symbol, side, OrderType::Market);
        order.quote_order_qty = Some(quote_order_qty);
        order
    }

    /// Limit price.
    pub fn price(mut self, price: Decimal) -> Self {
        self.price = Some(price);
        self
    }

    /// Base quantity.
    pub fn quantity(mut self, quantity: Decimal) -> Self {
        self.quantity = Some(quantity);
        self
    }

    /// Time in force.
    pub fn time_in_force(mut self, tif: TimeInForce) -> Self {
        self.time_in_force = Some(tif);
        self
    }

    /// Trigger price of stop and take-profit orders.
    pub fn stop_price(mut self, stop_price: Decimal) -> Self {
        self.stop_price = Some(stop_price);
        self
    }

    /// Trailing delta in basis points, for trailing stop and take-profit orders.
    pub fn trailing_delta(mut self, bips: i64) -> Self {
        self.trailing_delta = Some(bips);
        self
    }

    /// Iceberg visible quantity.
    pub fn iceberg_qty(mut self, qty: Decimal) -> Self {
        self.iceberg_qty = Some(qty);
        self
    }

    /// Client order id; the client generates a random one when none is given.
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

    /// Strategy id and type (types below 1000000 are reserved by Binance).
    pub fn strategy(mut self, id: i64, strategy_type: i64) -> Self {
        self.strategy_id = Some(id);
        self.strategy_type = Some(strategy_type);
        self
    }

    /// Pegs the price to the book: a LIMIT-kind order then needs no `price` (Binance derives it
    /// and reports it as `peggedPrice`). SOR does not take pegged orders.
    pub fn peg(mut self, price_type: PegPriceType) -> Self {
        self.peg_price_type = Some(price_type);
        self
    }

    /// With [`Self::peg`]: this many price levels deeper into the book (1 to
    /// [`MAX_PEG_OFFSET_LEVELS`]); sent as `pegOffsetValue` with `pegOffsetType=PRICE_LEVEL`.
    pub fn peg_offset_levels(mut self, levels: u32) -> Self {
        self.peg_offset_levels = Some(levels);
        self
    }

    /// Checks the combination and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] naming the parameter that is missing, not allowed or out of range.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        self.validate()?;
        let request = Request::new(METHOD)
            .param("symbol", self.symbol)
            .param("side", self.side)
            .param("type", self.order_type)
            .param_opt("timeInForce", self.time_in_force)
            .param_opt("price", self.price)
            .param_opt("quantity", self.quantity)
            .param_opt("quoteOrderQty", self.quote_order_qty)
            .param_opt("stopPrice", self.stop_price)
            .param_opt("trailingDelta", self.trailing_delta)
            .param_opt("icebergQty", self.iceberg_qty)
            .param_opt("newClientOrderId", self.new_client_order_id)
            .param_opt("newOrderRespType", self.resp_type)
            .param_opt("selfTradePreventionMode", self.stp)
            .param_opt("strategyId", self.strategy_id)
            .param_opt("strategyType", self.strategy_type)
            .param_opt("pegPriceType", self.peg_price_type)
            .param_opt("pegOffsetValue", self.peg_offset_levels.map(i64::from))
            .param_opt(
                "pegOffsetType",
                self.peg_offset_levels.map(|_| PegOffsetType::PriceLevel),
            );
        Ok(request)
    }

    fn validate(&self) -> Result<(), ValidationError> {
        let kind = self.order_type.as_str().to_owned();
        let missing = |param| ValidationError {
            method: METHOD,
            param,
            problem: Problem::Missing(kind.clone()),
        };
        let not_allowed = |param| ValidationError {
            method: METHOD,
            param,
            problem: Problem::NotAllowed(kind.clone()),
        };
        let invalid = |param, why: &str| ValidationError {
            method: METHOD,
            param,
            problem: Problem::Invalid(why.into()),
        };
        if self.symbol.is_empty() {
            return Err(invalid("symbol", "must not be empty"));
        }
        for (param, value) in [
            ("price", self.price),
            ("quantity", self.quantity),
            ("quoteOrderQty", self.quote_order_qty),
            ("stopPrice", self.stop_price),
            ("icebergQty", self.iceberg_qty),
        ] {
            if value.is_some_and(|v| v <= Decimal::ZERO) {
                return Err(invalid(param, "must be greater than zero"));
            }
        }
        if self.trailing_delta.is_some_and(|d| d <= 0) {
            return Err(invalid("trailingDelta", "must be at least 1 basis point"));
        }
        if self.strategy_type.is_some_and(|t| t < 1_000_000) {
            return Err(invalid("strategyType", "values below 1000000 are reserved"));
        }
        let needs_trigger = matches!(
            self.order_type,
            OrderType::StopLoss
                | OrderType::StopLossLimit
                | OrderType::TakeProfit
                | OrderType::TakeProfitLimit
        );
        let is_limit_kind = matches!(
            self.order_type,
            OrderType::Limit | OrderType::StopLossLimit | OrderType::TakeProfitLimit
        );
        let takes_price = is_limit_kind || self.order_type == OrderType::LimitMaker;
        match &self.order_type {
            OrderType::Market => match (self.quantity, self.quote_order_qty) {
                (None, None) => return Err(missing("quantity")),
                (Some(_), Some(_)) => return Err(not_allowed("quoteOrderQty")),
                _ => {}
            },
            OrderType::Other(_) => return Ok(()),
            _ => {
                if self.quantity.is_none() {
                    return Err(missing("quantity"));
                }
                if self.quote_order_qty.is_some() {
                    return Err(not_allowed("quoteOrderQty"));
                }
            }
        }
        if is_limit_kind && self.time_in_force.is_none() {
            return Err(missing("timeInForce"));
        }
        if !is_limit_kind && self.time_in_force.is_some() {
            return Err(not_allowed("timeInForce"));
        }
        if self.peg_offset_levels.is_some() && self.peg_price_type.is_none() {
            return Err(invalid("pegOffsetValue", "needs pegPriceType"));
        }
        if self
            .peg_offset_levels
            .is_some_and(|l| l == 0 || l > MAX_PEG_OFFSET_LEVELS)
        {
            return Err(invalid("pegOffsetValue", "must be 1 to 100 price levels"));
        }
        if self.peg_price_type.is_some() && !takes_price {
            return Err(not_allowed("pegPriceType"));
        }
        // A pegged order's price comes from the book.
        if takes_price && self.price.is_none() && self.peg_price_type.is_none() {
            return Err(missing("price"));
        }
        if !takes_price && self.price.is_some() {
            return Err(not_allowed("price"));
        }
        if needs_trigger && self.stop_price.is_none() && self.trailing_delta.is_none() {
            return Err(missing("stopPrice"));
        }
        if !needs_trigger && (self.stop_price.is_some() || self.trailing_delta.is_some()) {
            return Err(not_allowed(if self.stop_price.is_some() {
                "stopPrice"
            } else {
                "trailingDelta"
            }));
        }
        if self.iceberg_qty.is_some() {
            if !takes_price {
                return Err(not_allowed("icebergQty"));
            }
            if self
                .time_in_force
                .as_ref()
                .is_some_and(|t| *t != TimeInForce::Gtc)
            {
                return Err(invalid("icebergQty", "needs timeInForce GTC"));
            }
        }
        Ok(())
    }
}

/// One fill of an order (FULL replies).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Fill {
    /// Trade price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Commission charged.
    pub commission: Decimal,
    /// Asset of the commission.
    pub commission_asset: String,
    /// Trade id.
    pub trade_id: i64,
}

/// The reply to `order.place`: ACK replies fill only the ids and time; RESULT adds the state; FULL
/// adds the fills. Unknown fields are ignored; conditional fields are `Option`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PlacedOrder {
    /// Symbol.
    pub symbol: String,
    /// Exchange order id.
    pub order_id: i64,
    /// Order list id (-1 for single orders).
    pub order_list_id: i64,
    /// Client order id.
    pub client_order_id: String,
    /// When the engine handled it.
    pub transact_time: i64,
    /// Limit price.
    pub price: Option<Decimal>,
    /// Ordered quantity.
    pub orig_qty: Option<Decimal>,
    /// Filled quantity.
    pub executed_qty: Option<Decimal>,
    /// Ordered quote quantity.
    pub orig_quote_order_qty: Option<Decimal>,
    /// Filled quote amount (Binance's spelling).
    pub cummulative_quote_qty: Option<Decimal>,
    /// Status.
    pub status: Option<OrderStatus>,
    /// Time in force.
    pub time_in_force: Option<TimeInForce>,
    /// Type.
    #[serde(rename = "type")]
    pub order_type: Option<OrderType>,
    /// Side.
    pub side: Option<Side>,
    /// When it started working.
    pub working_time: Option<i64>,
    /// Self-trade prevention mode.
    pub self_trade_prevention_mode: Option<StpMode>,
    /// Trigger price (stop and take-profit orders).
    pub stop_price: Option<Decimal>,
    /// Iceberg quantity.
    pub iceberg_qty: Option<Decimal>,
    /// Trailing delta.
    pub trailing_delta: Option<i64>,
    /// Strategy id.
    pub strategy_id: Option<i64>,
    /// Strategy type.
    pub strategy_type: Option<i64>,
    /// Prevented match id (self-trade prevention).
    pub prevented_match_id: Option<i64>,
    /// Prevented quantity.
    pub prevented_quantity: Option<Decimal>,
    /// Peg of a pegged order.
    pub peg_price_type: Option<PegPriceType>,
    /// The price a pegged order took from the book.
    pub pegged_price: Option<Decimal>,
    /// Fills (FULL replies).
    #[serde(default)]
    pub fills: Vec<Fill>,
    /// Where the order was matched (`EXCHANGE` or `SOR`; SOR replies).
    pub working_floor: Option<String>,
    /// Whether the smart order router placed it (SOR replies).
    pub used_sor: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn pegged_orders_need_no_price_and_bounded_offsets() {
        let pegged = PlaceOrder::new("BTCUSDT", Side::Buy, OrderType::Limit)
            .quantity(d("1"))
            .time_in_force(TimeInForce::Gtc)
            .peg(PegPriceType::PrimaryPeg)
            .peg_offset_levels(3)
            .into_request()
            .unwrap();
        let p = pegged.params();
        assert!(p.get("price").is_none());
        assert_eq!(
            p.get("pegPriceType"),
            Some(&ParamValue::from("PRIMARY_PEG"))
        );
        assert_eq!(p.get("pegOffsetValue"), Some(&ParamValue::Int(3)));
        assert_eq!(
            p.get("pegOffsetType"),
            Some(&ParamValue::from("PRICE_LEVEL"))
        );
        let err = |order: PlaceOrder| order.into_request().unwrap_err().param;
        let base = || {
            PlaceOrder::new("BTCUSDT", Side::Buy, OrderType::Limit)
                .quantity(d("1"))
                .time_in_force(TimeInForce::Gtc)
        };
        assert_eq!(err(base()), "price", "unpegged LIMIT still needs its price");
        assert_eq!(err(base().peg_offset_levels(2)), "pegOffsetValue");
        assert_eq!(
            err(base().peg(PegPriceType::MarketPeg).peg_offset_levels(101)),
            "pegOffsetValue"
        );
        assert_eq!(
            err(PlaceOrder::market("BTCUSDT", Side::Buy, d("1")).peg(PegPriceType::MarketPeg)),
            "pegPriceType"
        );
    }

    #[test]
    fn each_type_needs_its_parameters() {
        let ok = [
            PlaceOrder::limit("X", Side::Buy, d("1"), d("1"), TimeInForce::Gtc),
            PlaceOrder::market("X", Side::Buy, d("1")),
            PlaceOrder::market_quote("X", Side::Buy, d("10")),
            PlaceOrder::new("X", Side::Sell, OrderType::StopLoss)
                .quantity(d("1"))
                .stop_price(d("1")),
            PlaceOrder::new("X", Side::Sell, OrderType::TakeProfit)
                .quantity(d("1"))
                .trailing_delta(100),
            PlaceOrder::new("X", Side::Sell, OrderType::StopLossLimit)
                .quantity(d("1"))
                .price(d("1"))
                .stop_price(d("1"))
                .time_in_force(TimeInForce::Gtc),
            PlaceOrder::new("X", Side::Sell, OrderType::LimitMaker)
                .quantity(d("1"))
                .price(d("1")),
            PlaceOrder::limit("X", Side::Buy, d("1"), d("10"), TimeInForce::Gtc)
                .iceberg_qty(d("2")),
            PlaceOrder::new("X", Side::Sell, OrderType::Other("NEW_KIND".into())),
        ];
        for order in ok {
            assert!(order.clone().into_request().is_ok(), "{order:?}");
        }
        let bad: [(PlaceOrder, &str); 10] = [
            (
                PlaceOrder::new("X", Side::Buy, OrderType::Limit)
                    .quantity(d("1"))
                    .price(d("1")),
                "timeInForce",
            ),
            (
                PlaceOrder::new("X", Side::Buy, OrderType::Limit)
                    .time_in_force(TimeInForce::Gtc)
                    .quantity(d("1")),
                "price",
            ),
            (
                PlaceOrder::new("X", Side::Buy, OrderType::Market),
                "quantity",
            ),
            (
                PlaceOrder::market("X", Side::Buy, d("1")).price(d("1")),
                "price",
            ),
            (
                PlaceOrder::market("X", Side::Buy, d("1")).time_in_force(TimeInForce::Ioc),
                "timeInForce",
            ),
            (
                PlaceOrder::market_quote("X", Side::Buy, d("1")).quantity(d("1")),
                "quoteOrderQty",
            ),
            (
                PlaceOrder::new("X", Side::Sell, OrderType::StopLoss).quantity(d("1")),
                "stopPrice",
            ),
            (
                PlaceOrder::limit("X", Side::Buy, d("1"), d("0"), TimeInForce::Gtc),
                "quantity",
            ),
            (
                PlaceOrder::limit("X", Side::Buy, d("1"), d("1"), TimeInForce::Gtc)
                    .stop_price(d("1")),
                "stopPrice",
            ),
            (
                PlaceOrder::limit("X", Side::Buy, d("1"), d("9"), TimeInForce::Ioc)
                    .iceberg_qty(d("1")),
                "icebergQty",
            ),
        ];
        for (order, param) in bad {
            let err = order.clone().into_request().unwrap_err();
            assert_eq!(
                (err.method, err.param),
                ("order.place", param),
                "{order:?}: {err}"
            );
        }
    }

    #[test]
    fn error_messages_name_method_and_parameter() {
        let err = PlaceOrder::new("X", Side::Buy, OrderType::Limit)
            .into_request()
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "order.place: quantity: is required for LIMIT"
        );
    }
}

/// Which order a cancel or query is about: exactly one of `orderId` or `origClientOrderId`, by
/// construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderRef {
    /// The exchange's order id.
    Id(i64),
    /// The client order id.
    Client(ClientOrderId),
}

impl OrderRef {
    fn apply(self, request: Request) -> Request {
        match self {
            Self::Id(id) => request.param("orderId", id),
            Self::Client(id) => request.param("origClientOrderId", id),
        }
    }
}

/// `order.cancel`: cancel one open order.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct CancelOrder {
    symbol: String,
    order: OrderRef,
    new_client_order_id: Option<ClientOrderId>,
}

impl CancelOrder {
    /// Cancels `order` in `symbol`.
    pub fn new(symbol: impl Into<String>, order: OrderRef) -> Self {
        Self {
            symbol: symbol.into(),
            order,
            new_client_order_id: None,
        }
    }

    /// An id for the cancel itself.
    pub fn cancel_id(mut self, id: ClientOrderId) -> Self {
        self.new_client_order_id = Some(id);
        self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        self.order
            .apply(Request::new("order.cancel").param("symbol", self.symbol))
            .param_opt("newClientOrderId", self.new_client_order_id)
    }
}

/// `order.status`: ask for one order (also after an unknown outcome, by client order id).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub struct QueryOrder {
    symbol: String,
    order: OrderRef,
}

impl QueryOrder {
    /// Asks for `order` in `symbol`.
    pub fn new(symbol: impl Into<String>, order: OrderRef) -> Self {
        Self {
            symbol: symbol.into(),
            order,
        }
    }

    /// The request.
    pub fn into_request(self) -> Request {
        self.order
            .apply(Request::new("order.status").param("symbol", self.symbol))
    }
}

/// The reply to `order.cancel` for a single order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CanceledOrder {
    /// Symbol.
    pub symbol: String,
    /// The cancelled order's client order id.
    pub orig_client_order_id: String,
    /// Order id.
    pub order_id: i64,
    /// Order list id (-1 for single orders).
    pub order_list_id: i64,
    /// The cancel request's client id.
    pub client_order_id: String,
    /// When the engine handled the cancel.
    pub transact_time: Option<i64>,
    /// Limit price.
    pub price: Decimal,
    /// Ordered quantity.
    pub orig_qty: Decimal,
    /// Filled before the cancel.
    pub executed_qty: Decimal,
    /// Ordered quote quantity.
    pub orig_quote_order_qty: Option<Decimal>,
    /// Filled quote amount.
    pub cummulative_quote_qty: Decimal,
    /// Status (`CANCELED`).
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
    /// Strategy id.
    pub strategy_id: Option<i64>,
    /// Strategy type.
    pub strategy_type: Option<i64>,
    /// Self-trade prevention mode.
    pub self_trade_prevention_mode: Option<StpMode>,
}

/// The reply to `order.cancel`: the order, or, when the order was a leg of a list, the whole list
/// (cancelling one leg cancels the list).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum CancelReply {
    /// A single order.
    Order(Box<CanceledOrder>),
    /// The list the order belonged to.
    List(Box<crate::api::trading::OrderListReply>),
}

/// The reply to `order.status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderInfo {
    /// Symbol.
    pub symbol: String,
    /// Order id.
    pub order_id: i64,
    /// Order list id (-1 for single orders).
    pub order_list_id: i64,
    /// Client order id.
    pub client_order_id: String,
    /// Limit price.
    pub price: Decimal,
    /// Ordered quantity.
    pub orig_qty: Decimal,
    /// Filled quantity.
    pub executed_qty: Decimal,
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
    /// When a trailing order started trailing (-1 if not).
    pub trailing_time: Option<i64>,
    /// Iceberg quantity.
    pub iceberg_qty: Option<Decimal>,
    /// Creation time.
    pub time: i64,
    /// Last update.
    pub update_time: i64,
    /// Whether it is on the book.
    pub is_working: bool,
    /// When it started working.
    pub working_time: Option<i64>,
    /// Ordered quote quantity.
    pub orig_quote_order_qty: Option<Decimal>,
    /// Strategy id.
    pub strategy_id: Option<i64>,
    /// Strategy type.
    pub strategy_type: Option<i64>,
    /// Self-trade prevention mode.
    pub self_trade_prevention_mode: Option<StpMode>,
    /// Prevented match id.
    pub prevented_match_id: Option<i64>,
    /// Prevented quantity.
    pub prevented_quantity: Option<Decimal>,
    /// Why it expired, if it did.
    pub expiry_reason: Option<String>,
}
