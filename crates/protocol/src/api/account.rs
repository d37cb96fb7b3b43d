//! Account queries (all `USER_DATA`, signed by the client): balances, orders, trades, prevented
//! matches, allocations, commissions, amendments, filters and order lists.

use rust_decimal::Decimal;
use serde::Deserialize;

use super::general::Filter;
use super::{Check, DAY_MS};
use crate::ids::ClientOrderId;
use crate::orders::ValidationError;
use crate::request::Request;
use crate::types::{string_enum, StpMode};

/// `account.status`: balances, commissions and permissions. The reply is [`AccountInfo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct AccountStatusRequest {
    omit_zero_balances: Option<bool>,
}

impl AccountStatusRequest {
    /// Every balance.
    pub fn new() -> Self {
        Self::default()
    }

    /// Leave out balances that are zero.
    pub fn omit_zero_balances(mut self, omit: bool) -> Self {
        self.omit_zero_balances = Some(omit);
        self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("account.status").param_opt("omitZeroBalances", self.omit_zero_balances)
    }
}

/// Commission rates, as fractions (`0.00150000` is 0.15 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct CommissionRates {
    /// Maker.
    pub maker: Decimal,
    /// Taker.
    pub taker: Decimal,
    /// Buyer.
    pub buyer: Decimal,
    /// Seller.
    pub seller: Decimal,
}

/// One asset's balance.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct Balance {
    /// Asset.
    pub asset: String,
    /// Available.
    pub free: Decimal,
    /// Locked in open orders.
    pub locked: Decimal,
}

/// The reply to `account.status`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountInfo {
    /// Maker commission in basis points (older form of `commission_rates`).
    pub maker_commission: Option<i64>,
    /// Taker commission in basis points.
    pub taker_commission: Option<i64>,
    /// Buyer commission in basis points.
    pub buyer_commission: Option<i64>,
    /// Seller commission in basis points.
    pub seller_commission: Option<i64>,
    /// Commission rates.
    pub commission_rates: Option<CommissionRates>,
    /// Whether the account may trade.
    pub can_trade: bool,
    /// Whether it may withdraw.
    pub can_withdraw: bool,
    /// Whether it may deposit.
    pub can_deposit: bool,
    /// Whether it is a broker sub-account.
    #[serde(default)]
    pub brokered: bool,
    /// Whether self-trade prevention is required.
    #[serde(default)]
    pub require_self_trade_prevention: bool,
    /// Whether smart order routing is forbidden.
    #[serde(default)]
    pub prevent_sor: bool,
    /// Last update, ms since the epoch.
    pub update_time: i64,
    /// Account type (`SPOT`).
    pub account_type: String,
    /// Balances.
    #[serde(default)]
    pub balances: Vec<Balance>,
    /// Permissions.
    #[serde(default)]
    pub permissions: Vec<String>,
    /// User id.
    pub uid: Option<i64>,
}

impl AccountInfo {
    /// The balance of `asset`, if listed.
    pub fn balance(&self, asset: &str) -> Option<&Balance> {
        self.balances.iter().find(|b| b.asset == asset)
    }
}

/// `account.rateLimits.orders`: the unfilled order counts. The reply is
/// `Vec<`[`crate::RateLimit`]`>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct OrderRateLimitsRequest;

impl OrderRateLimitsRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("account.rateLimits.orders")
    }
}

/// `allOrders`: orders of a symbol, any status. The reply is `Vec<`[`crate::OrderInfo`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct AllOrdersRequest {
    symbol: String,
    order_id: Option<i64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    limit: Option<u32>,
}

