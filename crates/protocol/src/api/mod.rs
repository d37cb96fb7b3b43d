//! Typed requests and replies for the WS API methods other than `order.place`, `order.cancel`
//! and `order.status` (which live at the crate root).
//!
//! Each request builder checks what Binance would refuse for its shape (a missing or empty
//! parameter, two parameters that cannot go together, a `limit` above the maximum, a time window
//! that is too long) and returns a [`ValidationError`] naming the method and the parameter before
//! anything is sent. `apiKey`, `timestamp` and `signature` are never set here: the client adds them
//! as the method's [`crate::Security`] requires.
//!
//! Replies are decoded with [`crate::Response::decode`]. Unknown fields are ignored, fields that
//! only some replies carry are `Option`, prices and quantities are [`Decimal`](crate::Decimal).
//!
//! [`COVERAGE`] says which of the 55 methods have a typed request and a typed reply.

pub mod account;
pub mod general;
pub mod market;
pub mod session;
pub mod trading;

use serde::Deserialize;

use crate::orders::{Problem, ValidationError};
use crate::types::string_enum;

/// A reply that is a single object for one `symbol` and an array for `symbols` (or for all
/// symbols), as the ticker methods answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum OneOrMany<T> {
    /// The object answered for a single `symbol`.
    One(T),
    /// The array answered for `symbols` or for all symbols.
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The entries as a list, whichever shape came.
    pub fn into_vec(self) -> Vec<T> {
        match self {
            Self::One(one) => vec![one],
            Self::Many(many) => many,
        }
    }

    /// The entries as a slice, whichever shape came.
    pub fn as_slice(&self) -> &[T] {
        match self {
            Self::One(one) => std::slice::from_ref(one),
            Self::Many(many) => many,
        }
    }
}

/// The empty object `{}` that `ping` and `userDataStream.unsubscribe` answer (fields added later
/// are ignored).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[non_exhaustive]
pub struct Empty {}

string_enum! {
    /// Trading status of a symbol (`status` in `exchangeInfo`, and the `symbolStatus` filter of
    /// the market-data methods, which accepts only `TRADING`, `HALT` and `BREAK`).
    SymbolStatus {
        /// Trading normally.
        Trading => "TRADING",
        /// Closed for the day.
        EndOfDay => "END_OF_DAY",
        /// Halted.
        Halt => "HALT",
        /// On a break.
        Break => "BREAK",
        /// Only cancels are accepted.
        CancelOnly => "CANCEL_ONLY",
    }
}

/// Whether a typed request and a typed reply exist for one method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Coverage {
    /// The method name, as in [`crate::METHODS`].
    pub method: &'static str,
    /// A typed request builder exists.
    pub request: bool,
    /// A typed reply exists.
    pub response: bool,
}

const fn typed(method: &'static str) -> Coverage {
    Coverage {
        method,
        request: true,
        response: true,
    }
}

