//! Market data: order book, trades, klines, average price, tickers and reference prices.
//! None of these are signed.

use std::fmt;

use rust_decimal::Decimal;
use serde::de::{self, IgnoredAny, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{Check, SymbolStatus};
use crate::orders::ValidationError;
use crate::params::ParamValue;
use crate::request::Request;
use crate::types::string_enum;

/// `depth`: the order book. The reply is [`OrderBook`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct DepthRequest {
    symbol: String,
    limit: Option<u32>,
    symbol_status: Option<SymbolStatus>,
}

impl DepthRequest {
    /// The book of `symbol` (100 levels a side unless [`Self::limit`] says otherwise).
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            limit: None,
            symbol_status: None,
        }
    }

    /// Levels per side, 1 to 5000 (the weight grows with it).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Refuse (`-1220`) unless the symbol has this status.
    pub fn symbol_status(mut self, status: SymbolStatus) -> Self {
        self.symbol_status = Some(status);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, a `limit` outside 1..=5000 or a `symbolStatus`
    /// the filter does not accept.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("depth");
        check.symbol("symbol", &self.symbol)?;
        check.limit(self.limit, 5000)?;
        check.symbol_status(self.symbol_status.as_ref())?;
        Ok(Request::new("depth")
            .param("symbol", self.symbol)
            .param_opt("limit", self.limit)
            .param_opt("symbolStatus", self.symbol_status))
    }
}

/// One price level of the book: `[price, quantity]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(from = "(Decimal, Decimal)")]
#[non_exhaustive]
pub struct PriceLevel {
    /// Price.
    pub price: Decimal,
    /// Quantity at that price.
    pub qty: Decimal,
}

impl From<(Decimal, Decimal)> for PriceLevel {
    fn from((price, qty): (Decimal, Decimal)) -> Self {
        Self { price, qty }
    }
}

/// The reply to `depth`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrderBook {
    /// The book's update id.
    pub last_update_id: i64,
    /// Bids, best first.
    pub bids: Vec<PriceLevel>,
    /// Asks, best first.
    pub asks: Vec<PriceLevel>,
}

/// `trades.recent` or `trades.historical`: recent trades, or trades from an id on (reply
/// `Vec<`[`Trade`]`>`); or `blockTrades.historical` (reply `Vec<`[`BlockTrade`]`>`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct TradesRequest {
    method: &'static str,
    symbol: String,
    from_id: Option<i64>,
    limit: Option<u32>,
}

impl TradesRequest {
    /// `trades.recent`: the latest trades of `symbol`.
    pub fn recent(symbol: impl Into<String>) -> Self {
        Self {
            method: "trades.recent",
            symbol: symbol.into(),
            from_id: None,
            limit: None,
        }
    }

    /// `trades.historical`: trades of `symbol` from trade id `from_id` on.
    pub fn historical(symbol: impl Into<String>, from_id: i64) -> Self {
        Self {
            method: "trades.historical",
            symbol: symbol.into(),
            from_id: Some(from_id),
            limit: None,
        }
    }

    /// `blockTrades.historical`: block trades of `symbol` from block trade id `from_id` on. The
    /// reply is `Vec<`[`BlockTrade`]`>`.
    pub fn block_trades(symbol: impl Into<String>, from_id: i64) -> Self {
        Self {
            method: "blockTrades.historical",
            symbol: symbol.into(),
            from_id: Some(from_id),
            limit: None,
        }
    }

    /// How many trades, 1 to 1000 (default 500).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = Some(limit);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol, a negative `fromId` or a `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check(self.method);
        check.symbol("symbol", &self.symbol)?;
        if self.from_id.is_some_and(|id| id < 0) {
            return Err(check.invalid("fromId", "must not be negative"));
        }
        check.limit(self.limit, 1000)?;
        Ok(Request::new(self.method)
            .param("symbol", self.symbol)
            .param_opt("fromId", self.from_id)
            .param_opt("limit", self.limit))
    }
}

