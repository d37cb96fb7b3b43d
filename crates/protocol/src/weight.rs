//! The request weight of each method, as documented (the weight a failed request pays, since
//! successful order placements and cancels have cost 0 since 2026-04-02: the governor must assume
//! the worst).

use crate::params::{ParamValue, Params};

fn int(params: &Params, name: &str) -> Option<i64> {
    match params.get(name)? {
        ParamValue::Int(n) => Some(*n),
        ParamValue::Str(s) => s.parse().ok(),
        _ => None,
    }
}

fn list_len(params: &Params, name: &str) -> Option<u32> {
    match params.get(name)? {
        ParamValue::List(items) => Some(u32::try_from(items.len()).unwrap_or(u32::MAX)),
        _ => Some(1),
    }
}

fn is_true(params: &Params, name: &str) -> bool {
    matches!(params.get(name), Some(ParamValue::Bool(true)))
        || matches!(params.get(name), Some(ParamValue::Str(s)) if s == "true")
}

/// The documented REQUEST_WEIGHT of `method` with these parameters; 1 for methods this version
/// does not know.
pub fn request_weight(method: &str, params: &Params) -> u32 {
    let method = method.strip_prefix("v3/").unwrap_or(method);
    let has = |name: &str| params.contains(name);
    match method {
        "exchangeInfo" | "account.status" | "allOrders" | "allOrderLists" | "myAllocations"
        | "account.commission" => 20,
        "executionRules" => match (has("symbol"), list_len(params, "symbols")) {
            (true, _) => 2,
            (false, Some(n)) => (2 * n).min(40),
            (false, None) => 40,
        },
        "depth" => match int(params, "limit").unwrap_or(100) {
            ..=100 => 5,
            101..=500 => 25,
            501..=1000 => 50,
            _ => 250,
        },
        "trades.recent" | "trades.historical" | "blockTrades.historical" => 25,
        "trades.aggregate"
        | "order.status"
        | "orderList.status"
        | "order.amendments"
        | "order.amend.keepPriority" => 4,
        "ticker.24hr" => match (has("symbol"), list_len(params, "symbols")) {
            (true, _) => 2,
            (false, Some(n)) if n <= 20 => 2,
            (false, Some(n)) if n <= 100 => 40,
            _ => 80,
        },
        "ticker.tradingDay" | "ticker" => {
            let n = if has("symbol") {
                1
            } else {
                list_len(params, "symbols").unwrap_or(1)
            };
            if n > 50 {
                200
            } else {
                4 * n
            }
        }
        "ticker.price" | "ticker.book" => {
            if has("symbol") {
                2
            } else {
                4
            }
        }
        "openOrders.status" => {
            if has("symbol") {
                6
            } else {
                80
            }
        }
        "openOrderLists.status" => 6,
        "myTrades" => {
            if has("orderId") {
                5
            } else {
                20
            }
        }
        "myPreventedMatches" => {
            if has("orderId") {
                20
            } else {
                2
            }
        }
        "account.rateLimits.orders" | "myFilters" => 40,
        "order.test" | "sor.order.test" if is_true(params, "computeCommissionRates") => 20,
        "klines"
        | "uiKlines"
        | "avgPrice"
        | "referencePrice"
        | "referencePrice.calculation"
        | "session.logon"
        | "session.status"
        | "session.logout"
        | "userDataStream.subscribe"
        | "userDataStream.subscribe.signature"
        | "userDataStream.unsubscribe"
        | "session.subscriptions" => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_follow_the_documented_table() {
        let mut p = Params::new();
        assert_eq!(request_weight("ping", &p), 1);
        assert_eq!(request_weight("exchangeInfo", &p), 20);
        assert_eq!(request_weight("depth", &p), 5);
        p.set("limit", 1000_i64);
        assert_eq!(request_weight("depth", &p), 50);
        let mut p = Params::new();
        assert_eq!(request_weight("openOrders.status", &p), 80);
        p.set("symbol", "BTCUSDT");
        assert_eq!(request_weight("openOrders.status", &p), 6);
        assert_eq!(request_weight("ticker.price", &p), 2);
        let mut p = Params::new();
        p.set("symbols", vec!["A", "B", "C"]);
        assert_eq!(request_weight("ticker", &p), 12);
        assert_eq!(request_weight("executionRules", &p), 6);
        let mut p = Params::new();
        p.set("computeCommissionRates", true);
        assert_eq!(request_weight("order.test", &p), 20);
        assert_eq!(request_weight("v3/account.status", &Params::new()), 20);
        assert_eq!(request_weight("some.future.method", &Params::new()), 1);
    }
}
