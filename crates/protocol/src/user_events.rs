//! User-data events, typed, with readable names for Binance's one-letter keys (which are
//! case-sensitive: `c` and `C`, `x` and `X` are different fields).

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::types::{OrderStatus, OrderType, Side, StpMode, TimeInForce};

/// A user-data event, decoded by its type `e`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum UserEvent {
    /// An order changed (`executionReport`).
    Execution(Box<ExecutionReport>),
    /// Balances changed (`outboundAccountPosition`).
    AccountPosition(AccountPosition),
    /// A deposit, withdrawal or transfer (`balanceUpdate`).
    BalanceUpdate(BalanceUpdate),
    /// An order list changed (`listStatus`).
    ListStatus(ListStatus),
    /// Funds were locked or released outside spot trading (`externalLockUpdate`).
    ExternalLockUpdate(BalanceUpdate),
    /// The subscription ended (`eventStreamTerminated`).
    StreamTerminated {
        /// Event time.
        event_time: i64,
    },
    /// A type this version does not know; read it with [`crate::UserDataEvent::raw`].
    Other(String),
}

/// `executionReport`: every change of an order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ExecutionReport {
    /// Event time.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Symbol.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Client order id (of the cancel request when the order was cancelled).
    #[serde(rename = "c")]
    pub client_order_id: String,
    /// Side.
    #[serde(rename = "S")]
    pub side: Side,
    /// Order type.
    #[serde(rename = "o")]
    pub order_type: OrderType,
    /// Time in force.
    #[serde(rename = "f")]
    pub time_in_force: TimeInForce,
    /// Order quantity.
    #[serde(rename = "q")]
    pub quantity: Decimal,
    /// Order price.
    #[serde(rename = "p")]
    pub price: Decimal,
    /// Stop price.
    #[serde(rename = "P")]
    pub stop_price: Decimal,
    /// Iceberg quantity.
    #[serde(rename = "F")]
    pub iceberg_qty: Decimal,
    /// Order list id (-1 for single orders).
    #[serde(rename = "g")]
    pub order_list_id: i64,
    /// The original client order id of a cancelled order (empty otherwise).
    #[serde(rename = "C")]
    pub orig_client_order_id: String,
    /// What happened: NEW, CANCELED, REPLACED, REJECTED, TRADE, EXPIRED, TRADE_PREVENTION.
    #[serde(rename = "x")]
    pub execution_type: String,
    /// The order's status after it.
    #[serde(rename = "X")]
    pub status: OrderStatus,
    /// Reject reason (`NONE` unless rejected).
    #[serde(rename = "r")]
    pub reject_reason: String,
    /// Order id.
    #[serde(rename = "i")]
    pub order_id: i64,
    /// Quantity of this fill.
    #[serde(rename = "l")]
    pub last_qty: Decimal,
    /// Filled so far.
    #[serde(rename = "z")]
    pub cumulative_qty: Decimal,
    /// Price of this fill.
    #[serde(rename = "L")]
    pub last_price: Decimal,
    /// Commission of this fill.
    #[serde(rename = "n")]
    pub commission: Decimal,
    /// Asset of the commission (`null` without a fill).
    #[serde(rename = "N")]
    pub commission_asset: Option<String>,
    /// Transaction time.
    #[serde(rename = "T")]
    pub transaction_time: i64,
    /// Trade id (-1 without a fill).
    #[serde(rename = "t")]
    pub trade_id: i64,
    /// Prevented match id (self-trade prevention).
    #[serde(rename = "v", default)]
    pub prevented_match_id: Option<i64>,
    /// Execution id.
    #[serde(rename = "I")]
    pub execution_id: i64,
    /// Whether the order is on the book.
    #[serde(rename = "w")]
    pub is_working: bool,
    /// Whether this fill was on the maker side.
    #[serde(rename = "m")]
    pub is_maker: bool,
    /// Order creation time.
    #[serde(rename = "O")]
    pub order_time: i64,
    /// Quote amount filled so far.
    #[serde(rename = "Z")]
    pub cumulative_quote_qty: Decimal,
    /// Quote amount of this fill.
    #[serde(rename = "Y")]
    pub last_quote_qty: Decimal,
    /// Quote order quantity.
    #[serde(rename = "Q")]
    pub quote_order_qty: Decimal,
    /// When the order started working on the book.
    #[serde(rename = "W", default)]
    pub working_time: Option<i64>,
    /// Self-trade prevention mode.
    #[serde(rename = "V")]
    pub stp_mode: StpMode,
    /// Trailing delta (trailing orders).
    #[serde(rename = "d", default)]
    pub trailing_delta: Option<i64>,
    /// Strategy id, if one was sent.
    #[serde(rename = "j", default)]
    pub strategy_id: Option<i64>,
    /// Strategy type, if one was sent.
    #[serde(rename = "J", default)]
    pub strategy_type: Option<i64>,
    /// Why the order expired, when it did.
    #[serde(rename = "eR", default)]
    pub expiry_reason: Option<String>,
}

