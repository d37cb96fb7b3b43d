//! Conditional orders (stop-loss and take-profit, trailing or not), order lists (OCO, OTO,
//! OTOCO, OPO, OPOCO), self-trade prevention (records, DECREMENT) and SOR allocations.
//!
//! Stop prices are checked against every trade price, in the order trades happen. What a change
//! to one order of a list means for the others (an OCO leg filling expires the other leg, a
//! working order filling places the pending ones) is drawn in [`Exchange::settle`], after the
//! request's own matching, so that no book is changed while it is being walked.

use std::collections::{BTreeSet, HashMap};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use super::{Exchange, NewOrder, OrderRef};
use crate::accounts::AccountId;
use crate::book::Side;
use crate::errors::ApiErr;
use crate::lists::OrderList;
use crate::market::{fmt8, SymbolSpec};
use crate::orders::{Order, OrderType, Prevention, Status};

/// Smallest `trailingDelta` the TRAILING_DELTA filter allows (BIPS).
pub const MIN_TRAILING_DELTA: u32 = 10;
/// Largest `trailingDelta` the TRAILING_DELTA filter allows (BIPS).
pub const MAX_TRAILING_DELTA: u32 = 2000;

/// Work left for [`Exchange::settle`] after a list order changed.
#[derive(Debug, Clone, Copy)]
pub(super) enum ListWork {
    /// The order traded (partly or fully).
    Filled(u64),
    /// The order ended without filling completely (expired).
    Closed(u64),
}

/// The pending side of an OTO (or OPO) list.
#[derive(Debug, Clone)]
pub enum Pending {
    /// One pending order (OTO).
    One(NewOrder),
    /// An OCO pair (OTOCO): the leg above the market and the leg below.
    Pair {
        /// `pendingAbove*`.
        above: NewOrder,
        /// `pendingBelow*`.
        below: NewOrder,
    },
}

/// One fill of an SOR order, as `myAllocations` shows it.
#[derive(Debug, Clone)]
pub struct Allocation {
    /// Whose order.
    pub account: AccountId,
    /// Symbol.
    pub symbol: String,
    /// Allocation id.
    pub id: u64,
    /// The SOR order.
    pub order_id: u64,
    /// Price.
    pub price: Decimal,
    /// Quantity.
    pub qty: Decimal,
    /// Commission.
    pub commission: Decimal,
    /// Asset of the commission.
    pub commission_asset: String,
    /// When (ms).
    pub time: i64,
    /// Whether the order bought.
    pub is_buyer: bool,
    /// Whether the order was the maker.
    pub is_maker: bool,
}

impl Allocation {
    /// The `myAllocations` entry.
    pub fn to_json(&self) -> Value {
        json!({
            "symbol": self.symbol,
            "allocationId": self.id,
            "allocationType": "SOR",
            "orderId": self.order_id,
            "orderListId": -1,
            "price": fmt8(self.price),
            "qty": fmt8(self.qty),
            "quoteQty": fmt8(self.price * self.qty),
            "commission": fmt8(self.commission),
            "commissionAsset": self.commission_asset,
            "time": self.time,
            "isBuyer": self.is_buyer,
            "isMaker": self.is_maker,
            "isAllocator": false,
        })
    }
}

/// A match prevented by self-trade prevention, as `myPreventedMatches` shows it.
#[derive(Debug, Clone)]
pub struct PreventedMatch {
    /// Whose orders met.
    pub account: AccountId,
    /// Symbol.
    pub symbol: String,
    /// Id of the prevented match.
    pub id: u64,
    /// The incoming order.
    pub taker_order_id: u64,
    /// Quantity of the incoming order that was prevented (EXPIRE_TAKER, EXPIRE_BOTH, DECREMENT).
    pub taker_prevented_qty: Option<Decimal>,
    /// The resting order.
    pub maker_order_id: u64,
    /// Trade group id (-1: the account is in no trade group).
    pub trade_group_id: i64,
    /// The taker's STP mode.
    pub mode: &'static str,
    /// Price of the prevented match.
    pub price: Decimal,
    /// Quantity of the resting order that was prevented (EXPIRE_MAKER, EXPIRE_BOTH, DECREMENT).
    pub maker_prevented_qty: Option<Decimal>,
    /// When (ms).
    pub time: i64,
}