impl AllOrdersRequest {
    /// The latest orders of `symbol`.
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            order_id: None,
            start_time: None,
            end_time: None,
            limit: None,
        }
    }

    /// Orders from this order id on (a time range takes precedence).
    pub fn from_order_id(mut self, id: i64) -> Self {
        self.order_id = Some(id);
        self
    }

    /// From this time on, ms since the epoch.
    pub fn start_time(mut self, ms: i64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Up to this time (at most 24 h after the start), ms since the epoch.
    pub fn end_time(mut self, ms: i64) -> Self {
        self.end_time = Some(ms);
        self
    }

    /// How many, 1 to 1000 (default 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, a window longer than 24 h or reversed, or a
    /// `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("allOrders");
        check.symbol("symbol", &self.symbol)?;
        check.window(self.start_time, self.end_time, Some(DAY_MS))?;
        check.limit(self.limit, 1000)?;
        Ok(Request::new("allOrders")
            .param("symbol", self.symbol)
            .param_opt("orderId", self.order_id)
            .param_opt("startTime", self.start_time)
            .param_opt("endTime", self.end_time)
            .param_opt("limit", self.limit))
    }
}

/// `openOrders.status`: open orders of one symbol or of all (weight 80). The reply is
/// `Vec<`[`crate::OrderInfo`]`>`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct OpenOrdersRequest {
    symbol: Option<String>,
}

impl OpenOrdersRequest {
    /// Open orders of `symbol`.
    pub fn symbol(symbol: impl Into<String>) -> Self {
        Self {
            symbol: Some(symbol.into()),
        }
    }

    /// Open orders of every symbol.
    pub fn all() -> Self {
        Self::default()
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        if let Some(symbol) = &self.symbol {
            Check("openOrders.status").symbol("symbol", symbol)?;
        }
        Ok(Request::new("openOrders.status").param_opt("symbol", self.symbol))
    }
}

/// `myTrades`: the account's trades in a symbol. The reply is `Vec<`[`AccountTrade`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct MyTradesRequest {
    symbol: String,
    order_id: Option<i64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    from_id: Option<i64>,
    limit: Option<u32>,
}

impl MyTradesRequest {
    /// The latest trades of `symbol`.
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            order_id: None,
            start_time: None,
            end_time: None,
            from_id: None,
            limit: None,
        }
    }

    /// Only trades of this order (not with a time range).
    pub fn order_id(mut self, id: i64) -> Self {
        self.order_id = Some(id);
        self
    }

    /// From this time on, ms since the epoch.
    pub fn start_time(mut self, ms: i64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Up to this time (at most 24 h after the start), ms since the epoch.
    pub fn end_time(mut self, ms: i64) -> Self {
        self.end_time = Some(ms);
        self
    }

    /// From this trade id on (not with a time range).
    pub fn from_id(mut self, id: i64) -> Self {
        self.from_id = Some(id);
        self
    }

    /// How many, 1 to 1000 (default 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, `fromId` or `orderId` with a time, a window
    /// longer than 24 h or reversed, or a `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("myTrades");
        check.symbol("symbol", &self.symbol)?;
        check.ids_without_time(
            self.start_time,
            self.end_time,
            &[
                ("fromId", self.from_id.is_some()),
                ("orderId", self.order_id.is_some()),
            ],
        )?;
        check.window(self.start_time, self.end_time, Some(DAY_MS))?;
        check.limit(self.limit, 1000)?;
        Ok(Request::new("myTrades")
            .param("symbol", self.symbol)
            .param_opt("orderId", self.order_id)
            .param_opt("startTime", self.start_time)
            .param_opt("endTime", self.end_time)
            .param_opt("fromId", self.from_id)
            .param_opt("limit", self.limit))
    }
}

/// One of the account's trades (`myTrades`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountTrade {
    /// Symbol.
    pub symbol: String,
    /// Trade id.
    pub id: i64,
    /// Order id.
    pub order_id: i64,
    /// Order list id (-1 outside lists).
    pub order_list_id: i64,
    /// Price.
    pub price: Decimal,
    /// Base quantity.
    pub qty: Decimal,
    /// Quote quantity.
    pub quote_qty: Decimal,
    /// Commission charged.
    pub commission: Decimal,
    /// Asset of the commission.
    pub commission_asset: String,
    /// Trade time, ms since the epoch.
    pub time: i64,
    /// Whether the account bought.
    pub is_buyer: bool,
    /// Whether the account was the maker.
    pub is_maker: bool,
    /// Whether it was the best price match.
    pub is_best_match: bool,
}

