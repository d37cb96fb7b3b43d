//! Order lists (OCO, OTO, OTOCO) as the exchange keeps them, and how Binance renders them (list
//! status objects and `listStatus` events).

use serde_json::{json, Value};

use crate::accounts::AccountId;
use crate::orders::Order;

/// An order list.
#[derive(Debug, Clone)]
pub struct OrderList {
    /// Exchange-assigned id.
    pub id: u64,
    /// Owner.
    pub account: AccountId,
    /// Symbol.
    pub symbol: String,
    /// `OCO` or `OTO` (OTOCO lists report `OTO`, as Binance does).
    pub contingency: &'static str,
    /// Client id of the list.
    pub list_client_id: String,
    /// When the list was placed (ms).
    pub transaction_time: i64,
    /// Its orders, in the order Binance lists them.
    pub order_ids: Vec<u64>,
    /// The working order of an OTO/OTOCO list.
    pub working: Option<u64>,
    /// The pending orders of an OTO/OTOCO list, placed when the working order fills.
    pub pending: Vec<u64>,
    /// The two legs of which one cancels the other (an OCO, or the pending pair of an OTOCO).
    pub oco: Option<(u64, u64)>,
    /// Whether every order of the list is done.
    pub all_done: bool,
    /// One-pays-the-other: the pending orders' quantity is what the working order received.
    pub opo: bool,
}

impl OrderList {
    /// The other leg of an OCO pair, if `order_id` is one of its legs.
    pub fn oco_sibling(&self, order_id: u64) -> Option<u64> {
        match self.oco {
            Some((a, b)) if a == order_id => Some(b),
            Some((a, b)) if b == order_id => Some(a),
            _ => None,
        }
    }

    /// `listStatusType`: `EXEC_STARTED` while any order works, `ALL_DONE` after.
    pub fn status_type(&self) -> &'static str {
        if self.all_done {
            "ALL_DONE"
        } else {
            "EXEC_STARTED"
        }
    }

    /// `listOrderStatus`: `EXECUTING` or `ALL_DONE`.
    pub fn order_status(&self) -> &'static str {
        if self.all_done {
            "ALL_DONE"
        } else {
            "EXECUTING"
        }
    }

    /// The list status object of `orderList.status`, `openOrderLists.status` and `allOrderLists`;
    /// `orders` are its orders in list order. Replies to placement and cancellation add
    /// `orderReports` and their own `transactionTime`.
    pub fn to_json(&self, orders: &[&Order], transaction_time: i64) -> Value {
        let legs: Vec<Value> = orders
            .iter()
            .map(|o| json!({"symbol": o.symbol, "orderId": o.id, "clientOrderId": o.client_order_id}))
            .collect();
        json!({
            "orderListId": self.id,
            "contingencyType": self.contingency,
            "listStatusType": self.status_type(),
            "listOrderStatus": self.order_status(),
            "listClientOrderId": self.list_client_id,
            "transactionTime": transaction_time,
            "symbol": self.symbol,
            "orders": legs,
        })
    }

    /// The `listStatus` user-data event.
    pub fn event(&self, orders: &[&Order], now: i64) -> Value {
        let legs: Vec<Value> = orders
            .iter()
            .map(|o| json!({"s": o.symbol, "i": o.id, "c": o.client_order_id}))
            .collect();
        json!({
            "e": "listStatus",
            "E": now,
            "s": self.symbol,
            "g": self.id,
            "c": self.contingency,
            "l": self.status_type(),
            "L": self.order_status(),
            "r": "NONE",
            "C": self.list_client_id,
            "T": now,
            "O": legs,
        })
    }
}