/// One trade of `trades.recent` / `trades.historical`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Trade {
    /// Trade id.
    pub id: i64,
    /// Price.
    pub price: Decimal,
    /// Base quantity.
    pub qty: Decimal,
    /// Quote quantity.
    pub quote_qty: Decimal,
    /// Trade time, ms since the epoch.
    pub time: i64,
    /// Whether the buyer was the maker.
    pub is_buyer_maker: bool,
    /// Whether it was the best price match.
    pub is_best_match: bool,
}

/// One block trade of `blockTrades.historical`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BlockTrade {
    /// Block trade id.
    pub id: i64,
    /// Price.
    pub price: Decimal,
    /// Base quantity.
    pub qty: Decimal,
    /// Quote quantity.
    pub quote_qty: Decimal,
    /// Trade time, ms since the epoch.
    pub time: i64,
    /// Whether the buyer was the maker.
    pub is_buyer_maker: bool,
}

/// `trades.aggregate`: trades merged by price, taker and time. The reply is
/// `Vec<`[`AggTrade`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct AggTradesRequest {
    symbol: String,
    from_id: Option<i64>,
    start_time: Option<i64>,
    end_time: Option<i64>,
    limit: Option<u32>,
}

impl AggTradesRequest {
    /// The latest aggregate trades of `symbol`.
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            from_id: None,
            start_time: None,
            end_time: None,
            limit: None,
        }
    }

    /// From this aggregate trade id on (not with a time range).
    pub fn from_id(mut self, id: i64) -> Self {
        self.from_id = Some(id);
        self
    }

    /// From this time on, ms since the epoch.
    pub fn start_time(mut self, ms: i64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Up to this time, ms since the epoch.
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
    /// [`ValidationError`] for an empty symbol, `fromId` with a time, a start after the end or a
    /// `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("trades.aggregate");
        check.symbol("symbol", &self.symbol)?;
        if self.from_id.is_some() {
            if self.start_time.is_some() {
                return Err(check.exclusive("fromId", "startTime"));
            }
            if self.end_time.is_some() {
                return Err(check.exclusive("fromId", "endTime"));
            }
        }
        check.window(self.start_time, self.end_time, None)?;
        check.limit(self.limit, 1000)?;
        Ok(Request::new("trades.aggregate")
            .param("symbol", self.symbol)
            .param_opt("fromId", self.from_id)
            .param_opt("startTime", self.start_time)
            .param_opt("endTime", self.end_time)
            .param_opt("limit", self.limit))
    }
}

/// One aggregate trade (Binance's one-letter keys, case-sensitive: `m` and `M` differ).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AggTrade {
    /// Aggregate trade id (`a`).
    #[serde(rename = "a")]
    pub id: i64,
    /// Price (`p`).
    #[serde(rename = "p")]
    pub price: Decimal,
    /// Quantity (`q`).
    #[serde(rename = "q")]
    pub qty: Decimal,
    /// First trade id (`f`).
    #[serde(rename = "f")]
    pub first_trade_id: i64,
    /// Last trade id (`l`).
    #[serde(rename = "l")]
    pub last_trade_id: i64,
    /// Time, ms since the epoch (`T`).
    #[serde(rename = "T")]
    pub time: i64,
    /// Whether the buyer was the maker (`m`).
    #[serde(rename = "m")]
    pub is_buyer_maker: bool,
    /// Whether it was the best price match (`M`).
    #[serde(rename = "M")]
    pub is_best_match: bool,
}