/// `myPreventedMatches`: orders expired by self-trade prevention. The reply is
/// `Vec<`[`PreventedMatch`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct MyPreventedMatchesRequest {
    symbol: String,
    prevented_match_id: Option<i64>,
    order_id: Option<i64>,
    from_prevented_match_id: Option<i64>,
    limit: Option<u32>,
}

impl MyPreventedMatchesRequest {
    /// One prevented match by its id.
    pub fn by_id(symbol: impl Into<String>, prevented_match_id: i64) -> Self {
        Self {
            symbol: symbol.into(),
            prevented_match_id: Some(prevented_match_id),
            order_id: None,
            from_prevented_match_id: None,
            limit: None,
        }
    }

    /// The prevented matches of one order.
    pub fn by_order(symbol: impl Into<String>, order_id: i64) -> Self {
        Self {
            symbol: symbol.into(),
            prevented_match_id: None,
            order_id: Some(order_id),
            from_prevented_match_id: None,
            limit: None,
        }
    }

    /// From this prevented match id on (with [`Self::by_order`] only).
    pub fn from_prevented_match_id(mut self, id: i64) -> Self {
        self.from_prevented_match_id = Some(id);
        self
    }

    /// How many, 1 to 1000 (default 500; with [`Self::by_order`] only).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, paging parameters with a prevented match id, or a
    /// `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("myPreventedMatches");
        check.symbol("symbol", &self.symbol)?;
        if self.prevented_match_id.is_some() {
            if self.from_prevented_match_id.is_some() {
                return Err(check.exclusive("fromPreventedMatchId", "preventedMatchId"));
            }
            if self.limit.is_some() {
                return Err(check.exclusive("limit", "preventedMatchId"));
            }
        }
        check.limit(self.limit, 1000)?;
        Ok(Request::new("myPreventedMatches")
            .param("symbol", self.symbol)
            .param_opt("preventedMatchId", self.prevented_match_id)
            .param_opt("orderId", self.order_id)
            .param_opt("fromPreventedMatchId", self.from_prevented_match_id)
            .param_opt("limit", self.limit))
    }
}

/// One prevented match (`myPreventedMatches`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PreventedMatch {
    /// Symbol.
    pub symbol: String,
    /// Prevented match id.
    pub prevented_match_id: i64,
    /// The taker's order id.
    pub taker_order_id: i64,
    /// The maker's symbol.
    pub maker_symbol: String,
    /// The maker's order id.
    pub maker_order_id: i64,
    /// Trade group id.
    pub trade_group_id: i64,
    /// The mode that prevented the match.
    pub self_trade_prevention_mode: StpMode,
    /// Price.
    pub price: Decimal,
    /// Quantity of the maker that was prevented.
    pub maker_prevented_quantity: Decimal,
    /// When, ms since the epoch.
    pub transact_time: i64,
}

/// `myAllocations`: allocations from smart order routing. The reply is
/// `Vec<`[`Allocation`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct MyAllocationsRequest {
    symbol: String,
    start_time: Option<i64>,
    end_time: Option<i64>,
    from_allocation_id: Option<i64>,
    limit: Option<u32>,
    order_id: Option<i64>,
}

