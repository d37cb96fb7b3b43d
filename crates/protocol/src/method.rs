//! What the client must know about each WS API method: how it is authenticated, whether it changes
//! orders (so a lost reply means *outcome unknown*), and which client order id identifies it.

/// How a method is authenticated. Decides which parameters the client adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Security {
    /// No key at all (`NONE`: market data, `ping`, `session.status`, ...).
    None,
    /// `TRADE` / `USER_DATA`: `apiKey` + `timestamp` + `signature`; on a session authenticated by
    /// `session.logon`, only `timestamp` (the key and signature are left out).
    Signed,
    /// `SIGNED` / `USER_STREAM` with a signature (`session.logon`,
    /// `userDataStream.subscribe.signature`): always `apiKey` + `timestamp` + `signature`.
    AlwaysSigned,
    /// `USER_STREAM` on a logged-on session (`userDataStream.subscribe`): no parameters of its own,
    /// refused unless `session.logon` succeeded or is under way.
    Session,
}

/// Facts about one WS API method.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// The method name as sent, e.g. `order.place`.
    pub name: &'static str,
    /// How it is authenticated.
    pub security: Security,
    /// Whether it places, cancels or changes orders. Such a request that times out, loses its
    /// connection or meets a server-side failure ends with an *unknown* outcome.
    pub changes_orders: bool,
    /// The parameter the client fills with a fresh [`crate::ClientOrderId`] when the caller gives
    /// none (`newClientOrderId` for orders, `listClientOrderId` for order lists).
    pub generated_id_param: Option<&'static str>,
    /// Parameters that name the order the request is about, in order of preference; the first one
    /// present is reported with the outcome.
    pub id_params: &'static [&'static str],
}

const fn public(name: &'static str) -> MethodInfo {
    MethodInfo {
        name,
        security: Security::None,
        changes_orders: false,
        generated_id_param: None,
        id_params: &[],
    }
}

const fn signed(name: &'static str) -> MethodInfo {
    MethodInfo {
        name,
        security: Security::Signed,
        changes_orders: false,
        generated_id_param: None,
        id_params: &[],
    }
}

const fn trade(
    name: &'static str,
    generated_id_param: Option<&'static str>,
    id_params: &'static [&'static str],
) -> MethodInfo {
    MethodInfo {
        name,
        security: Security::Signed,
        changes_orders: true,
        generated_id_param,
        id_params,
    }
}

const NEW_ORDER: Option<&str> = Some("newClientOrderId");
const NEW_LIST: Option<&str> = Some("listClientOrderId");

/// Every current method of the Spot WS API (55), sorted by name.
pub static METHODS: &[MethodInfo] = &[
    signed("account.commission"),
    signed("account.rateLimits.orders"),
    signed("account.status"),
    signed("allOrderLists"),
    signed("allOrders"),
    public("avgPrice"),
    public("blockTrades.historical"),
    public("depth"),
    public("exchangeInfo"),
    public("executionRules"),
    public("klines"),
    signed("myAllocations"),
    signed("myFilters"),
    signed("myPreventedMatches"),
    signed("myTrades"),
    signed("openOrderLists.status"),
    trade("openOrders.cancelAll", None, &[]),
    signed("openOrders.status"),
    trade("order.amend.keepPriority", None, &["origClientOrderId"]),
    signed("order.amendments"),
    trade("order.cancel", None, &["origClientOrderId"]),
    trade(
        "order.cancelReplace",
        NEW_ORDER,
        &["newClientOrderId", "cancelOrigClientOrderId"],
    ),
    trade("order.place", NEW_ORDER, &["newClientOrderId"]),
    signed("order.status"),
    signed("order.test"),
    trade("orderList.cancel", None, &["listClientOrderId"]),
    trade("orderList.place", NEW_LIST, &["listClientOrderId"]),
    trade("orderList.place.oco", NEW_LIST, &["listClientOrderId"]),
    trade("orderList.place.opo", NEW_LIST, &["listClientOrderId"]),
    trade("orderList.place.opoco", NEW_LIST, &["listClientOrderId"]),
    trade("orderList.place.oto", NEW_LIST, &["listClientOrderId"]),
    trade("orderList.place.otoco", NEW_LIST, &["listClientOrderId"]),
    signed("orderList.status"),
    public("ping"),
    public("referencePrice"),
    public("referencePrice.calculation"),
    MethodInfo {
        security: Security::AlwaysSigned,
        ..public("session.logon")
    },
    public("session.logout"),
    public("session.status"),
    public("session.subscriptions"),
    trade("sor.order.place", NEW_ORDER, &["newClientOrderId"]),
    signed("sor.order.test"),
    public("ticker"),
    public("ticker.24hr"),
    public("ticker.book"),
    public("ticker.price"),
    public("ticker.tradingDay"),
    public("time"),
    public("trades.aggregate"),
    public("trades.historical"),
    public("trades.recent"),
    public("uiKlines"),
    MethodInfo {
        security: Security::Session,
        ..public("userDataStream.subscribe")
    },
    MethodInfo {
        security: Security::AlwaysSigned,
        ..public("userDataStream.subscribe.signature")
    },
    public("userDataStream.unsubscribe"),
];

/// Looks a method up by name. A `v3/` version prefix is ignored. `None` for methods this version
/// does not know; they can still be sent with an explicit [`Security`].
pub fn method_info(name: &str) -> Option<&'static MethodInfo> {
    let name = name.strip_prefix("v3/").unwrap_or(name);
    let key = crate::params::name_prefix(name);
    METHODS
        .binary_search_by(|m| crate::params::cmp_name_to_key(m.name, key, name))
        .ok()
        .map(|i| &METHODS[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_complete() {
        assert!(METHODS.windows(2).all(|w| w[0].name < w[1].name));
        // Every current method in the spec table, with its security type.
        let tsv = include_str!("../../../testdata/spec/methods.tsv");
        let mut seen = 0;
        for line in tsv.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols[1].contains("REMOVED") {
                assert!(method_info(cols[0]).is_none(), "{} was removed", cols[0]);
                continue;
            }
            seen += 1;
            let info = method_info(cols[0]).unwrap_or_else(|| panic!("missing {}", cols[0]));
            let expected = match (cols[2].split(' ').next().unwrap(), cols[0]) {
                ("NONE", _) => Security::None,
                ("TRADE" | "USER_DATA", _) => Security::Signed,
                ("SIGNED", _) => Security::AlwaysSigned,
                ("USER_STREAM", "userDataStream.subscribe") => Security::Session,
                ("USER_STREAM", _) => Security::AlwaysSigned,
                (other, m) => panic!("unexpected security {other} for {m}"),
            };
            assert_eq!(info.security, expected, "{}", cols[0]);
            assert_eq!(
                info.changes_orders,
                cols[1] == "trading" && !cols[0].ends_with(".test")
            );
        }
        assert_eq!(seen, 55);
        assert_eq!(METHODS.len(), 55);
    }

    #[test]
    fn version_prefix_is_ignored() {
        assert_eq!(
            method_info("v3/order.place").map(|m| m.name),
            Some("order.place")
        );
        assert!(method_info("order.explode").is_none());
    }
}