string_enum! {
    /// Kline (candlestick) length.
    KlineInterval {
        /// 1 second.
        Seconds1 => "1s",
        /// 1 minute.
        Minutes1 => "1m",
        /// 3 minutes.
        Minutes3 => "3m",
        /// 5 minutes.
        Minutes5 => "5m",
        /// 15 minutes.
        Minutes15 => "15m",
        /// 30 minutes.
        Minutes30 => "30m",
        /// 1 hour.
        Hours1 => "1h",
        /// 2 hours.
        Hours2 => "2h",
        /// 4 hours.
        Hours4 => "4h",
        /// 6 hours.
        Hours6 => "6h",
        /// 8 hours.
        Hours8 => "8h",
        /// 12 hours.
        Hours12 => "12h",
        /// 1 day.
        Days1 => "1d",
        /// 3 days.
        Days3 => "3d",
        /// 1 week.
        Weeks1 => "1w",
        /// 1 month.
        Months1 => "1M",
    }
}

/// `klines` or `uiKlines`: candlesticks. The reply is `Vec<`[`Kline`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct KlinesRequest {
    method: &'static str,
    symbol: String,
    interval: KlineInterval,
    start_time: Option<i64>,
    end_time: Option<i64>,
    time_zone: Option<String>,
    limit: Option<u32>,
}

impl KlinesRequest {
    /// `klines`.
    pub fn klines(symbol: impl Into<String>, interval: KlineInterval) -> Self {
        Self::with_method("klines", symbol.into(), interval)
    }

    /// `uiKlines`: klines adjusted for presentation.
    pub fn ui_klines(symbol: impl Into<String>, interval: KlineInterval) -> Self {
        Self::with_method("uiKlines", symbol.into(), interval)
    }

    fn with_method(method: &'static str, symbol: String, interval: KlineInterval) -> Self {
        Self {
            method,
            symbol,
            interval,
            start_time: None,
            end_time: None,
            time_zone: None,
            limit: None,
        }
    }

    /// From this time on, ms since the epoch.
    pub fn start_time(mut self, ms: i64) -> Self {
        self.start_time = Some(ms);
        self
    }

    /// Up to this time, ms since the epoch.
    pub fn end_time(mut self, ms: i64) -> Self {
        self.end_time = Some(ms);
        self
    }

    /// Time zone the intervals are aligned to: `hours[:minutes]` such as `-1:00` or `05:45`,
    /// from -12:00 to +14:00 (default `0`, UTC).
    pub fn time_zone(mut self, time_zone: impl Into<String>) -> Self {
        self.time_zone = Some(time_zone.into());
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
    /// [`ValidationError`] for an empty symbol, a start after the end, an empty time zone or a
    /// `limit` outside 1..=1000.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check(self.method);
        check.symbol("symbol", &self.symbol)?;
        check.window(self.start_time, self.end_time, None)?;
        if self.time_zone.as_deref() == Some("") {
            return Err(check.invalid("timeZone", "must not be empty"));
        }
        check.limit(self.limit, 1000)?;
        Ok(Request::new(self.method)
            .param("symbol", self.symbol)
            .param("interval", self.interval)
            .param_opt("startTime", self.start_time)
            .param_opt("endTime", self.end_time)
            .param_opt("timeZone", self.time_zone)
            .param_opt("limit", self.limit))
    }
}

/// One kline, read from the array row Binance sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Kline {
    /// Open time, ms since the epoch.
    pub open_time: i64,
    /// Open price.
    pub open: Decimal,
    /// High price.
    pub high: Decimal,
    /// Low price.
    pub low: Decimal,
    /// Close price.
    pub close: Decimal,
    /// Base volume.
    pub volume: Decimal,
    /// Close time, ms since the epoch.
    pub close_time: i64,
    /// Quote volume.
    pub quote_volume: Decimal,
    /// Number of trades.
    pub trades: i64,
    /// Base volume bought by takers.
    pub taker_buy_base_volume: Decimal,
    /// Quote volume bought by takers.
    pub taker_buy_quote_volume: Decimal,
}