impl PreventedMatch {
    /// The `myPreventedMatches` entry.
    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "symbol": self.symbol,
            "preventedMatchId": self.id,
            "takerOrderId": self.taker_order_id,
            "makerSymbol": self.symbol,
            "makerOrderId": self.maker_order_id,
            "tradeGroupId": self.trade_group_id,
            "selfTradePreventionMode": self.mode,
            "price": fmt8(self.price),
        });
        if let Some(q) = self.taker_prevented_qty {
            v["takerPreventedQuantity"] = json!(fmt8(q));
        }
        if let Some(q) = self.maker_prevented_qty {
            v["makerPreventedQuantity"] = json!(fmt8(q));
        }
        v["transactTime"] = json!(self.time);
        v
    }
}

/// Checks `stopPrice` and `trailingDelta` against the order type and the symbol's filters.
///
/// # Errors
/// `-1102` neither sent for a conditional order, `-1106` sent for another type, `-1013`
/// PRICE_FILTER or TRAILING_DELTA.
pub(super) fn validate_stop(spec: &SymbolSpec, new: &NewOrder) -> Result<(), ApiErr> {
    if !new.order_type.is_conditional() {
        if new.stop_price.is_some() {
            return Err(ApiErr::not_required("stopPrice"));
        }
        if new.trailing_delta.is_some() {
            return Err(ApiErr::not_required("trailingDelta"));
        }
        return Ok(());
    }
    if new.stop_price.is_none() && new.trailing_delta.is_none() {
        return Err(ApiErr::one_of("stopPrice", "trailingDelta"));
    }
    if let Some(stop) = new.stop_price {
        if stop < spec.min_price || stop > spec.max_price || !(stop % spec.tick_size).is_zero() {
            return Err(ApiErr::filter("PRICE_FILTER"));
        }
    }
    if let Some(delta) = new.trailing_delta {
        if !(MIN_TRAILING_DELTA..=MAX_TRAILING_DELTA).contains(&delta) {
            return Err(ApiErr::filter("TRAILING_DELTA"));
        }
    }
    Ok(())
}

/// Whether a trade at `price` meets the stop condition of a `side` order of `order_type` with
/// stop price `stop` (see the trailing stop FAQ's table).
fn stop_condition(order_type: OrderType, side: Side, stop: Decimal, price: Decimal) -> bool {
    match (order_type.is_stop_loss(), side) {
        (true, Side::Sell) | (false, Side::Buy) => price <= stop,
        (true, Side::Buy) | (false, Side::Sell) => price >= stop,
    }
}

/// Binance's rules for the two legs of an OCO: leg types, which leg goes above and which below,
/// and (with the last price) the prices' relation to the market.
fn check_oco(above: &NewOrder, below: &NewOrder, last: Option<Decimal>) -> Result<(), ApiErr> {
    use OrderType::{LimitMaker, TakeProfit, TakeProfitLimit};
    let allowed = |t: OrderType| t.is_conditional() || t == LimitMaker;
    if !allowed(above.order_type) || !allowed(below.order_type) {
        return Err(ApiErr::new(-1158, "Order type not supported in OCO."));
    }
    if above.order_type == LimitMaker && below.order_type == LimitMaker {
        return Err(ApiErr::new(
            -1168,
            "At least one OCO order must be contingent.",
        ));
    }
    let take_profit = |t: OrderType| matches!(t, TakeProfit | TakeProfitLimit);
    match above.side {
        Side::Sell => {
            if above.order_type.is_stop_loss() {
                return Err(ApiErr::new(
                    -1197,
                    "A stop loss order in a sell OCO must be below.",
                ));
            }
            if below.order_type == LimitMaker {
                return Err(ApiErr::new(
                    -1166,
                    "A limit order in a sell OCO must be above.",
                ));
            }
            if take_profit(below.order_type) {
                return Err(ApiErr::new(
                    -1199,
                    "A take profit order in a sell OCO must be above.",
                ));
            }
        }
        Side::Buy => {
            if above.order_type == LimitMaker {
                return Err(ApiErr::new(
                    -1165,
                    "A limit order in a buy OCO must be below.",
                ));
            }
            if take_profit(above.order_type) {
                return Err(ApiErr::new(
                    -1198,
                    "A take profit order in a buy OCO must be below.",
                ));
            }
            if below.order_type.is_stop_loss() {
                return Err(ApiErr::new(
                    -1196,
                    "A stop loss order in a buy OCO must be above.",
                ));
            }
        }
    }
    if let Some(last) = last {
        let level = |o: &NewOrder| {
            if o.order_type == LimitMaker {
                o.price
            } else {
                o.stop_price
            }
        };
        if level(above).is_some_and(|p| p <= last) || level(below).is_some_and(|p| p >= last) {
            return Err(ApiErr::order_rejected(
                "The relationship of the prices for the orders is not correct.",
            ));
        }
    }
    Ok(())
}