impl MyAllocationsRequest {
    /// The latest allocations of `symbol`.
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            start_time: None,
            end_time: None,
            from_allocation_id: None,
            limit: None,
            order_id: None,
        }
    }

    /// From this time on, ms since the epoch.
    pub fn start_time(mut self, ms: i64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Up to this time (at most 24 h after the start), ms since the epoch.
    pub fn end_time(mut self, ms: i64) -> Self {
        self.end_time = Some(ms);
        self
    }

    /// From this allocation id on (not with a time range).
    pub fn from_allocation_id(mut self, id: i64) -> Self {
        self.from_allocation_id = Some(id);
        self
    }

    /// Only allocations of this order (not with a time range).
    pub fn order_id(mut self, id: i64) -> Self {
        self.order_id = Some(id);
        self
    }

    /// How many, 1 to 1000 (default 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, `fromAllocationId` or `orderId` with a time, a
    /// window longer than 24 h or reversed, or a `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("myAllocations");
        check.symbol("symbol", &self.symbol)?;
        check.ids_without_time(
            self.start_time,
            self.end_time,
            &[
                ("fromAllocationId", self.from_allocation_id.is_some()),
                ("orderId", self.order_id.is_some()),
            ],
        )?;
        check.window(self.start_time, self.end_time, Some(DAY_MS))?;
        check.limit(self.limit, 1000)?;
        Ok(Request::new("myAllocations")
            .param("symbol", self.symbol)
            .param_opt("startTime", self.start_time)
            .param_opt("endTime", self.end_time)
            .param_opt("fromAllocationId", self.from_allocation_id)
            .param_opt("limit", self.limit)
            .param_opt("orderId", self.order_id))
    }
}

/// One allocation (`myAllocations`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Allocation {
    /// Symbol.
    pub symbol: String,
    /// Allocation id.
    pub allocation_id: i64,
    /// Allocation type (`SOR`).
    pub allocation_type: String,
    /// Order id.
    pub order_id: i64,
    /// Order list id (-1 outside lists).
    pub order_list_id: i64,
    /// Price.
    pub price: Decimal,
    /// Base quantity.
    pub qty: Decimal,
    /// Quote quantity.
    pub quote_qty: Decimal,
    /// Commission charged.
    pub commission: Decimal,
    /// Asset of the commission.
    pub commission_asset: String,
    /// When, ms since the epoch.
    pub time: i64,
    /// Whether the account bought.
    pub is_buyer: bool,
    /// Whether the account was the maker.
    pub is_maker: bool,
    /// Whether the account was the allocator.
    pub is_allocator: bool,
}

/// `account.commission`: the account's commission rates for a symbol. The reply is
/// [`AccountCommission`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct AccountCommissionRequest {
    symbol: String,
}

impl AccountCommissionRequest {
    /// Rates for `symbol`.
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
        Check("account.commission").symbol("symbol", &self.symbol)?;
        Ok(Request::new("account.commission").param("symbol", self.symbol))
    }
}

/// The BNB discount of `account.commission`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CommissionDiscount {
    /// Whether the account pays commission in the discount asset.
    pub enabled_for_account: bool,
    /// Whether the discount applies to the symbol.
    pub enabled_for_symbol: bool,
    /// The asset (`BNB`).
    pub discount_asset: String,
    /// The discount rate on standard commission.
    pub discount: Decimal,
}

/// The reply to `account.commission`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AccountCommission {
    /// Symbol.
    pub symbol: String,
    /// Standard rates.
    pub standard_commission: CommissionRates,
    /// Special rates, when the account has them.
    pub special_commission: Option<CommissionRates>,
    /// Tax rates.
    pub tax_commission: CommissionRates,
    /// The discount.
    pub discount: CommissionDiscount,
}

/// `order.amendments`: the amendments of one order. The reply is
/// `Vec<`[`OrderAmendment`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct OrderAmendmentsRequest {
    symbol: String,
    order_id: i64,
    from_execution_id: Option<i64>,
    limit: Option<u32>,
}

impl OrderAmendmentsRequest {
    /// The amendments of `order_id` in `symbol`.
    pub fn new(symbol: impl Into<String>, order_id: i64) -> Self {
        Self {
            symbol: symbol.into(),
            order_id,
            from_execution_id: None,
            limit: None,
        }
    }