impl<'de> Deserialize<'de> for Kline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Row;

        impl<'de> Visitor<'de> for Row {
            type Value = Kline;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a kline array of at least 11 entries")
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kline, A::Error> {
                let kline = Kline {
                    open_time: take(&mut seq, 0)?,
                    open: take(&mut seq, 1)?,
                    high: take(&mut seq, 2)?,
                    low: take(&mut seq, 3)?,
                    close: take(&mut seq, 4)?,
                    volume: take(&mut seq, 5)?,
                    close_time: take(&mut seq, 6)?,
                    quote_volume: take(&mut seq, 7)?,
                    trades: take(&mut seq, 8)?,
                    taker_buy_base_volume: take(&mut seq, 9)?,
                    taker_buy_quote_volume: take(&mut seq, 10)?,
                };
                // The twelfth entry is unused; entries added later are ignored too.
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(kline)
            }
        }

        d.deserialize_seq(Row)
    }
}

fn take<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
    seq: &mut A,
    index: usize,
) -> Result<T, A::Error> {
    seq.next_element()?
        .ok_or_else(|| de::Error::invalid_length(index, &"a kline array of at least 11 entries"))
}

/// `avgPrice`: the current average price. The reply is [`AvgPrice`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct AvgPriceRequest {
    symbol: String,
}

impl AvgPriceRequest {
    /// The average price of `symbol`.
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
        Check("avgPrice").symbol("symbol", &self.symbol)?;
        Ok(Request::new("avgPrice").param("symbol", self.symbol))
    }
}

/// The reply to `avgPrice`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AvgPrice {
    /// Minutes the average is taken over.
    pub mins: u32,
    /// Average price.
    pub price: Decimal,
    /// Time of the last trade, ms since the epoch.
    pub close_time: Option<i64>,
}

string_enum! {
    /// How much a ticker reply holds.
    TickerType {
        /// Every field (the default).
        Full => "FULL",
        /// Prices, volumes and ids only.
        Mini => "MINI",
    }
}

/// The window of the rolling `ticker`: minutes 1-59, hours 1-23 or days 1-7 (units cannot be
/// mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WindowSize {
    /// `1m`..`59m`.
    Minutes(u8),
    /// `1h`..`23h`.
    Hours(u8),
    /// `1d`..`7d`.
    Days(u8),
}

impl WindowSize {
    fn parts(self) -> (u8, char, u8) {
        match self {
            Self::Minutes(n) => (n, 'm', 59),
            Self::Hours(n) => (n, 'h', 23),
            Self::Days(n) => (n, 'd', 7),
        }
    }

    fn is_valid(self) -> bool {
        let (n, _, max) = self.parts();
        (1..=max).contains(&n)
    }
}

impl fmt::Display for WindowSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (n, unit, _) = self.parts();
        write!(f, "{n}{unit}")
    }
}

impl From<WindowSize> for ParamValue {
    fn from(w: WindowSize) -> Self {
        Self::from(w.to_string())
    }
}

/// Which symbols a ticker request is about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Symbols {
    All,
    One(String),
    Many(Vec<String>),
}

impl Symbols {
    fn check(&self, check: Check, max: usize) -> Result<(), ValidationError> {
        match self {
            Self::All => Ok(()),
            Self::One(s) => check.symbol("symbol", s),
            Self::Many(list) => check.symbols("symbols", list, max),
        }
    }

    fn apply(self, request: Request) -> Request {
        match self {
            Self::All => request,
            Self::One(s) => request.param("symbol", s),
            Self::Many(list) => request.param("symbols", list),
        }
    }
}

