//! General methods: `ping`, `time` and `exchangeInfo`, with the exchange's filters typed.

use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

use super::{Check, SymbolStatus};
use crate::orders::ValidationError;
use crate::rate_limit::RateLimit;
use crate::request::Request;
use crate::types::{OrderType, StpMode};

/// `ping`: checks the connection. The reply is [`super::Empty`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct PingRequest;

impl PingRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("ping")
    }
}

/// `time`: the server's clock. The reply is [`ServerTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct TimeRequest;

impl TimeRequest {
    /// The request builder (it has no parameters).
    pub const fn new() -> Self {
        Self
    }

    /// The request.
    pub fn into_request(self) -> Request {
        Request::new("time")
    }
}

/// The reply to `time`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ServerTime {
    /// The server's clock, ms since the epoch (µs with `timeUnit=MICROSECOND`).
    pub server_time: i64,
}

const EXCHANGE_INFO: &str = "exchangeInfo";

/// `exchangeInfo`: trading rules, rate limits and symbols. The reply is [`ExchangeInfo`].
///
/// At most one of `symbol`, `symbols` and `permissions`; `symbolStatus` not with `symbol` or
/// `symbols`. Breaking these rules is refused by [`Self::into_request`].
///
/// ```
/// use binance_wsapi_proto::api::general::ExchangeInfoRequest;
///
/// let request = ExchangeInfoRequest::new().symbols(["BNBBTC"]).into_request().unwrap();
/// assert_eq!(request.method(), "exchangeInfo");
/// let err = ExchangeInfoRequest::new().symbol("BNBBTC").permissions(["SPOT"]).into_request().unwrap_err();
/// assert_eq!(err.param, "permissions");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct ExchangeInfoRequest {
    symbol: Option<String>,
    symbols: Option<Vec<String>>,
    permissions: Option<Vec<String>>,
    show_permission_sets: Option<bool>,
    symbol_status: Option<SymbolStatus>,
}

impl ExchangeInfoRequest {
    /// Every symbol with SPOT, MARGIN or LEVERAGED permission (the server's default).
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this symbol.
    pub fn symbol(mut self, symbol: impl Into<String>) -> Self {
        self.symbol = Some(symbol.into());
        self
    }

    /// Only these symbols.
    pub fn symbols<S: Into<String>>(mut self, symbols: impl IntoIterator<Item = S>) -> Self {
        self.symbols = Some(symbols.into_iter().map(Into::into).collect());
        self
    }

    /// Only symbols with these permissions (`SPOT`, `MARGIN`, `TRD_GRP_004`, ...).
    pub fn permissions<S: Into<String>>(
        mut self,
        permissions: impl IntoIterator<Item = S>,
    ) -> Self {
        self.permissions = Some(permissions.into_iter().map(Into::into).collect());
        self
    }

    /// Whether `permissionSets` is filled in (default `true`).
    pub fn show_permission_sets(mut self, show: bool) -> Self {
        self.show_permission_sets = Some(show);
        self
    }

    /// Only symbols with this status (`TRADING`, `HALT` or `BREAK`).
    pub fn symbol_status(mut self, status: SymbolStatus) -> Self {
        self.symbol_status = Some(status);
        self
    }

    /// Checks the combination and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol or list, two of `symbol`/`symbols`/`permissions`,
    /// or `symbolStatus` with `symbol`/`symbols`.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check(EXCHANGE_INFO);
        if let Some(symbol) = &self.symbol {
            check.symbol("symbol", symbol)?;
        }
        if let Some(symbols) = &self.symbols {
            if self.symbol.is_some() {
                return Err(check.exclusive("symbols", "symbol"));
            }
            check.symbols("symbols", symbols, usize::MAX)?;
        }
        if let Some(permissions) = &self.permissions {
            if self.symbol.is_some() {
                return Err(check.exclusive("permissions", "symbol"));
            }
            if self.symbols.is_some() {
                return Err(check.exclusive("permissions", "symbols"));
            }
            if permissions.is_empty() || permissions.iter().any(String::is_empty) {
                return Err(check.invalid("permissions", "must name at least one permission"));
            }
        }
        if self.symbol_status.is_some() {
            if self.symbol.is_some() {
                return Err(check.exclusive("symbolStatus", "symbol"));
            }
            if self.symbols.is_some() {
                return Err(check.exclusive("symbolStatus", "symbols"));
            }
        }
        check.symbol_status(self.symbol_status.as_ref())?;
        Ok(Request::new(EXCHANGE_INFO)
            .param_opt("symbol", self.symbol)
            .param_opt("symbols", self.symbols)
            .param_opt("permissions", self.permissions)
            .param_opt("showPermissionSets", self.show_permission_sets)
            .param_opt("symbolStatus", self.symbol_status))
    }
}