/// How an OCO pair holds its one lock of `total`: on the leg that can trade at once (the one
/// that is not conditional), else on the first; a conditional leg takes the lock over from its
/// sibling when it triggers.
fn pair_locks(total: Decimal, types: [OrderType; 2]) -> [Decimal; 2] {
    if types[0].is_conditional() && !types[1].is_conditional() {
        [Decimal::ZERO, total]
    } else {
        [total, Decimal::ZERO]
    }
}

/// The two legs of an OCO pair in the order Binance lists them: the stop-loss leg first.
fn stop_first(above: NewOrder, below: NewOrder) -> [NewOrder; 2] {
    if below.order_type.is_stop_loss() {
        [below, above]
    } else {
        [above, below]
    }
}

impl Exchange {
    /// `-2010 Order would trigger immediately.` for a (non-trailing) conditional order whose stop
    /// condition the last price already meets.
    pub(super) fn check_trigger_now(&self, new: &NewOrder) -> Result<(), ApiErr> {
        if let (true, Some(stop), None) = (
            new.order_type.is_conditional(),
            new.stop_price,
            new.trailing_delta,
        ) {
            let last = self.last_price(&new.symbol);
            if stop_condition(new.order_type, new.side, stop, last) {
                return Err(ApiErr::order_rejected("Order would trigger immediately."));
            }
        }
        Ok(())
    }

    /// Notes that a list order traded (`filled`) or ended without filling, for [`Self::settle`].
    pub(super) fn note_list_change(&mut self, order: &Order, filled: bool) {
        if order.order_list_id.is_some() {
            self.list_work.push_back(if filled {
                ListWork::Filled(order.id)
            } else {
                ListWork::Closed(order.id)
            });
        }
    }

    /// Records a match that self-trade prevention stopped.
    pub(super) fn record_prevented(
        &mut self,
        taker: &Order,
        maker: &Order,
        price: Decimal,
        (taker_qty, maker_qty): (Option<Decimal>, Option<Decimal>),
        now: i64,
    ) -> u64 {
        let id = self.prevented.len() as u64 + 1;
        self.prevented.push(PreventedMatch {
            account: taker.account,
            symbol: taker.symbol.clone(),
            id,
            taker_order_id: taker.id,
            taker_prevented_qty: taker_qty,
            maker_order_id: maker.id,
            trade_group_id: -1,
            mode: taker.stp.as_str(),
            price,
            maker_prevented_qty: maker_qty,
            time: now,
        });
        id
    }