/// `ticker.24hr`, `ticker.tradingDay` or `ticker` (rolling window): price change statistics.
/// The reply is [`super::OneOrMany`]`<`[`TickerStats`]`>`: an object for one symbol, an array
/// otherwise.
///
/// ```
/// use binance_wsapi_proto::api::market::{TickerRequest, WindowSize};
///
/// let request = TickerRequest::rolling_symbols(["BNBBTC", "BTCUSDT"])
///     .window_size(WindowSize::Days(7))
///     .into_request()
///     .unwrap();
/// assert_eq!(request.method(), "ticker");
/// let err = TickerRequest::rolling("BNBBTC").window_size(WindowSize::Hours(24)).into_request().unwrap_err();
/// assert_eq!(err.param, "windowSize");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct TickerRequest {
    method: &'static str,
    symbols: Symbols,
    ticker_type: Option<TickerType>,
    time_zone: Option<String>,
    window_size: Option<WindowSize>,
    symbol_status: Option<SymbolStatus>,
}

impl TickerRequest {
    fn with(method: &'static str, symbols: Symbols) -> Self {
        Self {
            method,
            symbols,
            ticker_type: None,
            time_zone: None,
            window_size: None,
            symbol_status: None,
        }
    }

    /// `ticker.24hr` for one symbol.
    pub fn day(symbol: impl Into<String>) -> Self {
        Self::with("ticker.24hr", Symbols::One(symbol.into()))
    }

    /// `ticker.24hr` for several symbols.
    pub fn day_symbols<S: Into<String>>(symbols: impl IntoIterator<Item = S>) -> Self {
        Self::with("ticker.24hr", many(symbols))
    }

    /// `ticker.24hr` for every symbol (weight 80).
    pub fn day_all() -> Self {
        Self::with("ticker.24hr", Symbols::All)
    }

    /// `ticker.tradingDay` for one symbol.
    pub fn trading_day(symbol: impl Into<String>) -> Self {
        Self::with("ticker.tradingDay", Symbols::One(symbol.into()))
    }

    /// `ticker.tradingDay` for up to 100 symbols.
    pub fn trading_day_symbols<S: Into<String>>(symbols: impl IntoIterator<Item = S>) -> Self {
        Self::with("ticker.tradingDay", many(symbols))
    }

    /// `ticker` (rolling window) for one symbol.
    pub fn rolling(symbol: impl Into<String>) -> Self {
        Self::with("ticker", Symbols::One(symbol.into()))
    }

    /// `ticker` (rolling window) for up to 200 symbols.
    pub fn rolling_symbols<S: Into<String>>(symbols: impl IntoIterator<Item = S>) -> Self {
        Self::with("ticker", many(symbols))
    }

    /// FULL (default) or MINI replies.
    pub fn ticker_type(mut self, ticker_type: TickerType) -> Self {
        self.ticker_type = Some(ticker_type);
        self
    }

    /// Time zone of the trading day (`ticker.tradingDay` only), `hours[:minutes]`.
    pub fn time_zone(mut self, time_zone: impl Into<String>) -> Self {
        self.time_zone = Some(time_zone.into());
        self
    }

    /// The window (`ticker` only; default one day).
    pub fn window_size(mut self, window: WindowSize) -> Self {
        self.window_size = Some(window);
        self
    }

    /// Only symbols with this status (`TRADING`, `HALT` or `BREAK`).
    pub fn symbol_status(mut self, status: SymbolStatus) -> Self {
        self.symbol_status = Some(status);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol or list, too many symbols, a time zone outside
    /// `ticker.tradingDay`, a window outside `ticker` or out of range.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check(self.method);
        let max = match self.method {
            "ticker" => 200,
            "ticker.tradingDay" => 100,
            _ => usize::MAX,
        };
        self.symbols.check(check, max)?;
        if let Some(tz) = &self.time_zone {
            if self.method != "ticker.tradingDay" {
                return Err(check.invalid("timeZone", "only ticker.tradingDay takes it"));
            }
            if tz.is_empty() {
                return Err(check.invalid("timeZone", "must not be empty"));
            }
        }
        if let Some(window) = self.window_size {
            if self.method != "ticker" {
                return Err(check.invalid("windowSize", "only ticker takes it"));
            }
            if !window.is_valid() {
                return Err(check.invalid(
                    "windowSize",
                    format!("{window} is not within 1m-59m, 1h-23h or 1d-7d"),
                ));
            }
        }
        check.symbol_status(self.symbol_status.as_ref())?;
        Ok(self
            .symbols
            .apply(Request::new(self.method))
            .param_opt("type", self.ticker_type)
            .param_opt("timeZone", self.time_zone)
            .param_opt("windowSize", self.window_size)
            .param_opt("symbolStatus", self.symbol_status))
    }
}