/// `executionRules`: the execution rules (price ranges) of one symbol, some symbols, or all
/// symbols with a status. The reply is [`ExecutionRules`].
///
/// At most one of `symbol`, `symbols` and `symbolStatus`. `symbols` is sent as a JSON array, as
/// for every other multi-symbol method (the docs type it as STRING).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
#[non_exhaustive]
pub struct ExecutionRulesRequest {
    symbol: Option<String>,
    symbols: Option<Vec<String>>,
    symbol_status: Option<SymbolStatus>,
}

impl ExecutionRulesRequest {
    /// Every symbol (weight 40).
    pub fn new() -> Self {
        Self::default()
    }

    /// Only this symbol.
    pub fn symbol(mut self, symbol: impl Into<String>) -> Self {
        self.symbol = Some(symbol.into());
        self
    }

    /// Only these symbols.
    pub fn symbols<S: Into<String>>(mut self, symbols: impl IntoIterator<Item = S>) -> Self {
        self.symbols = Some(symbols.into_iter().map(Into::into).collect());
        self
    }

    /// Only symbols with this status (`TRADING`, `HALT` or `BREAK`).
    pub fn symbol_status(mut self, status: SymbolStatus) -> Self {
        self.symbol_status = Some(status);
        self
    }

    /// Checks the combination and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol or list, or more than one of `symbol`, `symbols`
    /// and `symbolStatus`.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("executionRules");
        if let Some(symbol) = &self.symbol {
            check.symbol("symbol", symbol)?;
        }
        if let Some(symbols) = &self.symbols {
            if self.symbol.is_some() {
                return Err(check.exclusive("symbols", "symbol"));
            }
            check.symbols("symbols", symbols, usize::MAX)?;
        }
        if self.symbol_status.is_some() {
            if self.symbol.is_some() {
                return Err(check.exclusive("symbolStatus", "symbol"));
            }
            if self.symbols.is_some() {
                return Err(check.exclusive("symbolStatus", "symbols"));
            }
        }
        check.symbol_status(self.symbol_status.as_ref())?;
        Ok(Request::new("executionRules")
            .param_opt("symbol", self.symbol)
            .param_opt("symbols", self.symbols)
            .param_opt("symbolStatus", self.symbol_status))
    }
}

/// The reply to `executionRules`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExecutionRules {
    /// The rules, per symbol.
    #[serde(default)]
    pub symbol_rules: Vec<SymbolRules>,
}

/// The execution rules of one symbol.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[non_exhaustive]
pub struct SymbolRules {
    /// Symbol.
    pub symbol: String,
    /// Its rules.
    #[serde(default)]
    pub rules: Vec<ExecutionRule>,
}

/// `PRICE_RANGE`: limit prices must lie within multiples of the reference price, per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PriceRange {
    /// Highest BUY price as a multiple of the reference price.
    pub bid_limit_mult_up: Decimal,
    /// Lowest BUY price as a multiple of the reference price.
    pub bid_limit_mult_down: Decimal,
    /// Highest SELL price as a multiple of the reference price.
    pub ask_limit_mult_up: Decimal,
    /// Lowest SELL price as a multiple of the reference price.
    pub ask_limit_mult_down: Decimal,
}

/// One execution rule, typed by its `ruleType`; other types are kept as JSON.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ExecutionRule {
    /// `PRICE_RANGE`.
    PriceRange(PriceRange),
    /// A rule this version does not know (or of an unexpected shape), as received.
    Other(serde_json::Value),
}

impl<'de> Deserialize<'de> for ExecutionRule {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        let typed = match value.get("ruleType").and_then(serde_json::Value::as_str) {
            Some("PRICE_RANGE") => PriceRange::deserialize(&value).ok().map(Self::PriceRange),
            _ => None,
        };
        Ok(typed.unwrap_or(Self::Other(value)))
    }
}