/// Which of the 55 methods are typed, in the order of [`crate::METHODS`].
///
/// | Method | Request | Reply |
/// |---|---|---|
/// | `account.commission` | [`account::AccountCommissionRequest`] | [`account::AccountCommission`] |
/// | `account.rateLimits.orders` | [`account::OrderRateLimitsRequest`] | `Vec<`[`crate::RateLimit`]`>` |
/// | `account.status` | [`account::AccountStatusRequest`] | [`account::AccountInfo`] |
/// | `allOrderLists` | [`account::AllOrderListsRequest`] | `Vec<`[`account::OrderList`]`>` |
/// | `allOrders` | [`account::AllOrdersRequest`] | `Vec<`[`crate::OrderInfo`]`>` |
/// | `avgPrice` | [`market::AvgPriceRequest`] | [`market::AvgPrice`] |
/// | `blockTrades.historical` | [`market::TradesRequest`] | `Vec<`[`market::BlockTrade`]`>` |
/// | `depth` | [`market::DepthRequest`] | [`market::OrderBook`] |
/// | `exchangeInfo` | [`general::ExchangeInfoRequest`] | [`general::ExchangeInfo`] |
/// | `executionRules` | [`general::ExecutionRulesRequest`] | [`general::ExecutionRules`] |
/// | `klines` | [`market::KlinesRequest`] | `Vec<`[`market::Kline`]`>` |
/// | `myAllocations` | [`account::MyAllocationsRequest`] | `Vec<`[`account::Allocation`]`>` |
/// | `myFilters` | [`account::MyFiltersRequest`] | [`account::MyFilters`] |
/// | `myPreventedMatches` | [`account::MyPreventedMatchesRequest`] | `Vec<`[`account::PreventedMatch`]`>` |
/// | `myTrades` | [`account::MyTradesRequest`] | `Vec<`[`account::AccountTrade`]`>` |
/// | `openOrderLists.status` | [`account::OpenOrderListsRequest`] | `Vec<`[`account::OrderList`]`>` |
/// | `openOrders.cancelAll` | [`trading::CancelAllOpenOrders`] | `Vec<`[`trading::CancelAllEntry`]`>` |
/// | `openOrders.status` | [`account::OpenOrdersRequest`] | `Vec<`[`crate::OrderInfo`]`>` |
/// | `order.amend.keepPriority` | [`trading::AmendOrder`] | [`trading::AmendReply`] |
/// | `order.amendments` | [`account::OrderAmendmentsRequest`] | `Vec<`[`account::OrderAmendment`]`>` |
/// | `order.cancel` | [`crate::CancelOrder`] | [`crate::CancelReply`] |
/// | `order.cancelReplace` | [`trading::CancelReplace`] | [`trading::CancelReplaceReply`] |
/// | `order.place` | [`crate::PlaceOrder`] | [`crate::PlacedOrder`] |
/// | `order.status` | [`crate::QueryOrder`] | [`crate::OrderInfo`] |
/// | `order.test` | [`trading::TestOrder`] | [`trading::OrderTestReply`] |
/// | `orderList.cancel` | [`trading::CancelOrderList`] | [`trading::OrderListReply`] |
/// | `orderList.place` (deprecated legacy OCO) | [`trading::LegacyOcoOrder`] | [`trading::OrderListReply`] |
/// | `orderList.place.oco` | [`trading::OcoOrder`] | [`trading::OrderListReply`] |
/// | `orderList.place.opo`, `.opoco`, `.oto`, `.otoco` | [`trading::TriggeredList`] | [`trading::OrderListReply`] |
/// | `orderList.status` | [`account::OrderListStatusRequest`] | [`account::OrderList`] |
/// | `ping` | [`general::PingRequest`] | [`Empty`] |
/// | `referencePrice` | [`market::ReferencePriceRequest`] | [`market::ReferencePriceReply`] |
/// | `referencePrice.calculation` | [`market::ReferencePriceCalculationRequest`] | [`market::ReferencePriceCalculation`] |
/// | `session.logon` | [`session::SessionLogonRequest`] | [`session::SessionStatus`] |
/// | `session.logout` | [`session::SessionLogoutRequest`] | [`session::SessionStatus`] |
/// | `session.status` | [`session::SessionStatusRequest`] | [`session::SessionStatus`] |
/// | `session.subscriptions` | [`session::SessionSubscriptionsRequest`] | `Vec<`[`session::Subscription`]`>` |
/// | `sor.order.place` | [`trading::SorOrder`] | `Vec<`[`crate::PlacedOrder`]`>` |
/// | `sor.order.test` | [`trading::SorOrder::into_test_request`] | [`trading::OrderTestReply`] |
/// | `ticker` | [`market::TickerRequest`] | [`OneOrMany`]`<`[`market::TickerStats`]`>` |
/// | `ticker.24hr` | [`market::TickerRequest`] | [`OneOrMany`]`<`[`market::TickerStats`]`>` |
/// | `ticker.book` | [`market::BookTickerRequest`] | [`OneOrMany`]`<`[`market::BookTicker`]`>` |
/// | `ticker.price` | [`market::PriceTickerRequest`] | [`OneOrMany`]`<`[`market::PriceTicker`]`>` |
/// | `ticker.tradingDay` | [`market::TickerRequest`] | [`OneOrMany`]`<`[`market::TickerStats`]`>` |
/// | `time` | [`general::TimeRequest`] | [`general::ServerTime`] |
/// | `trades.aggregate` | [`market::AggTradesRequest`] | `Vec<`[`market::AggTrade`]`>` |
/// | `trades.historical` | [`market::TradesRequest`] | `Vec<`[`market::Trade`]`>` |
/// | `trades.recent` | [`market::TradesRequest`] | `Vec<`[`market::Trade`]`>` |
/// | `uiKlines` | [`market::KlinesRequest`] | `Vec<`[`market::Kline`]`>` |
/// | `userDataStream.subscribe` | [`session::SubscribeRequest`] | [`session::Subscription`] |
/// | `userDataStream.subscribe.signature` | [`session::SubscribeRequest`] | [`session::Subscription`] |
/// | `userDataStream.unsubscribe` | [`session::UnsubscribeRequest`] | [`Empty`] |
pub static COVERAGE: &[Coverage] = &[
    typed("account.commission"),
    typed("account.rateLimits.orders"),
    typed("account.status"),
    typed("allOrderLists"),
    typed("allOrders"),
    typed("avgPrice"),
    typed("blockTrades.historical"),
    typed("depth"),
    typed("exchangeInfo"),
    typed("executionRules"),
    typed("klines"),
    typed("myAllocations"),
    typed("myFilters"),
    typed("myPreventedMatches"),
    typed("myTrades"),
    typed("openOrderLists.status"),
    typed("openOrders.cancelAll"),
    typed("openOrders.status"),
    typed("order.amend.keepPriority"),
    typed("order.amendments"),
    typed("order.cancel"),
    typed("order.cancelReplace"),
    typed("order.place"),
    typed("order.status"),
    typed("order.test"),
    typed("orderList.cancel"),
    typed("orderList.place"),
    typed("orderList.place.oco"),
    typed("orderList.place.opo"),
    typed("orderList.place.opoco"),
    typed("orderList.place.oto"),
    typed("orderList.place.otoco"),
    typed("orderList.status"),
    typed("ping"),
    typed("referencePrice"),
    typed("referencePrice.calculation"),
    typed("session.logon"),
    typed("session.logout"),
    typed("session.status"),
    typed("session.subscriptions"),
    typed("sor.order.place"),
    typed("sor.order.test"),
    typed("ticker"),
    typed("ticker.24hr"),
    typed("ticker.book"),
    typed("ticker.price"),
    typed("ticker.tradingDay"),
    typed("time"),
    typed("trades.aggregate"),
    typed("trades.historical"),
    typed("trades.recent"),
    typed("uiKlines"),
    typed("userDataStream.subscribe"),
    typed("userDataStream.subscribe.signature"),
    typed("userDataStream.unsubscribe"),
];