fn many<S: Into<String>>(symbols: impl IntoIterator<Item = S>) -> Symbols {
    Symbols::Many(symbols.into_iter().map(Into::into).collect())
}

/// Price change statistics of one symbol (`ticker.24hr`, `ticker.tradingDay`, `ticker`). MINI
/// replies leave the `Option` fields out; `prev_close_price`, `last_qty` and the best bid/ask
/// come with `ticker.24hr` only.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TickerStats {
    /// Symbol.
    pub symbol: String,
    /// Price change over the window (FULL).
    pub price_change: Option<Decimal>,
    /// Price change in percent (FULL).
    pub price_change_percent: Option<Decimal>,
    /// Volume-weighted average price (FULL).
    pub weighted_avg_price: Option<Decimal>,
    /// Close of the window before (`ticker.24hr` FULL).
    pub prev_close_price: Option<Decimal>,
    /// First price of the window.
    pub open_price: Decimal,
    /// Highest price.
    pub high_price: Decimal,
    /// Lowest price.
    pub low_price: Decimal,
    /// Last price.
    pub last_price: Decimal,
    /// Quantity of the last trade (`ticker.24hr` FULL).
    pub last_qty: Option<Decimal>,
    /// Best bid (`ticker.24hr` FULL).
    pub bid_price: Option<Decimal>,
    /// Best bid quantity (`ticker.24hr` FULL).
    pub bid_qty: Option<Decimal>,
    /// Best ask (`ticker.24hr` FULL).
    pub ask_price: Option<Decimal>,
    /// Best ask quantity (`ticker.24hr` FULL).
    pub ask_qty: Option<Decimal>,
    /// Base volume.
    pub volume: Decimal,
    /// Quote volume.
    pub quote_volume: Decimal,
    /// Start of the window, ms since the epoch.
    pub open_time: i64,
    /// End of the window, ms since the epoch.
    pub close_time: i64,
    /// First trade id (-1 without trades).
    pub first_id: i64,
    /// Last trade id (-1 without trades).
    pub last_id: i64,
    /// Number of trades.
    pub count: i64,
}

/// `ticker.price`: last prices. The reply is [`super::OneOrMany`]`<`[`PriceTicker`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct PriceTickerRequest {
    symbols: Symbols,
    symbol_status: Option<SymbolStatus>,
}

/// `ticker.book`: best bid and ask. The reply is [`super::OneOrMany`]`<`[`BookTicker`]`>`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct BookTickerRequest {
    symbols: Symbols,
    symbol_status: Option<SymbolStatus>,
}

macro_rules! simple_ticker {
    ($name:ident, $method:literal) => {
        impl $name {
            /// For one symbol.
            pub fn symbol(symbol: impl Into<String>) -> Self {
                Self {
                    symbols: Symbols::One(symbol.into()),
                    symbol_status: None,
                }
            }

            /// For several symbols.
            pub fn symbols<S: Into<String>>(symbols: impl IntoIterator<Item = S>) -> Self {
                Self {
                    symbols: many(symbols),
                    symbol_status: None,
                }
            }

            /// For every symbol.
            pub fn all() -> Self {
                Self {
                    symbols: Symbols::All,
                    symbol_status: None,
                }
            }

            /// Only symbols with this status (`TRADING`, `HALT` or `BREAK`).
            pub fn symbol_status(mut self, status: SymbolStatus) -> Self {
                self.symbol_status = Some(status);
                self
            }

            /// Checks and builds the request.
            ///
            /// # Errors
            /// [`ValidationError`] for an empty symbol or list, or a `symbolStatus` the filter
            /// does not accept.
            pub fn into_request(self) -> Result<Request, ValidationError> {
                let check = Check($method);
                self.symbols.check(check, usize::MAX)?;
                check.symbol_status(self.symbol_status.as_ref())?;
                Ok(self
                    .symbols
                    .apply(Request::new($method))
                    .param_opt("symbolStatus", self.symbol_status))
            }
        }
    };
}