/// The reply to `exchangeInfo`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ExchangeInfo {
    /// The server's time zone (`UTC`).
    pub timezone: String,
    /// The server's clock, ms since the epoch.
    pub server_time: i64,
    /// The request and order limits (without counts).
    #[serde(default)]
    pub rate_limits: Vec<RateLimit>,
    /// Filters for the whole exchange.
    #[serde(default)]
    pub exchange_filters: Vec<Filter>,
    /// The symbols asked for.
    #[serde(default)]
    pub symbols: Vec<SymbolInfo>,
    /// Smart order routing: which symbols route together.
    #[serde(default)]
    pub sors: Vec<SorInfo>,
}

impl ExchangeInfo {
    /// The entry of `symbol`, if the reply has it.
    pub fn symbol(&self, symbol: &str) -> Option<&SymbolInfo> {
        self.symbols.iter().find(|s| s.symbol == symbol)
    }
}

/// One symbol of `exchangeInfo`: assets, precisions, what is allowed and its filters.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SymbolInfo {
    /// Symbol.
    pub symbol: String,
    /// Trading status.
    pub status: SymbolStatus,
    /// Base asset.
    pub base_asset: String,
    /// Decimals of the base asset.
    pub base_asset_precision: u32,
    /// Quote asset.
    pub quote_asset: String,
    /// Decimals of the quote asset (older name of `quoteAssetPrecision`).
    pub quote_precision: Option<u32>,
    /// Decimals of the quote asset.
    pub quote_asset_precision: Option<u32>,
    /// Decimals of commissions in the base asset.
    pub base_commission_precision: Option<u32>,
    /// Decimals of commissions in the quote asset.
    pub quote_commission_precision: Option<u32>,
    /// Order types the symbol accepts.
    #[serde(default)]
    pub order_types: Vec<OrderType>,
    /// Iceberg orders allowed.
    #[serde(default)]
    pub iceberg_allowed: bool,
    /// OCO lists allowed.
    #[serde(default)]
    pub oco_allowed: bool,
    /// OTO lists allowed.
    #[serde(default)]
    pub oto_allowed: bool,
    /// OPO lists allowed.
    #[serde(default)]
    pub opo_allowed: bool,
    /// MARKET orders by quote quantity allowed.
    #[serde(default)]
    pub quote_order_qty_market_allowed: bool,
    /// Trailing stops allowed.
    #[serde(default)]
    pub allow_trailing_stop: bool,
    /// `order.cancelReplace` allowed.
    #[serde(default)]
    pub cancel_replace_allowed: bool,
    /// `order.amend.keepPriority` allowed.
    #[serde(default)]
    pub amend_allowed: bool,
    /// Pegged orders allowed.
    #[serde(default)]
    pub peg_instructions_allowed: bool,
    /// Spot trading allowed.
    #[serde(default)]
    pub is_spot_trading_allowed: bool,
    /// Margin trading allowed.
    #[serde(default)]
    pub is_margin_trading_allowed: bool,
    /// The symbol's filters.
    #[serde(default)]
    pub filters: Vec<Filter>,
    /// Permissions (left empty since 2024; see `permission_sets`).
    #[serde(default)]
    pub permissions: Vec<String>,
    /// Permission sets: an account may trade if it has every permission of at least one set.
    #[serde(default)]
    pub permission_sets: Vec<Vec<String>>,
    /// Self-trade prevention mode used when an order names none.
    pub default_self_trade_prevention_mode: Option<StpMode>,
    /// Self-trade prevention modes the symbol accepts.
    #[serde(default)]
    pub allowed_self_trade_prevention_modes: Vec<StpMode>,
}

impl SymbolInfo {
    /// The `PRICE_FILTER` of the symbol, if it has one.
    pub fn price_filter(&self) -> Option<&PriceFilter> {
        self.filters.iter().find_map(|f| match f {
            Filter::PriceFilter(p) => Some(p),
            _ => None,
        })
    }

    /// The `LOT_SIZE` filter of the symbol, if it has one.
    pub fn lot_size(&self) -> Option<&LotSize> {
        self.filters.iter().find_map(|f| match f {
            Filter::LotSize(l) => Some(l),
            _ => None,
        })
    }
}

/// One `sors` entry of `exchangeInfo`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SorInfo {
    /// The base asset the symbols share.
    pub base_asset: String,
    /// The symbols orders are routed across.
    pub symbols: Vec<String>,
}

/// `PRICE_FILTER`: price bounds and tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PriceFilter {
    /// Lowest price (0: no bound).
    pub min_price: Decimal,
    /// Highest price (0: no bound).
    pub max_price: Decimal,
    /// Prices must be multiples of this (0: no rule).
    pub tick_size: Decimal,
}