    /// From this execution id on.
    pub fn from_execution_id(mut self, id: i64) -> Self {
        self.from_execution_id = Some(id);
        self
    }

    /// How many, 1 to 1000 (default 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol or a `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("order.amendments");
        check.symbol("symbol", &self.symbol)?;
        check.limit(self.limit, 1000)?;
        Ok(Request::new("order.amendments")
            .param("symbol", self.symbol)
            .param("orderId", self.order_id)
            .param_opt("fromExecutionId", self.from_execution_id)
            .param_opt("limit", self.limit))
    }
}

/// One amendment (`order.amendments`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderAmendment {
    /// Symbol.
    pub symbol: String,
    /// Order id.
    pub order_id: i64,
    /// Execution id of the amendment.
    pub execution_id: i64,
    /// Client order id before.
    pub orig_client_order_id: String,
    /// Client order id after.
    pub new_client_order_id: String,
    /// Quantity before.
    pub orig_qty: Decimal,
    /// Quantity after.
    pub new_qty: Decimal,
    /// When, ms since the epoch.
    pub time: i64,
}

/// `myFilters`: every filter that applies to the account on a symbol. The reply is
/// [`MyFilters`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct MyFiltersRequest {
    symbol: String,
}

impl MyFiltersRequest {
    /// Filters for `symbol`.
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
        Check("myFilters").symbol("symbol", &self.symbol)?;
        Ok(Request::new("myFilters").param("symbol", self.symbol))
    }
}

/// The reply to `myFilters`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MyFilters {
    /// Exchange-wide filters.
    #[serde(default)]
    pub exchange_filters: Vec<Filter>,
    /// The symbol's filters.
    #[serde(default)]
    pub symbol_filters: Vec<Filter>,
    /// Asset filters (`MAX_ASSET`).
    #[serde(default)]
    pub asset_filters: Vec<Filter>,
}

/// `allOrderLists`: the account's order lists. The reply is `Vec<`[`OrderList`]`>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct AllOrderListsRequest {
    from_id: Option<i64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    limit: Option<u32>,
}

impl AllOrderListsRequest {
    /// The latest order lists.
    pub fn new() -> Self {
        Self::default()
    }

    /// From this order list id on (a time range takes precedence).
    pub fn from_id(mut self, id: i64) -> Self {
        self.from_id = Some(id);
        self
    }

    /// From this time on, ms since the epoch.
    pub fn start_time(mut self, ms: i64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Up to this time (at most 24 h after the start), ms since the epoch.
    pub fn end_time(mut self, ms: i64) -> Self {
        self.end_time = Some(ms);
        self
    }

    /// How many, 1 to 1000 (default 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for a window longer than 24 h or reversed, or a `limit` outside
    /// 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("allOrderLists");
        check.window(self.start_time, self.end_time, Some(DAY_MS))?;
        check.limit(self.limit, 1000)?;
        Ok(Request::new("allOrderLists")
            .param_opt("fromId", self.from_id)
            .param_opt("startTime", self.start_time)
            .param_opt("endTime", self.end_time)
            .param_opt("limit", self.limit))
    }
}

/// `openOrderLists.status`: the account's open order lists. The reply is
/// `Vec<`[`OrderList`]`>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct OpenOrderListsRequest;

impl OpenOrderListsRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("openOrderLists.status")
    }
}

/// Which order list a query is about: exactly one of `orderListId` or `origClientOrderId`, by
/// construction.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderListRef {
    /// The exchange's order list id.
    Id(i64),
    /// The list's client id (`listClientOrderId`), sent as `origClientOrderId`.
    Client(ClientOrderId),
}

/// `orderList.status`: one order list. The reply is [`OrderList`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct OrderListStatusRequest {
    list: OrderListRef,
}

impl OrderListStatusRequest {
    /// Asks for `list`.
    pub fn new(list: OrderListRef) -> Self {
        Self { list }
    }