simple_ticker!(PriceTickerRequest, "ticker.price");
simple_ticker!(BookTickerRequest, "ticker.book");

/// Last price of one symbol (`ticker.price`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PriceTicker {
    /// Symbol.
    pub symbol: String,
    /// Last price.
    pub price: Decimal,
}

/// Best bid and ask of one symbol (`ticker.book`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct BookTicker {
    /// Symbol.
    pub symbol: String,
    /// Best bid.
    pub bid_price: Decimal,
    /// Quantity at the best bid.
    pub bid_qty: Decimal,
    /// Best ask.
    pub ask_price: Decimal,
    /// Quantity at the best ask.
    pub ask_qty: Decimal,
}

/// `referencePrice`: the symbol's reference price. The reply is [`ReferencePriceReply`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct ReferencePriceRequest {
    symbol: String,
}

impl ReferencePriceRequest {
    /// The reference price of `symbol`.
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
        Check("referencePrice").symbol("symbol", &self.symbol)?;
        Ok(Request::new("referencePrice").param("symbol", self.symbol))
    }
}

/// A symbol's reference price.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReferencePrice {
    /// Symbol.
    pub symbol: String,
    /// The price; `None` while it is currently unset.
    pub reference_price: Option<Decimal>,
    /// When it was computed, ms since the epoch.
    pub timestamp: i64,
}

/// The reply to `referencePrice`: the price, or (as the docs show it) a 200 reply whose result is
/// the error `-2043` when the symbol never had a reference price.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ReferencePriceReply {
    /// The price.
    Price(ReferencePrice),
    /// An error inside `result` (`-2043`: the symbol has no reference price).
    Error {
        /// Binance's error code.
        code: i64,
        /// Binance's message.
        msg: String,
    },
}

/// `referencePrice.calculation`: how the reference price is computed. The reply is
/// [`ReferencePriceCalculation`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
#[non_exhaustive]
pub struct ReferencePriceCalculationRequest {
    symbol: String,
    symbol_status: Option<SymbolStatus>,
}

impl ReferencePriceCalculationRequest {
    /// How the reference price of `symbol` is computed.
    pub fn new(symbol: impl Into<String>) -> Self {
        Self {
            symbol: symbol.into(),
            symbol_status: None,
        }
    }

    /// Refuse unless the symbol has this status (`TRADING`, `HALT` or `BREAK`).
    pub fn symbol_status(mut self, status: SymbolStatus) -> Self {
        self.symbol_status = Some(status);
        self
    }

    /// Checks and builds the request.
    ///
    /// # Errors
    /// [`ValidationError`] for an empty symbol or a `symbolStatus` the filter does not accept.
    pub fn into_request(self) -> Result<Request, ValidationError> {
        let check = Check("referencePrice.calculation");
        check.symbol("symbol", &self.symbol)?;
        check.symbol_status(self.symbol_status.as_ref())?;
        Ok(Request::new("referencePrice.calculation")
            .param("symbol", self.symbol)
            .param_opt("symbolStatus", self.symbol_status))
    }
}

string_enum! {
    /// How a reference price is computed.
    CalculationType {
        /// Mean of buckets of trades, by the matching engine.
        ArithmeticMean => "ARITHMETIC_MEAN",
        /// Outside the matching engine.
        External => "EXTERNAL",
    }
}