/// `PERCENT_PRICE`: price bounds relative to the average price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PercentPrice {
    /// Highest price as a multiple of the average.
    pub multiplier_up: Decimal,
    /// Lowest price as a multiple of the average.
    pub multiplier_down: Decimal,
    /// Minutes the average is taken over (0: last price).
    pub avg_price_mins: u32,
}

/// `PERCENT_PRICE_BY_SIDE`: price bounds relative to the average price, per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PercentPriceBySide {
    /// Highest BUY price as a multiple of the average.
    pub bid_multiplier_up: Decimal,
    /// Lowest BUY price as a multiple of the average.
    pub bid_multiplier_down: Decimal,
    /// Highest SELL price as a multiple of the average.
    pub ask_multiplier_up: Decimal,
    /// Lowest SELL price as a multiple of the average.
    pub ask_multiplier_down: Decimal,
    /// Minutes the average is taken over (0: last price).
    pub avg_price_mins: u32,
}

/// `LOT_SIZE` and `MARKET_LOT_SIZE`: quantity bounds and step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct LotSize {
    /// Lowest quantity.
    pub min_qty: Decimal,
    /// Highest quantity.
    pub max_qty: Decimal,
    /// Quantities must be multiples of this (0: no rule).
    pub step_size: Decimal,
}

/// `MIN_NOTIONAL`: lowest order value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MinNotional {
    /// Lowest `price * quantity`.
    pub min_notional: Decimal,
    /// Whether MARKET orders are checked too.
    pub apply_to_market: bool,
    /// Minutes of average price used for MARKET orders (0: last price).
    pub avg_price_mins: u32,
}

/// `NOTIONAL`: order value bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Notional {
    /// Lowest `price * quantity`.
    pub min_notional: Decimal,
    /// Whether MARKET orders are checked against the minimum.
    pub apply_min_to_market: bool,
    /// Highest `price * quantity`.
    pub max_notional: Decimal,
    /// Whether MARKET orders are checked against the maximum.
    pub apply_max_to_market: bool,
    /// Minutes of average price used for MARKET orders (0: last price).
    pub avg_price_mins: u32,
}

/// `TRAILING_DELTA`: bounds of `trailingDelta`, in basis points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TrailingDeltaFilter {
    /// Lowest delta of orders that trigger above the market.
    pub min_trailing_above_delta: u32,
    /// Highest delta of orders that trigger above the market.
    pub max_trailing_above_delta: u32,
    /// Lowest delta of orders that trigger below the market.
    pub min_trailing_below_delta: u32,
    /// Highest delta of orders that trigger below the market.
    pub max_trailing_below_delta: u32,
}

/// `MAX_ASSET` (from `myFilters`): the most of an asset an order may buy or sell.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MaxAsset {
    /// The asset.
    pub asset: String,
    /// The cap.
    pub limit: Decimal,
}

/// One filter of `exchangeInfo` or `myFilters`, typed by its `filterType`. A type this version
/// does not know (or a known type of an unexpected shape) is kept as JSON in [`Filter::Other`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Filter {
    /// `PRICE_FILTER`.
    PriceFilter(PriceFilter),
    /// `PERCENT_PRICE`.
    PercentPrice(PercentPrice),
    /// `PERCENT_PRICE_BY_SIDE`.
    PercentPriceBySide(PercentPriceBySide),
    /// `LOT_SIZE`.
    LotSize(LotSize),
    /// `MARKET_LOT_SIZE`.
    MarketLotSize(LotSize),
    /// `MIN_NOTIONAL`.
    MinNotional(MinNotional),
    /// `NOTIONAL`.
    Notional(Notional),
    /// `ICEBERG_PARTS`: the most parts an iceberg order may have.
    IcebergParts(u32),
    /// `MAX_NUM_ORDERS`: the most open orders on the symbol.
    MaxNumOrders(u32),
    /// `MAX_NUM_ALGO_ORDERS`: the most open stop and take-profit orders on the symbol.
    MaxNumAlgoOrders(u32),
    /// `MAX_NUM_ICEBERG_ORDERS`: the most open iceberg orders on the symbol.
    MaxNumIcebergOrders(u32),
    /// `MAX_NUM_ORDER_LISTS`: the most open order lists on the symbol.
    MaxNumOrderLists(u32),
    /// `MAX_NUM_ORDER_AMENDS`: the most amendments of one order.
    MaxNumOrderAmends(u32),
    /// `MAX_POSITION`: the largest position (base asset balance plus open BUY orders).
    MaxPosition(Decimal),
    /// `TRAILING_DELTA`.
    TrailingDelta(TrailingDeltaFilter),
    /// `EXCHANGE_MAX_NUM_ORDERS`: the most open orders on the account.
    ExchangeMaxNumOrders(u32),
    /// `EXCHANGE_MAX_NUM_ALGO_ORDERS`: the most open stop and take-profit orders on the account.
    ExchangeMaxNumAlgoOrders(u32),
    /// `EXCHANGE_MAX_NUM_ICEBERG_ORDERS`: the most open iceberg orders on the account.
    ExchangeMaxNumIcebergOrders(u32),
    /// `EXCHANGE_MAX_NUM_ORDER_LISTS`: the most open order lists on the account.
    ExchangeMaxNumOrderLists(u32),
    /// `MAX_ASSET`.
    MaxAsset(MaxAsset),
    /// A filter this version does not know, as received.
    Other(serde_json::Value),
}