/// One asset in `outboundAccountPosition`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct PositionBalance {
    /// Asset.
    #[serde(rename = "a")]
    pub asset: String,
    /// Free.
    #[serde(rename = "f")]
    pub free: Decimal,
    /// Locked.
    #[serde(rename = "l")]
    pub locked: Decimal,
}

/// `outboundAccountPosition`: the balances that changed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct AccountPosition {
    /// Event time.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Time of the last account update.
    #[serde(rename = "u")]
    pub last_update: i64,
    /// Changed balances.
    #[serde(rename = "B")]
    pub balances: Vec<PositionBalance>,
}

/// `balanceUpdate` and `externalLockUpdate`: one asset changed by `delta`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct BalanceUpdate {
    /// Event time.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Asset.
    #[serde(rename = "a")]
    pub asset: String,
    /// Change.
    #[serde(rename = "d")]
    pub delta: Decimal,
    /// When it happened.
    #[serde(rename = "T")]
    pub time: i64,
}

/// An order of a list in `listStatus`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ListOrder {
    /// Symbol.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Order id.
    #[serde(rename = "i")]
    pub order_id: i64,
    /// Client order id.
    #[serde(rename = "c")]
    pub client_order_id: String,
}

/// `listStatus`: an order list changed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ListStatus {
    /// Event time.
    #[serde(rename = "E")]
    pub event_time: i64,
    /// Symbol.
    #[serde(rename = "s")]
    pub symbol: String,
    /// Order list id.
    #[serde(rename = "g")]
    pub order_list_id: i64,
    /// Contingency type (`OCO`, `OTO`).
    #[serde(rename = "c")]
    pub contingency_type: String,
    /// List status type (`RESPONSE`, `EXEC_STARTED`, `ALL_DONE`, ...).
    #[serde(rename = "l")]
    pub list_status_type: String,
    /// List order status (`EXECUTING`, `ALL_DONE`, `REJECT`).
    #[serde(rename = "L")]
    pub list_order_status: String,
    /// Reject reason.
    #[serde(rename = "r")]
    pub reject_reason: String,
    /// List client order id.
    #[serde(rename = "C")]
    pub list_client_order_id: String,
    /// Transaction time.
    #[serde(rename = "T")]
    pub transaction_time: i64,
    /// The orders of the list.
    #[serde(rename = "O")]
    pub orders: Vec<ListOrder>,
}

#[derive(Deserialize)]
struct Terminated {
    #[serde(rename = "E")]
    event_time: i64,
}

impl UserEvent {
    /// Decodes an event object (the `event` of a frame) whose type is `event_type`.
    ///
    /// # Errors
    /// The serde error when a known event type does not have its documented shape.
    pub fn decode(event_type: &str, json: &str) -> Result<Self, serde_json::Error> {
        Ok(match event_type {
            "executionReport" => Self::Execution(Box::new(serde_json::from_str(json)?)),
            "outboundAccountPosition" => Self::AccountPosition(serde_json::from_str(json)?),
            "balanceUpdate" => Self::BalanceUpdate(serde_json::from_str(json)?),
            "externalLockUpdate" => Self::ExternalLockUpdate(serde_json::from_str(json)?),
            "listStatus" => Self::ListStatus(serde_json::from_str(json)?),
            "eventStreamTerminated" => {
                let t: Terminated = serde_json::from_str(json)?;
                Self::StreamTerminated {
                    event_time: t.event_time,
                }
            }
            other => Self::Other(other.to_owned()),
        })
    }
}