/// The reply to `referencePrice.calculation`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ReferencePriceCalculation {
    /// Symbol.
    pub symbol: String,
    /// How it is computed.
    pub calculation_type: CalculationType,
    /// Number of buckets (`ARITHMETIC_MEAN`).
    pub bucket_count: Option<u32>,
    /// Width of a bucket in ms (`ARITHMETIC_MEAN`).
    pub bucket_width_ms: Option<i64>,
    /// Id of the external calculation (`EXTERNAL`).
    pub external_calculation_id: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_and_windows_are_checked() {
        let cases: Vec<(Result<Request, ValidationError>, &str, &str)> = vec![
            (
                DepthRequest::new("X").limit(5001).into_request(),
                "depth",
                "limit",
            ),
            (DepthRequest::new("").into_request(), "depth", "symbol"),
            (
                TradesRequest::recent("X").limit(1001).into_request(),
                "trades.recent",
                "limit",
            ),
            (
                TradesRequest::historical("X", -1).into_request(),
                "trades.historical",
                "fromId",
            ),
            (
                AggTradesRequest::new("X")
                    .from_id(1)
                    .start_time(2)
                    .into_request(),
                "trades.aggregate",
                "fromId",
            ),
            (
                KlinesRequest::klines("X", KlineInterval::Hours1)
                    .start_time(5)
                    .end_time(4)
                    .into_request(),
                "klines",
                "startTime",
            ),
            (
                KlinesRequest::ui_klines("X", KlineInterval::Days1)
                    .limit(0)
                    .into_request(),
                "uiKlines",
                "limit",
            ),
            (
                TickerRequest::day("X")
                    .window_size(WindowSize::Days(1))
                    .into_request(),
                "ticker.24hr",
                "windowSize",
            ),
            (
                TickerRequest::rolling("X")
                    .window_size(WindowSize::Days(8))
                    .into_request(),
                "ticker",
                "windowSize",
            ),
            (
                TickerRequest::rolling("X").time_zone("1").into_request(),
                "ticker",
                "timeZone",
            ),
            (
                TickerRequest::trading_day_symbols((0..101).map(|i| format!("S{i}")))
                    .into_request(),
                "ticker.tradingDay",
                "symbols",
            ),
            (
                PriceTickerRequest::symbols(Vec::<String>::new()).into_request(),
                "ticker.price",
                "symbols",
            ),
            (
                BookTickerRequest::all()
                    .symbol_status(SymbolStatus::EndOfDay)
                    .into_request(),
                "ticker.book",
                "symbolStatus",
            ),
        ];
        for (result, method, param) in cases {
            let err = result.unwrap_err();
            assert_eq!((err.method, err.param), (method, param), "{err}");
        }
        assert!(DepthRequest::new("X").limit(5000).into_request().is_ok());
        assert!(TickerRequest::day_all()
            .into_request()
            .unwrap()
            .params()
            .is_empty());
    }

    #[test]
    fn window_sizes_render_as_binance_writes_them() {
        assert_eq!(WindowSize::Minutes(59).to_string(), "59m");
        assert_eq!(WindowSize::Hours(1).to_string(), "1h");
        assert_eq!(
            ParamValue::from(WindowSize::Days(7)),
            ParamValue::from("7d")
        );
        assert!(!WindowSize::Minutes(0).is_valid() && !WindowSize::Hours(24).is_valid());
    }

    #[test]
    fn kline_rows_tolerate_extra_entries_and_refuse_short_ones() {
        let row = r#"[1,"1","2","0.5","1.5","10",2,"15",3,"4","6","0","extra"]"#;
        let k: Kline = serde_json::from_str(row).unwrap();
        assert_eq!((k.open_time, k.close_time, k.trades), (1, 2, 3));
        assert_eq!(k.high, Decimal::from(2));
        assert!(serde_json::from_str::<Kline>(r#"[1,"1","2"]"#).is_err());
    }
}