impl Filter {
    /// The `filterType` as Binance writes it (`None` for an [`Filter::Other`] without one).
    pub fn filter_type(&self) -> Option<&str> {
        Some(match self {
            Self::PriceFilter(_) => "PRICE_FILTER",
            Self::PercentPrice(_) => "PERCENT_PRICE",
            Self::PercentPriceBySide(_) => "PERCENT_PRICE_BY_SIDE",
            Self::LotSize(_) => "LOT_SIZE",
            Self::MarketLotSize(_) => "MARKET_LOT_SIZE",
            Self::MinNotional(_) => "MIN_NOTIONAL",
            Self::Notional(_) => "NOTIONAL",
            Self::IcebergParts(_) => "ICEBERG_PARTS",
            Self::MaxNumOrders(_) => "MAX_NUM_ORDERS",
            Self::MaxNumAlgoOrders(_) => "MAX_NUM_ALGO_ORDERS",
            Self::MaxNumIcebergOrders(_) => "MAX_NUM_ICEBERG_ORDERS",
            Self::MaxNumOrderLists(_) => "MAX_NUM_ORDER_LISTS",
            Self::MaxNumOrderAmends(_) => "MAX_NUM_ORDER_AMENDS",
            Self::MaxPosition(_) => "MAX_POSITION",
            Self::TrailingDelta(_) => "TRAILING_DELTA",
            Self::ExchangeMaxNumOrders(_) => "EXCHANGE_MAX_NUM_ORDERS",
            Self::ExchangeMaxNumAlgoOrders(_) => "EXCHANGE_MAX_NUM_ALGO_ORDERS",
            Self::ExchangeMaxNumIcebergOrders(_) => "EXCHANGE_MAX_NUM_ICEBERG_ORDERS",
            Self::ExchangeMaxNumOrderLists(_) => "EXCHANGE_MAX_NUM_ORDER_LISTS",
            Self::MaxAsset(_) => "MAX_ASSET",
            Self::Other(v) => return v.get("filterType").and_then(serde_json::Value::as_str),
        })
    }