/// The coverage entry of `method`, if it is one of the 55.
pub fn coverage(method: &str) -> Option<&'static Coverage> {
    COVERAGE.iter().find(|c| c.method == method)
}

/// The longest `startTime`..`endTime` window the account queries accept: 24 hours.
pub(crate) const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// Parameter checks shared by the builders, each naming `method`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Check(pub(crate) &'static str);

impl Check {
    pub(crate) fn invalid(self, param: &'static str, why: impl Into<String>) -> ValidationError {
        ValidationError {
            method: self.0,
            param,
            problem: Problem::Invalid(why.into()),
        }
    }

    /// `param` cannot be sent together with `other`.
    pub(crate) fn exclusive(self, param: &'static str, other: &str) -> ValidationError {
        ValidationError {
            method: self.0,
            param,
            problem: Problem::NotAllowed(format!("a request with {other}")),
        }
    }

    /// Refuses the first of `ids` that is set when a time bound is set too (Binance takes either
    /// a start id or a time window, not both).
    pub(crate) fn ids_without_time(
        self,
        start_time: Option<i64>,
        end_time: Option<i64>,
        ids: &[(&'static str, bool)],
    ) -> Result<(), ValidationError> {
        let time = match (start_time, end_time) {
            (Some(_), _) => "startTime",
            (None, Some(_)) => "endTime",
            (None, None) => return Ok(()),
        };
        match ids.iter().find(|(_, set)| *set) {
            Some((id, _)) => Err(self.exclusive(id, time)),
            None => Ok(()),
        }
    }

    pub(crate) fn symbol(self, param: &'static str, symbol: &str) -> Result<(), ValidationError> {
        if symbol.is_empty() {
            return Err(self.invalid(param, "must not be empty"));
        }
        Ok(())
    }

    pub(crate) fn symbols(
        self,
        param: &'static str,
        symbols: &[String],
        max: usize,
    ) -> Result<(), ValidationError> {
        if symbols.is_empty() {
            return Err(self.invalid(param, "must name at least one symbol"));
        }
        if symbols.len() > max {
            return Err(self.invalid(param, format!("must name at most {max} symbols")));
        }
        for s in symbols {
            self.symbol(param, s)?;
        }
        Ok(())
    }

    pub(crate) fn limit(self, limit: Option<u32>, max: u32) -> Result<(), ValidationError> {
        match limit {
            Some(n) if n == 0 || n > max => {
                Err(self.invalid("limit", format!("must be between 1 and {max}, not {n}")))
            }
            _ => Ok(()),
        }
    }

    /// `startTime` not after `endTime`, and at most `max_ms` apart when both are given.
    pub(crate) fn window(
        self,
        start: Option<i64>,
        end: Option<i64>,
        max_ms: Option<i64>,
    ) -> Result<(), ValidationError> {
        if let (Some(start), Some(end)) = (start, end) {
            if start > end {
                return Err(self.invalid("startTime", "must not be after endTime"));
            }
            if max_ms.is_some_and(|max| end - start > max) {
                return Err(self.invalid("endTime", "must be at most 24 hours after startTime"));
            }
        }
        Ok(())
    }

    /// The `symbolStatus` filter accepts `TRADING`, `HALT` and `BREAK` (and values this version
    /// does not know).
    pub(crate) fn symbol_status(
        self,
        status: Option<&SymbolStatus>,
    ) -> Result<(), ValidationError> {
        match status {
            Some(SymbolStatus::EndOfDay | SymbolStatus::CancelOnly) => {
                Err(self.invalid("symbolStatus", "must be TRADING, HALT or BREAK"))
            }
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_lists_exactly_the_known_methods_in_order() {
        let names: Vec<&str> = COVERAGE.iter().map(|c| c.method).collect();
        let known: Vec<&str> = crate::METHODS.iter().map(|m| m.name).collect();
        assert_eq!(names, known);
        assert_eq!(COVERAGE.len(), 55);
        assert!(coverage("ping").is_some_and(|c| c.request && c.response));
        assert!(COVERAGE.iter().all(|c| c.request && c.response));
        assert!(coverage("userDataStream.start").is_none());
    }

    #[test]
    fn one_or_many_reads_both_shapes() {
        let one: OneOrMany<u32> = serde_json::from_str("7").unwrap();
        assert_eq!(one.as_slice(), &[7]);
        let many: OneOrMany<u32> = serde_json::from_str("[1,2]").unwrap();
        assert_eq!(many.into_vec(), vec![1, 2]);
    }

    #[test]
    fn checks_name_method_and_parameter() {
        let check = Check("m");
        assert_eq!(check.limit(Some(0), 10).unwrap_err().param, "limit");
        assert!(check.limit(Some(10), 10).is_ok());
        let err = check.limit(Some(11), 10).unwrap_err();
        assert_eq!(
            err.to_string(),
            "m: limit: must be between 1 and 10, not 11"
        );
        assert_eq!(
            check
                .window(Some(0), Some(DAY_MS + 1), Some(DAY_MS))
                .unwrap_err()
                .param,
            "endTime"
        );
        assert_eq!(
            check.window(Some(2), Some(1), None).unwrap_err().param,
            "startTime"
        );
        assert!(check.symbol_status(Some(&SymbolStatus::Halt)).is_ok());
        assert!(check
            .symbol_status(Some(&SymbolStatus::CancelOnly))
            .is_err());
        assert_eq!(
            check.exclusive("symbols", "symbol").to_string(),
            "m: symbols: is not allowed for a request with symbol"
        );
    }
}