    /// STP DECREMENT (and TRANSFER within one account): `qty` is taken off both orders and what
    /// it held is unlocked; an order with nothing left expires. Returns whether the taker
    /// expired.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn decrement(
        &mut self,
        taker: &mut Order,
        maker: Order,
        (match_id, price, qty): (u64, Decimal, Decimal),
        spec: &SymbolSpec,
        now: i64,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) -> bool {
        let mut maker = maker;
        let ids = (taker.id, maker.id);
        for order in [&mut *taker, &mut maker] {
            order.prevented_qty += qty;
            order.prevention = Some(Prevention {
                match_id,
                counter_order_id: if order.id == ids.0 { ids.1 } else { ids.0 },
                qty,
                price,
            });
            order.update_time = now;
            let unlock = match order.side {
                Side::Sell => qty,
                Side::Buy if order.order_type.is_market_like() => Decimal::ZERO,
                Side::Buy => order.price * qty,
            }
            .min(order.locked);
            self.lock_funds(order, -unlock, touched);
        }
        if maker.remaining() <= Decimal::ZERO {
            maker.status = Status::ExpiredInMatch;
            self.books.entry(maker.symbol.clone()).or_default().remove(
                maker.side,
                maker.price,
                maker.id,
            );
            self.update_id += 1;
            self.release(&mut maker, spec, touched);
            self.note_list_change(&maker, false);
        }
        let report = maker.execution_report("TRADE_PREVENTION", None, now);
        self.emit(maker.account, &report);
        self.store(maker);
        if taker.remaining() <= Decimal::ZERO {
            // Reported with the rest of its expiry by `execute`.
            taker.status = Status::ExpiredInMatch;
            return true;
        }
        let report = taker.execution_report("TRADE_PREVENTION", None, now);
        self.emit(taker.account, &report);
        false
    }

    /// `account`'s SOR allocations on `symbol`, oldest first.
    pub fn allocations(&self, account: AccountId, symbol: &str) -> Vec<&Allocation> {
        self.allocations
            .iter()
            .filter(|a| a.account == account && a.symbol == symbol)
            .collect()
    }

    /// Whether order `id` was placed through SOR (its fills are allocations, not trades).
    pub fn is_sor_order(&self, id: u64) -> bool {
        self.orders.get(&id).is_some_and(|o| o.used_sor)
    }

    /// `account`'s prevented matches on `symbol`, oldest first.
    pub fn prevented_matches(&self, account: AccountId, symbol: &str) -> Vec<&PreventedMatch> {
        self.prevented
            .iter()
            .filter(|p| p.account == account && p.symbol == symbol)
            .collect()
    }

    /// Draws the consequences of the trades and list changes so far, until nothing is left:
    /// list legs are expired or placed, waiting orders meet their stop price and trade (which can
    /// trigger more).
    pub(super) fn settle(&mut self, now: i64) {
        // Every round handles one item; each item can only add a bounded number of trades.
        for _ in 0..100_000 {
            if let Some(work) = self.list_work.pop_front() {
                self.on_list_work(work, now);
            } else if let Some((symbol, price)) = self.price_queue.pop_front() {
                self.check_triggers(&symbol, price, now);
            } else {
                return;
            }
        }
    }

    /// What an order must hold locked while it works: its base quantity for sells, price times
    /// quantity for limit-priced buys, nothing for market-like buys (they pay from free funds).
    fn need_of(order: &Order) -> Decimal {
        match order.side {
            Side::Sell => order.remaining(),
            Side::Buy if order.order_type.is_market_like() => Decimal::ZERO,
            Side::Buy => order.price * order.remaining(),
        }
    }

    fn free_of(&self, order: &Order) -> Decimal {
        let Ok(spec) = self.market(&order.symbol) else {
            return Decimal::ZERO;
        };
        let asset = if order.side == Side::Buy {
            &spec.quote
        } else {
            &spec.base
        };
        self.accounts[order.account].balance(asset).free
    }

    fn check_triggers(&mut self, symbol: &str, price: Decimal, now: i64) {
        let ids: Vec<u64> = self
            .waiting
            .iter()
            .copied()
            .filter(|id| self.orders.get(id).is_some_and(|o| o.symbol == symbol))
            .collect();
        for id in ids {
            let Some(o) = self.orders.get_mut(&id) else {
                continue;
            };
            if o.status != Status::New || o.working_time.is_some() {
                continue;
            }
            let fire = match (o.trailing_delta, o.trailing) {
                (None, _) => o
                    .stop_price
                    .is_some_and(|stop| stop_condition(o.order_type, o.side, stop, price)),
                (Some(_), None) => {
                    // Tracking starts with the first trade that meets the stop price.
                    if o.stop_price
                        .is_some_and(|stop| stop_condition(o.order_type, o.side, stop, price))
                    {
                        o.trailing = Some((price, now));
                    }
                    false
                }
                (Some(delta), Some((best, since))) => {
                    let delta = Decimal::from(delta) / Decimal::from(10_000);
                    match o.side {
                        Side::Sell => {
                            let best = best.max(price);
                            o.trailing = Some((best, since));
                            price <= best * (Decimal::ONE - delta)
                        }
                        Side::Buy => {
                            let best = best.min(price);
                            o.trailing = Some((best, since));
                            price >= best * (Decimal::ONE + delta)
                        }
                    }
                }
            };
            if fire {
                self.trigger(id, now);
            }
        }
    }

    /// Ends an open (or pending) order as EXPIRED for `reason` (its `expiryReason`), with its
    /// report. With `keep_lock` what it
    /// holds stays locked and is returned, for the OCO leg that takes over; otherwise it is given
    /// back.
    fn expire_leg(
        &mut self,
        id: u64,
        now: i64,
        reason: &'static str,
        keep_lock: bool,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) -> Decimal {
        let Some(mut order) = self.orders.get(&id).cloned() else {
            return Decimal::ZERO;
        };
        if !order.status.is_open() {
            return Decimal::ZERO;
        }
        let Ok(spec) = self.market(&order.symbol).cloned() else {
            return Decimal::ZERO;
        };
        order.status = Status::Expired;
        order.expiry_reason = Some(reason);
        order.update_time = now;
        self.books.entry(order.symbol.clone()).or_default().remove(
            order.side,
            order.price,
            order.id,
        );
        self.update_id += 1;
        let kept = if keep_lock {
            std::mem::take(&mut order.locked)
        } else {
            self.release(&mut order, &spec, touched);
            Decimal::ZERO
        };
        let report = order.execution_report("EXPIRED", None, now);
        self.emit(order.account, &report);
        self.store(order);
        kept
    }

    /// A waiting order's stop condition is met: the other leg of its OCO expires (handing over
    /// its lock), the order reports `NEW` again, now working, and trades as a market or limit
    /// order.
    fn trigger(&mut self, id: u64, now: i64) {
        let Some(mut order) = self.orders.get(&id).cloned() else {
            return;
        };
        let Ok(spec) = self.market(&order.symbol).cloned() else {
            return;
        };
        let mut touched: HashMap<AccountId, BTreeSet<String>> = HashMap::new();
        let list_id = order.order_list_id;
        if let Some(sibling) = list_id
            .and_then(|l| self.lists.get(&l))
            .and_then(|l| l.oco_sibling(id))
        {
            order.locked += self.expire_leg(sibling, now, "OCO_TRIGGER", true, &mut touched);
        }
        let need = Self::need_of(&order);
        let short = need - order.locked;
        let free = self.free_of(&order);
        let affordable = if order.side == Side::Buy && order.order_type.is_market_like() {
            free + order.locked >= self.market_cost(&order.symbol, Side::Buy, order.remaining())
        } else {
            short <= free
        };
        if !affordable {
            // It can no longer be paid for.
            order.status = Status::Expired;
            order.expiry_reason = Some("REJECTED");
            order.update_time = now;
            self.release(&mut order, &spec, &mut touched);
            let report = order.execution_report("EXPIRED", None, now);
            self.emit(order.account, &report);
            self.note_list_change(&order, false);
            self.store(order);
        } else {
            self.lock_funds(&mut order, short, &mut touched);
            order.working_time = Some(now);
            order.update_time = now;
            let report = order.execution_report("NEW", None, now);
            self.emit(order.account, &report);
            self.execute(&mut order, &spec, now, &mut touched);
            self.store(order);
        }
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        if let Some(list_id) = list_id {
            self.refresh_list(list_id, now);
        }
    }

    fn on_list_work(&mut self, work: ListWork, now: i64) {
        let (ListWork::Filled(id) | ListWork::Closed(id)) = work;
        let Some(order) = self.orders.get(&id) else {
            return;
        };
        let status = order.status;
        let Some(list) = order
            .order_list_id
            .and_then(|l| self.lists.get(&l))
            .cloned()
        else {
            return;
        };
        let mut touched: HashMap<AccountId, BTreeSet<String>> = HashMap::new();
        if let Some(sibling) = list.oco_sibling(id) {
            let sibling_working = self
                .orders
                .get(&sibling)
                .is_some_and(|o| o.status.is_open() && o.status != Status::PendingNew);
            if sibling_working {
                self.expire_leg(sibling, now, "OCO_TRIGGER", false, &mut touched);
            }
            // The pair's lock may exceed what this leg still needs.
            if let Some(mut order) = self.orders.get(&id).cloned() {
                let excess = order.locked - Self::need_of(&order);
                if order.status.is_open() && excess > Decimal::ZERO {
                    self.lock_funds(&mut order, -excess, &mut touched);
                    self.store(order);
                }
            }
        }
        if list.working == Some(id) {
            match work {
                ListWork::Filled(_) if status == Status::Filled => {
                    self.activate_pending(&list, now, &mut touched);
                }
                ListWork::Filled(_) => {}
                ListWork::Closed(_) => {
                    for pending in &list.pending {
                        self.expire_leg(
                            *pending,
                            now,
                            "OTO_PHASE_ONE_EXPIRED",
                            false,
                            &mut touched,
                        );
                    }
                }
            }
        }
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        self.refresh_list(list.id, now);
    }

    /// The working order of an OTO list filled: its pending orders are placed, locking what they
    /// need then (an OCO pair shares one lock, as at placement). When they cannot be paid for, or
    /// a LIMIT_MAKER would take, they expire.
    fn activate_pending(
        &mut self,
        list: &OrderList,
        now: i64,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        let Ok(spec) = self.market(&list.symbol).cloned() else {
            return;
        };
        let mut conditional = false;
        // One-pays-the-other: the pending orders sell what the working order bought, after
        // commission, rounded down to the LOT_SIZE step.
        let received = list
            .working
            .filter(|_| list.opo)
            .and_then(|w| self.orders.get(&w))
            .map(|w| {
                let commission: Decimal = w
                    .fills
                    .iter()
                    .filter(|f| f.commission_asset == spec.base)
                    .map(|f| f.commission)
                    .sum();
                spec.floor_qty(w.executed_qty - commission)
            });
        let mut legs: Vec<Order> = Vec::new();
        for id in &list.pending {
            let Some(mut order) = self.orders.get(id).cloned() else {
                continue;
            };
            if order.status != Status::PendingNew {
                continue;
            }
            if let Some(qty) = received {
                order.orig_qty = qty;
                self.store(order.clone());
                if spec.check_qty(qty).is_err() {
                    self.expire_leg(*id, now, "REJECTED", false, touched);
                    continue;
                }
            }
            legs.push(order);
        }
        // An OCO pair holds one lock, as at placement.
        let needs: Vec<Decimal> = legs.iter().map(Self::need_of).collect();
        let total = needs.iter().copied().max().unwrap_or_default();
        let locks: Vec<Decimal> = match legs.as_slice() {
            [a, b] => pair_locks(total, [a.order_type, b.order_type]).to_vec(),
            _ => needs,
        };
        let would_take = |ex: &Self, order: &Order| {
            order.order_type == OrderType::LimitMaker && {
                let (bid, ask) = ex.books[&order.symbol].best();
                match order.side {
                    Side::Buy => ask.is_some_and(|a| order.price >= a),
                    Side::Sell => bid.is_some_and(|b| order.price <= b),
                }
            }
        };
        let market_cost: Decimal = legs
            .iter()
            .filter(|o| o.order_type == OrderType::Market && o.side == Side::Buy)
            .map(|o| self.market_cost(&o.symbol, Side::Buy, o.orig_qty))
            .sum();
        let affordable = legs.first().is_none_or(|o| {
            let free = self.free_of(o);
            free >= total && free >= market_cost
        });
        if !affordable || legs.iter().any(|o| would_take(self, o)) {
            for order in &legs {
                self.expire_leg(order.id, now, "REJECTED", false, touched);
            }
            return;
        }
        for (mut order, lock) in legs.into_iter().zip(locks) {
            order.status = Status::New;
            order.update_time = now;
            order.locked = lock;
            conditional |= order.order_type.is_conditional();
            self.start(&mut order, &spec, now, touched);
            self.store(order);
        }
        if conditional {
            // A pending stop whose price the market already passed triggers at once.
            let last = self.last_price(&list.symbol);
            self.price_queue.push_back((list.symbol.clone(), last));
        }
    }

    /// Recomputes whether a list is done and sends its `listStatus` event.
    fn refresh_list(&mut self, list_id: u64, now: i64) {
        let Some(list) = self.lists.get(&list_id) else {
            return;
        };
        let done = list
            .order_ids
            .iter()
            .all(|id| self.orders.get(id).is_none_or(|o| !o.status.is_open()));
        let account = list.account;
        if let Some(list) = self.lists.get_mut(&list_id) {
            list.all_done = done;
        }
        let list = &self.lists[&list_id];
        let orders = self.list_orders(list);
        let event = list.event(&orders, now);
        self.emit(account, &event);
    }

    /// Sends a list's `listStatus` with `l` = `UPDATED` (an order of it was renamed by an amend).
    pub(super) fn list_updated(&mut self, list_id: u64, now: i64) {
        let Some(list) = self.lists.get(&list_id) else {
            return;
        };
        let mut event = list.event(&self.list_orders(list), now);
        event["l"] = json!("UPDATED");
        let account = list.account;
        self.emit(account, &event);
    }

    /// The orders of `list`, in list order.
    pub fn list_orders(&self, list: &OrderList) -> Vec<&Order> {
        list.order_ids
            .iter()
            .filter_map(|id| self.orders.get(id))
            .collect()
    }

    /// Cancels every open order of a list, all under one cancel client id.
    pub(super) fn cancel_list_legs(&mut self, list_id: u64, cancel_id: Option<String>, now: i64) {
        let Some(list) = self.lists.get(&list_id).cloned() else {
            return;
        };
        let cancel_id = cancel_id.unwrap_or_else(|| self.generate_client_id());
        for id in &list.order_ids {
            self.cancel_one(*id, cancel_id.clone(), now);
        }
        self.refresh_list(list_id, now);
    }

    fn check_list_client_id(&self, account: AccountId, id: Option<&str>) -> Result<(), ApiErr> {
        if let Some(id) = id {
            let open = self
                .list_client_index
                .get(&(account, id.to_owned()))
                .and_then(|l| self.lists.get(l))
                .is_some_and(|l| !l.all_done);
            if open {
                return Err(ApiErr::order_rejected("Duplicate order sent."));
            }
        }
        Ok(())
    }

    fn new_list(
        &mut self,
        account: AccountId,
        symbol: &str,
        contingency: &'static str,
        list_client_id: Option<String>,
        now: i64,
    ) -> OrderList {
        let id = self.next_list_id;
        self.next_list_id += 1;
        let list_client_id = list_client_id.unwrap_or_else(|| self.generate_client_id());
        OrderList {
            id,
            account,
            symbol: symbol.to_owned(),
            contingency,
            list_client_id,
            transaction_time: now,
            order_ids: Vec::new(),
            working: None,
            pending: Vec::new(),
            oco: None,
            all_done: false,
            opo: false,
        }
    }

    fn keep_list(&mut self, list: OrderList) {
        self.list_client_index
            .insert((list.account, list.list_client_id.clone()), list.id);
        self.lists.insert(list.id, list);
    }

    /// Places an OCO list (`orderList.place.oco`, and the legacy `orderList.place`): `above` and
    /// `below` on the same side. The pair locks what the more demanding leg needs, once.
    /// Returns the list and its orders as placed.
    ///
    /// # Errors
    /// The legs' own errors as for `order.place`, OCO rule errors (`-1158`, `-1165`…`-1199`,
    /// `-1168`), `-2010` for prices on the wrong side of the market, insufficient balance or a
    /// duplicate list client id.
    pub fn place_oco(
        &mut self,
        account: AccountId,
        list_client_id: Option<String>,
        above: NewOrder,
        below: NewOrder,
        now: i64,
    ) -> Result<(OrderList, Vec<Order>), ApiErr> {
        let spec = self.market(&above.symbol)?.clone();
        self.check_list_client_id(account, list_client_id.as_deref())?;
        check_oco(&above, &below, None)?;
        let qty_above = self.validate(account, &above)?;
        self.validate(account, &below)?;
        check_oco(&above, &below, Some(self.last_price(&spec.symbol)))?;
        let legs = stop_first(above, below);
        for leg in &legs {
            self.check_maker(leg)?;
        }
        if let (Some(a), Some(b)) = (&legs[0].client_order_id, &legs[1].client_order_id) {
            if a == b {
                return Err(ApiErr::order_rejected("Duplicate order sent."));
            }
        }
        let first = self.lock_needed(account, &legs[0], qty_above, Decimal::ZERO)?;
        let second = self.lock_needed(account, &legs[1], qty_above, Decimal::ZERO)?;
        let total = first.max(second);
        self.lock_needed(account, &legs[1], qty_above, total - second)?;
        let locks = pair_locks(total, [&legs[0], &legs[1]].map(|l| l.order_type));
        let mut list = self.new_list(account, &spec.symbol, "OCO", list_client_id, now);
        let mut orders: Vec<Order> = legs
            .iter()
            .zip(locks)
            .map(|(leg, lock)| {
                let mut o = self.new_order(account, leg, qty_above, lock, now);
                o.order_list_id = Some(list.id);
                o
            })
            .collect();
        list.order_ids = orders.iter().map(|o| o.id).collect();
        list.oco = Some((orders[0].id, orders[1].id));
        self.keep_list(list);
        let mut touched: HashMap<AccountId, BTreeSet<String>> = HashMap::new();
        for order in &mut orders {
            self.start(order, &spec, now, &mut touched);
            self.store(order.clone());
        }
        let list_id = orders[0].order_list_id.unwrap_or_default();
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        self.refresh_list(list_id, now);
        let list = self.lists[&list_id].clone();
        self.settle(now);
        self.replenish(&spec.symbol, now);
        Ok((list, orders))
    }

    /// Places an OTO or OTOCO list: a LIMIT or LIMIT_MAKER working order now, the pending order(s)
    /// when it has filled. Returns the list and its orders as placed (pending ones `PENDING_NEW`
    /// even when the working order filled at once, as Binance shows them).
    ///
    /// # Errors
    /// As [`Self::place_oco`], and `-1116` for a working order of another type. With `opo`
    /// (`orderList.place.opo`/`opoco`) the pending orders' quantity is what the working order
    /// receives; `-1222` unless the working order buys, `-1223` unless the pending ones sell.
    pub fn place_oto(
        &mut self,
        account: AccountId,
        list_client_id: Option<String>,
        working: NewOrder,
        pending: Pending,
        opo: bool,
        now: i64,
    ) -> Result<(OrderList, Vec<Order>), ApiErr> {
        let spec = self.market(&working.symbol)?.clone();
        self.check_list_client_id(account, list_client_id.as_deref())?;
        if !matches!(working.order_type, OrderType::Limit | OrderType::LimitMaker) {
            return Err(ApiErr::invalid_order_type());
        }
        if opo && working.side != Side::Buy {
            return Err(ApiErr::new(
                -1222,
                "Working order in an OPO list must be a bid.",
            ));
        }
        let working_qty = self.validate(account, &working)?;
        let pending: Vec<NewOrder> = match pending {
            Pending::One(order) => vec![order],
            Pending::Pair { above, below } => {
                check_oco(&above, &below, None)?;
                stop_first(above, below).into()
            }
        };
        let mut pending_qty = Vec::new();
        for leg in &pending {
            if opo && leg.side != Side::Sell {
                return Err(ApiErr::new(
                    -1223,
                    "Pending orders in an OPO list must be asks.",
                ));
            }
            if leg.order_type == OrderType::Market && leg.quote_qty.is_some() {
                return Err(ApiErr::not_required("pendingQuoteOrderQty"));
            }
            // An OPO pending order has no quantity until the working order fills; its other
            // parameters are checked with the working quantity.
            let mut probe = leg.clone();
            if opo {
                probe.quantity = Some(working_qty);
            }
            let qty = self.validate(account, &probe)?;
            pending_qty.push(if opo { Decimal::ZERO } else { qty });
        }
        self.check_maker(&working)?;
        let lock = self.lock_needed(account, &working, working_qty, Decimal::ZERO)?;
        let mut list = self.new_list(account, &spec.symbol, "OTO", list_client_id, now);
        let mut work = self.new_order(account, &working, working_qty, lock, now);
        work.order_list_id = Some(list.id);
        let mut waiting: Vec<Order> = pending
            .iter()
            .zip(pending_qty)
            .map(|(leg, qty)| {
                let mut o = self.new_order(account, leg, qty, Decimal::ZERO, now);
                o.order_list_id = Some(list.id);
                o.status = Status::PendingNew;
                o.working_time = None;
                o
            })
            .collect();
        list.working = Some(work.id);
        list.opo = opo;
        list.pending = waiting.iter().map(|o| o.id).collect();
        list.order_ids = std::iter::once(work.id)
            .chain(list.pending.clone())
            .collect();
        if let [a, b] = waiting.as_slice() {
            list.oco = Some((a.id, b.id));
        }
        let list_id = list.id;
        self.keep_list(list);
        let mut touched: HashMap<AccountId, BTreeSet<String>> = HashMap::new();
        self.start(&mut work, &spec, now, &mut touched);
        for order in &mut waiting {
            let report = order.execution_report("NEW", None, now);
            self.emit(account, &report);
            self.store(order.clone());
        }
        self.store(work.clone());
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        self.refresh_list(list_id, now);
        let list = self.lists[&list_id].clone();
        self.settle(now);
        self.replenish(&spec.symbol, now);
        Ok((list, std::iter::once(work).chain(waiting).collect()))
    }

    /// Finds one of `account`'s order lists.
    ///
    /// # Errors
    /// `-2013 Order list does not exist.`
    pub fn find_list(&self, account: AccountId, by: &OrderRef) -> Result<&OrderList, ApiErr> {
        let id = match by {
            OrderRef::Id(id) => Some(*id),
            OrderRef::Client(c) => self.list_client_index.get(&(account, c.clone())).copied(),
        };
        id.and_then(|id| self.lists.get(&id))
            .filter(|l| l.account == account)
            .ok_or_else(|| ApiErr::new(-2013, "Order list does not exist."))
    }

    /// Cancels an open order list (`orderList.cancel`), renaming it `new_list_client_id` (or a
    /// generated id). Returns the list and its orders after the cancel.
    ///
    /// # Errors
    /// `-2011 Unknown order sent.` when the list does not exist or is done.
    pub fn cancel_list(
        &mut self,
        account: AccountId,
        symbol: &str,
        by: &OrderRef,
        new_list_client_id: Option<String>,
        now: i64,
    ) -> Result<(OrderList, Vec<Order>), ApiErr> {
        self.market(symbol)?;
        let unknown = || ApiErr::cancel_rejected("Unknown order sent.");
        let list = self
            .find_list(account, by)
            .ok()
            .filter(|l| l.symbol == symbol && !l.all_done)
            .cloned()
            .ok_or_else(unknown)?;
        let new_id = new_list_client_id.unwrap_or_else(|| self.generate_client_id());
        if let Some(l) = self.lists.get_mut(&list.id) {
            l.list_client_id = new_id.clone();
        }
        self.list_client_index.insert((account, new_id), list.id);
        self.cancel_list_legs(list.id, None, now);
        let list = self.lists[&list.id].clone();
        let orders = self.list_orders(&list).into_iter().cloned().collect();
        Ok((list, orders))
    }

    /// `account`'s order lists, oldest first; only those still executing with `open_only`.
    pub fn order_lists(&self, account: AccountId, open_only: bool) -> Vec<&OrderList> {
        self.lists
            .values()
            .filter(|l| l.account == account && !(open_only && l.all_done))
            .collect()
    }

    /// The list an order belongs to.
    pub fn list(&self, id: u64) -> Option<&OrderList> {
        self.lists.get(&id)
    }
}