    fn from_value(value: serde_json::Value) -> Self {
        fn field<T: for<'de> Deserialize<'de>>(v: &serde_json::Value, key: &str) -> Option<T> {
            v.get(key).and_then(|x| T::deserialize(x).ok())
        }
        fn whole<T: for<'de> Deserialize<'de>>(v: &serde_json::Value) -> Option<T> {
            T::deserialize(v).ok()
        }
        let kind = value
            .get("filterType")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default();
        let v = &value;
        let typed = match kind {
            "PRICE_FILTER" => whole(v).map(Self::PriceFilter),
            "PERCENT_PRICE" => whole(v).map(Self::PercentPrice),
            "PERCENT_PRICE_BY_SIDE" => whole(v).map(Self::PercentPriceBySide),
            "LOT_SIZE" => whole(v).map(Self::LotSize),
            "MARKET_LOT_SIZE" => whole(v).map(Self::MarketLotSize),
            "MIN_NOTIONAL" => whole(v).map(Self::MinNotional),
            "NOTIONAL" => whole(v).map(Self::Notional),
            "ICEBERG_PARTS" => field(v, "limit").map(Self::IcebergParts),
            "MAX_NUM_ORDERS" => field(v, "maxNumOrders").map(Self::MaxNumOrders),
            "MAX_NUM_ALGO_ORDERS" => field(v, "maxNumAlgoOrders").map(Self::MaxNumAlgoOrders),
            "MAX_NUM_ICEBERG_ORDERS" => {
                field(v, "maxNumIcebergOrders").map(Self::MaxNumIcebergOrders)
            }
            "MAX_NUM_ORDER_LISTS" => field(v, "maxNumOrderLists").map(Self::MaxNumOrderLists),
            "MAX_NUM_ORDER_AMENDS" => field(v, "maxNumOrderAmends").map(Self::MaxNumOrderAmends),
            "MAX_POSITION" => field(v, "maxPosition").map(Self::MaxPosition),
            "TRAILING_DELTA" => whole(v).map(Self::TrailingDelta),
            "EXCHANGE_MAX_NUM_ORDERS" => field(v, "maxNumOrders").map(Self::ExchangeMaxNumOrders),
            "EXCHANGE_MAX_NUM_ALGO_ORDERS" => {
                field(v, "maxNumAlgoOrders").map(Self::ExchangeMaxNumAlgoOrders)
            }
            "EXCHANGE_MAX_NUM_ICEBERG_ORDERS" => {
                field(v, "maxNumIcebergOrders").map(Self::ExchangeMaxNumIcebergOrders)
            }
            "EXCHANGE_MAX_NUM_ORDER_LISTS" => {
                field(v, "maxNumOrderLists").map(Self::ExchangeMaxNumOrderLists)
            }
            "MAX_ASSET" => whole(v).map(Self::MaxAsset),
            _ => None,
        };
        typed.unwrap_or(Self::Other(value))
    }
}

impl<'de> Deserialize<'de> for Filter {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(Self::from_value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_info_refuses_conflicting_selectors() {
        let cases: [(ExchangeInfoRequest, &str); 6] = [
            (
                ExchangeInfoRequest::new().symbol("A").symbols(["B"]),
                "symbols",
            ),
            (
                ExchangeInfoRequest::new()
                    .symbols(["B"])
                    .permissions(["SPOT"]),
                "permissions",
            ),
            (
                ExchangeInfoRequest::new()
                    .symbol("A")
                    .symbol_status(SymbolStatus::Trading),
                "symbolStatus",
            ),
            (
                ExchangeInfoRequest::new().symbols(Vec::<String>::new()),
                "symbols",
            ),
            (ExchangeInfoRequest::new().symbol(""), "symbol"),
            (
                ExchangeInfoRequest::new().symbol_status(SymbolStatus::EndOfDay),
                "symbolStatus",
            ),
        ];
        for (request, param) in cases {
            let err = request.clone().into_request().unwrap_err();
            assert_eq!(
                (err.method, err.param),
                ("exchangeInfo", param),
                "{request:?}"
            );
        }
        let ok = ExchangeInfoRequest::new()
            .permissions(["SPOT", "MARGIN"])
            .show_permission_sets(false)
            .symbol_status(SymbolStatus::Halt)
            .into_request()
            .unwrap();
        assert_eq!(ok.params().len(), 3);
    }

    #[test]
    fn execution_rules_take_one_selector_and_keep_unknown_rules() {
        let err = ExecutionRulesRequest::new()
            .symbols(["A"])
            .symbol_status(SymbolStatus::Trading)
            .into_request()
            .unwrap_err();
        assert_eq!((err.method, err.param), ("executionRules", "symbolStatus"));
        assert!(ExecutionRulesRequest::new()
            .into_request()
            .unwrap()
            .params()
            .is_empty());
        let rule: ExecutionRule = serde_json::from_str(r#"{"ruleType":"NEW_RULE"}"#).unwrap();
        assert!(matches!(rule, ExecutionRule::Other(_)));
    }

    #[test]
    fn unknown_and_misshapen_filters_are_kept() {
        let f: Filter = serde_json::from_str(r#"{"filterType":"NEW_ONE","x":1}"#).unwrap();
        assert_eq!(f.filter_type(), Some("NEW_ONE"));
        assert!(matches!(f, Filter::Other(_)));
        let f: Filter = serde_json::from_str(r#"{"filterType":"LOT_SIZE","minQty":"x"}"#).unwrap();
        assert!(matches!(f, Filter::Other(_)));
        let f: Filter =
            serde_json::from_str(r#"{"filterType":"ICEBERG_PARTS","limit":10,"extra":true}"#)
                .unwrap();
        assert_eq!(f, Filter::IcebergParts(10));
    }
}