    /// The request.
    pub fn into_request(self) -> Request {
        let request = Request::new("orderList.status");
        match self.list {
            OrderListRef::Id(id) => request.param("orderListId", id),
            OrderListRef::Client(id) => request.param("origClientOrderId", id),
        }
    }
}

string_enum! {
    /// Kind of order list.
    ContingencyType {
        /// One-cancels-the-other.
        Oco => "OCO",
        /// One-triggers-the-other (also reported for OTOCO, OPO and OPOCO lists).
        Oto => "OTO",
    }
}

string_enum! {
    /// Status of an order list (`listStatusType`).
    ListStatusType {
        /// The list was placed and is being answered.
        Response => "RESPONSE",
        /// Working, or one of its orders changed.
        ExecStarted => "EXEC_STARTED",
        /// Changed; used for pending orders that became working.
        Updated => "UPDATED",
        /// Done.
        AllDone => "ALL_DONE",
    }
}

string_enum! {
    /// Status of an order list's orders (`listOrderStatus`).
    ListOrderStatus {
        /// Executing.
        Executing => "EXECUTING",
        /// Done.
        AllDone => "ALL_DONE",
        /// Rejected.
        Reject => "REJECT",
    }
}

/// One order of an order list, by id.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderListOrder {
    /// Symbol.
    pub symbol: String,
    /// Order id.
    pub order_id: i64,
    /// Client order id.
    pub client_order_id: String,
}

/// An order list as `orderList.status`, `allOrderLists` and `openOrderLists.status` report it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderList {
    /// Order list id.
    pub order_list_id: i64,
    /// Kind of list.
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
    /// The orders.
    #[serde(default)]
    pub orders: Vec<OrderListOrder>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn combinations_binance_refuses_are_refused_here() {
        let cases: Vec<(Result<Request, ValidationError>, &str, &str)> = vec![
            (
                AllOrdersRequest::new("X")
                    .start_time(0)
                    .end_time(DAY_MS + 1)
                    .into_request(),
                "allOrders",
                "endTime",
            ),
            (
                AllOrdersRequest::new("X").limit(1001).into_request(),
                "allOrders",
                "limit",
            ),
            (
                MyTradesRequest::new("X")
                    .from_id(1)
                    .start_time(1)
                    .into_request(),
                "myTrades",
                "fromId",
            ),
            (
                MyTradesRequest::new("X")
                    .order_id(1)
                    .end_time(1)
                    .into_request(),
                "myTrades",
                "orderId",
            ),
            (
                MyPreventedMatchesRequest::by_id("X", 1)
                    .from_prevented_match_id(2)
                    .into_request(),
                "myPreventedMatches",
                "fromPreventedMatchId",
            ),
            (
                MyAllocationsRequest::new("X")
                    .order_id(1)
                    .start_time(1)
                    .into_request(),
                "myAllocations",
                "orderId",
            ),
            (
                OrderAmendmentsRequest::new("X", 1).limit(0).into_request(),
                "order.amendments",
                "limit",
            ),
            (
                AllOrderListsRequest::new()
                    .start_time(2)
                    .end_time(1)
                    .into_request(),
                "allOrderLists",
                "startTime",
            ),
            (
                OpenOrdersRequest::symbol("").into_request(),
                "openOrders.status",
                "symbol",
            ),
            (
                MyFiltersRequest::new("").into_request(),
                "myFilters",
                "symbol",
            ),
        ];
        for (result, method, param) in cases {
            let err = result.unwrap_err();
            assert_eq!((err.method, err.param), (method, param), "{err}");
        }
        assert!(MyTradesRequest::new("X")
            .order_id(1)
            .from_id(2)
            .into_request()
            .is_ok());
        assert!(MyPreventedMatchesRequest::by_order("X", 1)
            .from_prevented_match_id(2)
            .limit(10)
            .into_request()
            .is_ok());
        let by_id = OrderListStatusRequest::new(OrderListRef::Id(7)).into_request();
        assert!(by_id.params().contains("orderListId"));
    }
}
