//! The exchange shared by all connections: accounts, keys, order books, matching, and the user-data
//! events that follow every change.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::accounts::{Account, AccountId, AccountsError, AccountsFile, ApiKey, KeyCheck};
use crate::book::{Book, Side};
use crate::errors::ApiErr;
use crate::lists::OrderList;
use crate::market::{fmt8, SymbolSpec};
use crate::orders::{Fill, Order, OrderType, Prevention, Status, Stp, Tif};
use crate::trades::TradeRecord;

mod contingent;

pub use contingent::{Allocation, Pending, PreventedMatch, MAX_TRAILING_DELTA, MIN_TRAILING_DELTA};

/// A connection, as the exchange knows it (for routing user-data events).
pub type ConnId = u64;

/// A new order as requested, already read from the parameters.
#[derive(Debug, Clone)]
pub struct NewOrder {
    /// Symbol.
    pub symbol: String,
    /// Side.
    pub side: Side,
    /// Type.
    pub order_type: OrderType,
    /// Time in force (limit orders).
    pub tif: Option<Tif>,
    /// Limit price.
    pub price: Option<Decimal>,
    /// Base quantity.
    pub quantity: Option<Decimal>,
    /// Quote quantity (market orders).
    pub quote_qty: Option<Decimal>,
    /// Client order id.
    pub client_order_id: Option<String>,
    /// Self-trade prevention mode.
    pub stp: Option<Stp>,
    /// Stop (or take-profit) price, for conditional orders.
    pub stop_price: Option<Decimal>,
    /// Trailing delta in BIPS, for trailing stop orders.
    pub trailing_delta: Option<u32>,
    /// Placed through SOR: fills are reported as allocations.
    pub sor: bool,
    /// `strategyId`, echoed back.
    pub strategy_id: Option<i64>,
    /// `strategyType`, echoed back.
    pub strategy_type: Option<i64>,
}

/// How a resting order is named in a cancel or query.
#[derive(Debug, Clone)]
pub enum OrderRef {
    /// By exchange id.
    Id(u64),
    /// By client order id.
    Client(String),
}

#[derive(Debug, Clone)]
struct Subscription {
    conn: ConnId,
    id: u64,
    account: AccountId,
}

/// All shared state.
#[derive(Debug)]
pub struct Exchange {
    markets: Vec<SymbolSpec>,
    books: HashMap<String, Book>,
    orders: HashMap<u64, Order>,
    accounts: Vec<Account>,
    keys: HashMap<String, ApiKey>,
    next_order_id: u64,
    next_trade_id: u64,
    subscriptions: Vec<Subscription>,
    outbox: Vec<(ConnId, String)>,
    fee: Decimal,
    market_maker: AccountId,
    rng: u64,
    last_prices: HashMap<String, Decimal>,
    update_id: u64,
    trades: HashMap<String, Vec<TradeRecord>>,
    /// Open order ids per account.
    open_index: HashMap<AccountId, BTreeSet<u64>>,
    /// The latest order id per (account, symbol, client order id).
    client_index: HashMap<(AccountId, String, String), u64>,
    amendments: Vec<Amendment>,
    /// Accounts whose orders got their first fill since the last `take_first_fills`.
    first_fills: Vec<AccountId>,
    /// Conditional orders waiting for their stop price.
    waiting: BTreeSet<u64>,
    /// Trade prices not yet checked against waiting conditional orders.
    price_queue: VecDeque<(String, Decimal)>,
    /// Order lists by id.
    lists: BTreeMap<u64, OrderList>,
    next_list_id: u64,
    /// The latest list id per (account, list client order id).
    list_client_index: HashMap<(AccountId, String), u64>,
    /// Changes to list orders whose consequences (the other legs) are still to be drawn.
    list_work: VecDeque<contingent::ListWork>,
    /// Matches prevented by self-trade prevention.
    prevented: Vec<PreventedMatch>,
    /// Fills of SOR orders, as `myAllocations` reports them.
    allocations: Vec<Allocation>,
}

/// One `order.amend.keepPriority`, as `order.amendments` reports it.
#[derive(Debug, Clone)]
pub struct Amendment {
    /// Whose order.
    pub account: AccountId,
    /// Symbol.
    pub symbol: String,
    /// Order id.
    pub order_id: u64,
    /// Execution id of the amendment.
    pub execution_id: u64,
    /// Client order id before.
    pub orig_client_order_id: String,
    /// Client order id after.
    pub new_client_order_id: String,
    /// Quantity before.
    pub orig_qty: Decimal,
    /// Quantity after.
    pub new_qty: Decimal,
    /// When (ms).
    pub time: i64,
}

/// Trades kept per symbol for market data and `myTrades`; older ones are forgotten.
const MAX_TRADES_PER_SYMBOL: usize = 100_000;

const LADDER_LEVELS: i64 = 20;

impl Exchange {
    /// An exchange with `markets`, the accounts of `accounts`, and a market maker quoting around
    /// each market's mid price. `seed` makes generated ids deterministic.
    ///
    /// # Errors
    /// [`AccountsError`] when the accounts cannot be used.
    pub fn new(
        markets: Vec<SymbolSpec>,
        accounts: &AccountsFile,
        seed: u64,
        now: i64,
    ) -> Result<Self, AccountsError> {
        let mut maker = Account {
            name: "market-maker".into(),
            balances: Default::default(),
            uid: 1,
            update_time: now,
        };
        for m in &markets {
            maker.balance_mut(&m.base).free = Decimal::from(1_000_000_000);
            maker.balance_mut(&m.quote).free = Decimal::from(1_000_000_000);
        }
        let mut ex = Self {
            books: markets
                .iter()
                .map(|m| (m.symbol.clone(), Book::default()))
                .collect(),
            markets,
            orders: HashMap::new(),
            accounts: vec![maker],
            keys: HashMap::new(),
            next_order_id: 1,
            next_trade_id: 1,
            subscriptions: Vec::new(),
            outbox: Vec::new(),
            fee: Decimal::new(1, 3),
            market_maker: 0,
            rng: seed,
            last_prices: HashMap::new(),
            update_id: 1,
            trades: HashMap::new(),
            open_index: HashMap::new(),
            client_index: HashMap::new(),
            amendments: Vec::new(),
            first_fills: Vec::new(),
            waiting: BTreeSet::new(),
            price_queue: VecDeque::new(),
            lists: BTreeMap::new(),
            next_list_id: 1,
            list_client_index: HashMap::new(),
            list_work: VecDeque::new(),
            prevented: Vec::new(),
            allocations: Vec::new(),
        };
        for spec in &accounts.accounts {
            if ex.accounts.iter().any(|a| a.name == spec.name) {
                return Err(AccountsError::DuplicateAccount(spec.name.clone()));
            }
            let id = ex.accounts.len();
            let mut account = Account {
                name: spec.name.clone(),
                balances: Default::default(),
                uid: 354_937_868 + id as u64,
                update_time: now,
            };
            for (asset, amount) in &spec.balances {
                account.balance_mut(asset).free = *amount;
            }
            ex.accounts.push(account);
            for key in &spec.api_keys {
                if ex.keys.contains_key(&key.api_key) {
                    return Err(AccountsError::DuplicateKey(key.api_key.clone()));
                }
                let check = key.check()?;
                ex.keys.insert(
                    key.api_key.clone(),
                    ApiKey {
                        api_key: key.api_key.clone(),
                        check,
                        account: id,
                    },
                );
            }
        }
        let symbols: Vec<String> = ex.markets.iter().map(|m| m.symbol.clone()).collect();
        for symbol in symbols {
            ex.replenish(&symbol, now);
        }
        ex.outbox.clear();
        Ok(ex)
    }

    /// The markets.
    pub fn markets(&self) -> &[SymbolSpec] {
        &self.markets
    }

    /// The market called `symbol`.
    ///
    /// # Errors
    /// `-1121 Invalid symbol.`
    pub fn market(&self, symbol: &str) -> Result<&SymbolSpec, ApiErr> {
        self.markets
            .iter()
            .find(|m| m.symbol == symbol)
            .ok_or_else(ApiErr::bad_symbol)
    }

    /// The price of the last trade, or the mid price before any trade.
    pub fn last_price(&self, symbol: &str) -> Decimal {
        self.last_prices
            .get(symbol)
            .copied()
            .or_else(|| self.market(symbol).ok().map(|m| m.mid_price))
            .unwrap_or_default()
    }

    /// A counter that moves with every change to any book.
    pub fn last_update_id(&self) -> u64 {
        self.update_id
    }

    /// Price levels of one side of a book with their total open quantity, best first.
    pub fn depth(&self, symbol: &str, side: Side) -> Vec<(Decimal, Decimal)> {
        let Some(book) = self.books.get(symbol) else {
            return Vec::new();
        };
        book.levels(side)
            .into_iter()
            .map(|(price, ids)| {
                let qty = ids
                    .iter()
                    .filter_map(|id| self.orders.get(id))
                    .map(Order::remaining)
                    .sum();
                (price, qty)
            })
            .collect()
    }

    /// The key `api_key`, if registered.
    pub fn key(&self, api_key: &str) -> Option<&ApiKey> {
        self.keys.get(api_key)
    }

    /// The signature check of `api_key`.
    pub fn key_check(&self, api_key: &str) -> Option<(&KeyCheck, AccountId)> {
        self.keys.get(api_key).map(|k| (&k.check, k.account))
    }

    /// An account.
    pub fn account(&self, id: AccountId) -> &Account {
        &self.accounts[id]
    }

    /// Every account, the market maker included; an account's [`AccountId`] is its index.
    pub fn accounts(&self) -> &[Account] {
        &self.accounts
    }

    /// Frames for connections produced since the last call: `(connection, text)`.
    pub fn take_outbox(&mut self) -> Vec<(ConnId, String)> {
        std::mem::take(&mut self.outbox)
    }

    // ---- user data subscriptions -----------------------------------------------------------

    /// Subscribes `conn` to `account`'s events under subscription `id`.
    pub fn subscribe(&mut self, conn: ConnId, id: u64, account: AccountId) {
        self.subscriptions.push(Subscription { conn, id, account });
    }

    /// Whether `conn` already has a subscription for `account`.
    pub fn is_subscribed(&self, conn: ConnId, account: AccountId) -> bool {
        self.subscriptions
            .iter()
            .any(|s| s.conn == conn && s.account == account)
    }

    /// Ends subscriptions of `conn` (all, or the one with `id`), each with an
    /// `eventStreamTerminated` event. Returns how many ended.
    pub fn unsubscribe(&mut self, conn: ConnId, id: Option<u64>, now: i64) -> usize {
        let (gone, kept): (Vec<_>, Vec<_>) = std::mem::take(&mut self.subscriptions)
            .into_iter()
            .partition(|s| s.conn == conn && id.is_none_or(|i| i == s.id));
        self.subscriptions = kept;
        for s in &gone {
            let frame =
                json!({"subscriptionId": s.id, "event": {"e": "eventStreamTerminated", "E": now}});
            self.outbox.push((s.conn, frame.to_string()));
        }
        gone.len()
    }

    /// Drops every subscription of a closed connection, silently.
    pub fn forget_connection(&mut self, conn: ConnId) {
        self.subscriptions.retain(|s| s.conn != conn);
    }

    /// Subscription ids of `conn`.
    pub fn subscriptions_of(&self, conn: ConnId) -> Vec<u64> {
        self.subscriptions
            .iter()
            .filter(|s| s.conn == conn)
            .map(|s| s.id)
            .collect()
    }

    fn emit(&mut self, account: AccountId, event: &Value) {
        for s in self.subscriptions.iter().filter(|s| s.account == account) {
            let frame = json!({"subscriptionId": s.id, "event": event});
            self.outbox.push((s.conn, frame.to_string()));
        }
    }

    fn emit_positions(&mut self, account: AccountId, assets: &BTreeSet<String>, now: i64) {
        if assets.is_empty() {
            return;
        }
        let acct = &mut self.accounts[account];
        acct.update_time = now;
        let balances: Vec<Value> = assets
            .iter()
            .map(|a| {
                let b = acct.balance(a);
                json!({"a": a, "f": fmt8(b.free), "l": fmt8(b.locked)})
            })
            .collect();
        let event = json!({"e": "outboundAccountPosition", "E": now, "u": now, "B": balances});
        self.emit(account, &event);
    }

    // ---- orders ------------------------------------------------------------------------

    fn generate_client_id(&mut self) -> String {
        const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        let mut out = String::with_capacity(22);
        for _ in 0..22 {
            self.rng = self.rng.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.rng;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            out.push(char::from(ALPHABET[((z ^ (z >> 31)) % 62) as usize]));
        }
        out
    }

    /// Checks a new order like `order.test` does, without placing it.
    ///
    /// # Errors
    /// The error `order.place` would give before matching.
    pub fn test_order(&self, account: AccountId, new: &NewOrder) -> Result<(), ApiErr> {
        self.validate(account, new).map(|_| ())
    }

    /// Validates a new order; returns its quantity (0 for a market order by quote quantity).
    fn validate(&self, account: AccountId, new: &NewOrder) -> Result<Decimal, ApiErr> {
        let spec = self.market(&new.symbol)?;
        let reference = spec.mid_price;
        let qty = match (new.order_type, new.quantity, new.quote_qty) {
            (OrderType::Market, Some(_), Some(_)) => {
                return Err(ApiErr::not_required("quoteOrderQty"))
            }
            (OrderType::Market, None, None) => {
                return Err(ApiErr::one_of("quantity", "quoteOrderQty"))
            }
            (OrderType::Market, None, Some(q)) => {
                if q <= Decimal::ZERO {
                    return Err(ApiErr::mandatory("quoteOrderQty"));
                }
                spec.check_notional(q)?;
                Decimal::ZERO
            }
            (_, None, _) => return Err(ApiErr::mandatory("quantity")),
            (_, Some(_), Some(_)) => return Err(ApiErr::not_required("quoteOrderQty")),
            (_, Some(q), None) => q,
        };
        match new.order_type {
            OrderType::Limit
            | OrderType::LimitMaker
            | OrderType::StopLossLimit
            | OrderType::TakeProfitLimit => {
                let price = new.price.ok_or_else(|| ApiErr::mandatory("price"))?;
                match (new.order_type.has_tif(), new.tif.is_some()) {
                    (true, false) => return Err(ApiErr::mandatory("timeInForce")),
                    (false, true) => return Err(ApiErr::not_required("timeInForce")),
                    _ => {}
                }
                spec.check_price(price, new.side == Side::Buy, reference)?;
                spec.check_qty(qty)?;
                spec.check_notional(price * qty)?;
            }
            OrderType::StopLoss | OrderType::TakeProfit => {
                if new.price.is_some() {
                    return Err(ApiErr::not_required("price"));
                }
                if new.tif.is_some() {
                    return Err(ApiErr::not_required("timeInForce"));
                }
                spec.check_qty(qty)?;
                spec.check_notional(new.stop_price.unwrap_or(reference) * qty)?;
            }
            OrderType::Market => {
                if new.price.is_some() {
                    return Err(ApiErr::not_required("price"));
                }
                if new.tif.is_some() {
                    return Err(ApiErr::not_required("timeInForce"));
                }
                if new.quantity.is_some() {
                    spec.check_qty(qty)?;
                    spec.check_notional(reference * qty)?;
                }
            }
        }
        contingent::validate_stop(spec, new)?;
        if let Some(id) = &new.client_order_id {
            let key = (account, new.symbol.clone(), id.clone());
            let duplicate = self
                .client_index
                .get(&key)
                .and_then(|oid| self.orders.get(oid))
                .is_some_and(|o| o.status.is_open());
            if duplicate {
                return Err(ApiErr::order_rejected("Duplicate order sent."));
            }
        }
        Ok(qty)
    }

    /// Places an order: validates, locks funds, matches, rests what is left, and emits events.
    /// Returns the order as it stands after matching.
    ///
    /// # Errors
    /// Filter failures (`-1013`), missing parameters (`-1102`), and matching-engine rejections
    /// (`-2010`: insufficient balance, duplicate client id, a LIMIT_MAKER that would take).
    pub fn place_order(
        &mut self,
        account: AccountId,
        new: NewOrder,
        now: i64,
    ) -> Result<Order, ApiErr> {
        let qty = self.validate(account, &new)?;
        let spec = self.market(&new.symbol)?.clone();
        self.check_maker(&new)?;
        self.check_trigger_now(&new)?;
        let lock = self.lock_needed(account, &new, qty, Decimal::ZERO)?;
        let mut order = self.new_order(account, &new, qty, lock, now);
        let mut touched: HashMap<AccountId, BTreeSet<String>> = HashMap::new();
        self.start(&mut order, &spec, now, &mut touched);
        self.store(order.clone());
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        self.settle(now);
        self.replenish(&spec.symbol, now);
        Ok(order)
    }

    /// `-2010 Order would immediately match and take.` for a LIMIT_MAKER that would cross.
    fn check_maker(&self, new: &NewOrder) -> Result<(), ApiErr> {
        if new.order_type != OrderType::LimitMaker {
            return Ok(());
        }
        let price = new.price.unwrap_or_default();
        let (bid, ask) = self.books[&new.symbol].best();
        let takes = match new.side {
            Side::Buy => ask.is_some_and(|a| price >= a),
            Side::Sell => bid.is_some_and(|b| price <= b),
        };
        if takes {
            return Err(ApiErr::order_rejected(
                "Order would immediately match and take.",
            ));
        }
        Ok(())
    }

    /// What a new order must lock (limit-priced orders, and every sell) and whether the account
    /// has it free, beyond `already` locked for the same request. Market buys lock nothing but
    /// need their estimated cost free.
    ///
    /// # Errors
    /// `-2010 Account has insufficient balance for requested action.`
    fn lock_needed(
        &self,
        account: AccountId,
        new: &NewOrder,
        qty: Decimal,
        already: Decimal,
    ) -> Result<Decimal, ApiErr> {
        let spec = self.market(&new.symbol)?;
        let insufficient =
            || ApiErr::order_rejected("Account has insufficient balance for requested action.");
        let acct = &self.accounts[account];
        let price = new.price.unwrap_or_default();
        let lock = match (new.order_type, new.side) {
            (OrderType::Market, Side::Buy) => {
                let need = match new.quote_qty {
                    Some(q) => q,
                    None => self.market_cost(&new.symbol, Side::Buy, qty),
                };
                if acct.balance(&spec.quote).free < need {
                    return Err(insufficient());
                }
                Decimal::ZERO
            }
            (OrderType::Market, Side::Sell) => {
                let need = match new.quote_qty {
                    Some(_) => Decimal::ZERO,
                    None => qty,
                };
                if acct.balance(&spec.base).free < need {
                    return Err(insufficient());
                }
                Decimal::ZERO
            }
            // A stop market buy has no price to lock at; it pays from free funds when triggered.
            (OrderType::StopLoss | OrderType::TakeProfit, Side::Buy) => Decimal::ZERO,
            (_, Side::Buy) => {
                let need = price * qty;
                if acct.balance(&spec.quote).free < need + already {
                    return Err(insufficient());
                }
                need
            }
            (_, Side::Sell) => {
                if acct.balance(&spec.base).free < qty + already {
                    return Err(insufficient());
                }
                qty
            }
        };
        Ok(lock)
    }

    /// Moves `amount` of the order's asset from free to locked (`amount` may be negative to give
    /// back).
    fn lock_funds(
        &mut self,
        order: &mut Order,
        amount: Decimal,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        if amount.is_zero() {
            return;
        }
        let Ok(spec) = self.market(&order.symbol) else {
            return;
        };
        let asset = if order.side == Side::Buy {
            spec.quote.clone()
        } else {
            spec.base.clone()
        };
        let b = self.accounts[order.account].balance_mut(&asset);
        b.free -= amount;
        b.locked += amount;
        order.locked += amount;
        touched.entry(order.account).or_default().insert(asset);
    }

    /// Puts a new order to work: locks what `order.locked` says, reports it, and either leaves a
    /// conditional order waiting for its price or matches it and rests what is left.
    fn start(
        &mut self,
        order: &mut Order,
        spec: &SymbolSpec,
        now: i64,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        let lock = std::mem::take(&mut order.locked);
        self.lock_funds(order, lock, touched);
        if order.order_type.is_conditional() {
            order.working_time = None;
            if order.trailing_delta.is_some() && order.stop_price.is_none() {
                order.trailing = Some((self.last_price(&order.symbol), now));
            }
        } else {
            order.working_time = Some(now);
        }
        let report = order.execution_report("NEW", None, now);
        self.emit(order.account, &report);
        if !order.order_type.is_conditional() {
            self.execute(order, spec, now, touched);
        }
    }

    /// Matches a working order and rests what is left, or ends it (IOC, FOK, market orders).
    fn execute(
        &mut self,
        order: &mut Order,
        spec: &SymbolSpec,
        now: i64,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        let fok_short = order.tif == Tif::Fok
            && order.order_type.has_tif()
            && self.fillable(order) < order.orig_qty;
        if !fok_short {
            self.match_order(order, spec, now, touched);
        }
        let done = order.status == Status::ExpiredInMatch
            || order.order_type.is_market_like()
            || (order.order_type.has_tif() && order.tif != Tif::Gtc)
            || order.remaining().is_zero();
        if done {
            if order.status.is_open() {
                order.status = if order.remaining().is_zero() && order.executed_qty > Decimal::ZERO
                {
                    Status::Filled
                } else {
                    Status::Expired
                };
            }
            if order.status == Status::Expired {
                order.expiry_reason = Some(if order.order_type.is_market_like() {
                    "INSUFFICIENT_LIQUIDITY"
                } else if order.tif == Tif::Fok {
                    "UNFILLED_FOK_ORDER_EXPIRED"
                } else {
                    "UNFILLED_IOC_QUANTITY_EXPIRED"
                });
            }
            if order.status != Status::Filled {
                let exec_type = if order.status == Status::ExpiredInMatch {
                    "TRADE_PREVENTION"
                } else {
                    "EXPIRED"
                };
                let report = order.execution_report(exec_type, None, now);
                self.emit(order.account, &report);
                self.note_list_change(order, false);
            }
            self.release(order, spec, touched);
        } else {
            self.books.entry(order.symbol.clone()).or_default().insert(
                order.side,
                order.price,
                order.id,
            );
            self.update_id += 1;
        }
    }

    /// A new order with the next id, before matching: status NEW, holding `lock`.
    fn new_order(
        &mut self,
        account: AccountId,
        new: &NewOrder,
        qty: Decimal,
        lock: Decimal,
        now: i64,
    ) -> Order {
        let client_order_id = match &new.client_order_id {
            Some(id) => id.clone(),
            None => self.generate_client_id(),
        };
        let id = self.next_order_id;
        self.next_order_id += 1;
        Order {
            id,
            account,
            symbol: new.symbol.clone(),
            client_order_id,
            cancel_client_order_id: None,
            side: new.side,
            order_type: new.order_type,
            tif: new.tif.unwrap_or(Tif::Gtc),
            price: new.price.unwrap_or_default(),
            orig_qty: qty,
            executed_qty: Decimal::ZERO,
            cum_quote: Decimal::ZERO,
            orig_quote_qty: new.quote_qty.unwrap_or_default(),
            status: Status::New,
            stp: new.stp.unwrap_or(Stp::ExpireMaker),
            time: now,
            update_time: now,
            locked: lock,
            fills: Vec::new(),
            stop_price: new.stop_price,
            trailing_delta: new.trailing_delta,
            trailing: None,
            working_time: Some(now),
            order_list_id: None,
            prevented_qty: Decimal::ZERO,
            used_sor: new.sor,
            strategy_id: new.strategy_id,
            strategy_type: new.strategy_type,
            expiry_reason: None,
            prevention: None,
        }
    }

    /// Quote cost of buying (or proceeds of selling) `qty` at market from the book.
    fn market_cost(&self, symbol: &str, side: Side, qty: Decimal) -> Decimal {
        let mut left = qty;
        let mut cost = Decimal::ZERO;
        for (price, id) in self.books[symbol].opposite(side) {
            if left.is_zero() {
                break;
            }
            let take = left.min(self.orders[&id].remaining());
            cost += take * price;
            left -= take;
        }
        cost
    }

    /// How much of a limit order could fill right now at its price.
    fn fillable(&self, order: &Order) -> Decimal {
        let mut total = Decimal::ZERO;
        for (price, id) in self.books[&order.symbol].opposite(order.side) {
            let crosses = match order.side {
                Side::Buy => price <= order.price,
                Side::Sell => price >= order.price,
            };
            if !crosses {
                break;
            }
            total += self.orders[&id].remaining();
        }
        total
    }

    fn match_order(
        &mut self,
        taker: &mut Order,
        spec: &SymbolSpec,
        now: i64,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        let by_quote =
            taker.order_type == OrderType::Market && taker.orig_quote_qty > Decimal::ZERO;
        for (price, maker_id) in self.books[&taker.symbol].opposite(taker.side) {
            if !taker.order_type.is_market_like() {
                let crosses = match taker.side {
                    Side::Buy => price <= taker.price,
                    Side::Sell => price >= taker.price,
                };
                if !crosses {
                    break;
                }
            }
            let Some(maker) = self.orders.get(&maker_id).cloned() else {
                continue;
            };
            if maker.account == taker.account && taker.stp != Stp::None {
                if matches!(taker.stp, Stp::Decrement | Stp::Transfer) {
                    let qty = if by_quote {
                        let left = taker.orig_quote_qty - taker.cum_quote;
                        spec.floor_qty(left / price).min(maker.remaining())
                    } else {
                        taker.remaining().min(maker.remaining())
                    };
                    let match_id =
                        self.record_prevented(taker, &maker, price, (Some(qty), Some(qty)), now);
                    if self.decrement(taker, maker, (match_id, price, qty), spec, now, touched) {
                        return;
                    }
                    continue;
                }
                let expire_maker = matches!(taker.stp, Stp::ExpireMaker | Stp::ExpireBoth);
                let expire_taker = matches!(taker.stp, Stp::ExpireTaker | Stp::ExpireBoth);
                let prevented = (
                    expire_taker.then(|| taker.remaining()),
                    expire_maker.then(|| maker.remaining()),
                );
                let match_id = self.record_prevented(taker, &maker, price, prevented, now);
                if expire_maker {
                    let mut m = maker;
                    let qty = m.remaining().max(Decimal::ZERO);
                    m.prevented_qty += qty;
                    m.prevention = Some(Prevention {
                        match_id,
                        counter_order_id: taker.id,
                        qty,
                        price,
                    });
                    m.status = Status::ExpiredInMatch;
                    m.update_time = now;
                    self.books
                        .entry(m.symbol.clone())
                        .or_default()
                        .remove(m.side, m.price, m.id);
                    self.release(&mut m, spec, touched);
                    let report = m.execution_report("TRADE_PREVENTION", None, now);
                    self.emit(m.account, &report);
                    self.note_list_change(&m, false);
                    self.store(m);
                }
                if expire_taker {
                    let qty = taker.remaining().max(Decimal::ZERO);
                    taker.prevented_qty += qty;
                    taker.prevention = Some(Prevention {
                        match_id,
                        counter_order_id: maker_id,
                        qty,
                        price,
                    });
                    taker.status = Status::ExpiredInMatch;
                    return;
                }
                continue;
            }
            let qty = if by_quote {
                let left = taker.orig_quote_qty - taker.cum_quote;
                spec.floor_qty(left / price).min(maker.remaining())
            } else {
                taker.remaining().min(maker.remaining())
            };
            if qty <= Decimal::ZERO {
                break;
            }
            let mut maker = maker;
            self.trade(taker, &mut maker, price, qty, spec, now, touched);
            if !maker.status.is_open() {
                self.books.entry(maker.symbol.clone()).or_default().remove(
                    maker.side,
                    maker.price,
                    maker.id,
                );
                // A filled maker gives back what it held beyond its fills (an OCO leg holding
                // the pair's larger lock).
                self.release(&mut maker, spec, touched);
            }
            self.store(maker);
            let taker_done = if by_quote {
                taker.orig_quote_qty - taker.cum_quote < price * spec.step_size
            } else {
                taker.remaining().is_zero()
            };
            if taker_done {
                break;
            }
        }
        if by_quote {
            // A market order by quote quantity ends up with the quantity it got.
            taker.orig_qty = taker.executed_qty;
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn trade(
        &mut self,
        taker: &mut Order,
        maker: &mut Order,
        price: Decimal,
        qty: Decimal,
        spec: &SymbolSpec,
        now: i64,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        let trade_id = self.next_trade_id;
        self.next_trade_id += 1;
        self.update_id += 1;
        self.last_prices.insert(spec.symbol.clone(), price);
        let quote = price * qty;
        let mut commissions = (Decimal::ZERO, Decimal::ZERO);
        for (order, is_maker) in [(&mut *taker, false), (&mut *maker, true)] {
            let acct = &mut self.accounts[order.account];
            let (received_asset, received) = match order.side {
                Side::Buy => {
                    // Pay from the lock (limit prices) or from free funds (market-like).
                    let quote_asset = acct.balance_mut(&spec.quote);
                    if order.order_type.is_market_like() {
                        quote_asset.free -= quote;
                    } else {
                        let release = (order.price * qty).min(order.locked);
                        quote_asset.locked -= release;
                        quote_asset.free += release - quote;
                        order.locked -= release;
                    }
                    (spec.base.clone(), qty)
                }
                Side::Sell => {
                    // From the lock when the order holds one (limits, stops), else free funds.
                    let base_asset = acct.balance_mut(&spec.base);
                    if order.locked >= qty {
                        base_asset.locked -= qty;
                        order.locked -= qty;
                    } else {
                        base_asset.free -= qty;
                    }
                    (spec.quote.clone(), quote)
                }
            };
            let commission = (received * self.fee).round_dp(8);
            match order.side {
                Side::Buy => commissions.0 = commission,
                Side::Sell => commissions.1 = commission,
            }
            acct.balance_mut(&received_asset).free += received - commission;
            let entry = touched.entry(order.account).or_default();
            entry.insert(spec.base.clone());
            entry.insert(spec.quote.clone());
            if order.executed_qty.is_zero() {
                self.first_fills.push(order.account);
            }
            order.executed_qty += qty;
            order.cum_quote += quote;
            order.update_time = now;
            if order.order_type != OrderType::Market || !order.orig_qty.is_zero() {
                order.status = if order.remaining() <= Decimal::ZERO {
                    Status::Filled
                } else {
                    Status::PartiallyFilled
                };
            } else {
                order.status = Status::PartiallyFilled;
            }
            let alloc_id = order.used_sor.then(|| {
                let id = self.allocations.len() as u64;
                self.allocations.push(Allocation {
                    account: order.account,
                    symbol: spec.symbol.clone(),
                    id,
                    order_id: order.id,
                    price,
                    qty,
                    commission,
                    commission_asset: received_asset.clone(),
                    time: now,
                    is_buyer: order.side == Side::Buy,
                    is_maker,
                });
                id
            });
            let fill = Fill {
                price,
                qty,
                commission,
                commission_asset: received_asset,
                trade_id,
                is_maker,
                alloc_id,
            };
            order.fills.push(fill.clone());
            let report = order.execution_report("TRADE", Some(&fill), now);
            let account = order.account;
            self.emit(account, &report);
            self.note_list_change(order, true);
        }
        self.price_queue.push_back((spec.symbol.clone(), price));
        let (buyer, seller) = if taker.side == Side::Buy {
            (&*taker, &*maker)
        } else {
            (&*maker, &*taker)
        };
        let record = TradeRecord {
            id: trade_id,
            price,
            qty,
            time: now,
            buyer_is_maker: taker.side == Side::Sell,
            buyer: (buyer.id, buyer.account),
            seller: (seller.id, seller.account),
            commissions,
        };
        let list = self.trades.entry(spec.symbol.clone()).or_default();
        if list.len() >= MAX_TRADES_PER_SYMBOL {
            list.drain(..MAX_TRADES_PER_SYMBOL / 10);
        }
        list.push(record);
    }

    /// Accounts whose orders got their first fill since the last call (one entry per order), for
    /// the unfilled order count.
    pub fn take_first_fills(&mut self) -> Vec<AccountId> {
        std::mem::take(&mut self.first_fills)
    }

    /// The trades of `symbol`, oldest first.
    pub fn trades(&self, symbol: &str) -> &[TradeRecord] {
        self.trades.get(symbol).map_or(&[], Vec::as_slice)
    }

    /// Every order of `account` in `symbol`, oldest first.
    pub fn all_orders(&self, account: AccountId, symbol: &str) -> Vec<&Order> {
        let mut list: Vec<&Order> = self
            .orders
            .values()
            .filter(|o| o.account == account && o.symbol == symbol)
            .collect();
        list.sort_by_key(|o| o.id);
        list
    }

    /// The commission rate charged to makers and takers.
    pub fn fee(&self) -> Decimal {
        self.fee
    }

    /// Gives back whatever an order that stopped working still locks.
    fn release(
        &mut self,
        order: &mut Order,
        spec: &SymbolSpec,
        touched: &mut HashMap<AccountId, BTreeSet<String>>,
    ) {
        if order.locked > Decimal::ZERO {
            let asset = if order.side == Side::Buy {
                &spec.quote
            } else {
                &spec.base
            };
            let b = self.accounts[order.account].balance_mut(asset);
            b.locked -= order.locked;
            b.free += order.locked;
            touched
                .entry(order.account)
                .or_default()
                .insert(asset.clone());
            order.locked = Decimal::ZERO;
        }
    }

    /// Finds one of `account`'s orders.
    ///
    /// # Errors
    /// `-2013 Order does not exist.`
    pub fn find_order(
        &self,
        account: AccountId,
        symbol: &str,
        by: &OrderRef,
    ) -> Result<&Order, ApiErr> {
        let id = match by {
            OrderRef::Id(id) => Some(*id),
            OrderRef::Client(c) => self
                .client_index
                .get(&(account, symbol.to_owned(), c.clone()))
                .copied(),
        };
        id.and_then(|id| self.orders.get(&id))
            .filter(|o| o.account == account && o.symbol == symbol)
            .ok_or_else(ApiErr::no_such_order)
    }

    /// Keeps an order and its indexes.
    fn store(&mut self, order: Order) {
        if order.order_type.is_conditional()
            && order.status == Status::New
            && order.working_time.is_none()
        {
            self.waiting.insert(order.id);
        } else {
            self.waiting.remove(&order.id);
        }
        let open = self.open_index.entry(order.account).or_default();
        if order.status.is_open() {
            open.insert(order.id);
        } else {
            open.remove(&order.id);
        }
        self.client_index.insert(
            (
                order.account,
                order.symbol.clone(),
                order.client_order_id.clone(),
            ),
            order.id,
        );
        self.orders.insert(order.id, order);
    }

    /// Cancels an open order.
    ///
    /// # Errors
    /// `-2011 Unknown order sent.` when it does not exist or is no longer open.
    pub fn cancel_order(
        &mut self,
        account: AccountId,
        symbol: &str,
        by: &OrderRef,
        cancel_client_id: Option<String>,
        now: i64,
    ) -> Result<Order, ApiErr> {
        self.market(symbol)?;
        let unknown = || ApiErr::cancel_rejected("Unknown order sent.");
        let id = match self.find_order(account, symbol, by) {
            Ok(o) if o.status.is_open() => o.id,
            _ => return Err(unknown()),
        };
        if let Some(list_id) = self.orders.get(&id).and_then(|o| o.order_list_id) {
            self.cancel_list_legs(list_id, cancel_client_id, now);
            return self.orders.get(&id).cloned().ok_or_else(unknown);
        }
        let cancel_id = match cancel_client_id {
            Some(c) => c,
            None => self.generate_client_id(),
        };
        let order = self.cancel_one(id, cancel_id, now).ok_or_else(unknown)?;
        Ok(order)
    }

    /// Cancels one open order by id, with its events; `None` if it is not open.
    fn cancel_one(&mut self, id: u64, cancel_id: String, now: i64) -> Option<Order> {
        let mut order = self.orders.get(&id).filter(|o| o.status.is_open())?.clone();
        let spec = self.market(&order.symbol).ok()?.clone();
        order.cancel_client_order_id = Some(cancel_id);
        order.status = Status::Canceled;
        order.update_time = now;
        self.books.entry(order.symbol.clone()).or_default().remove(
            order.side,
            order.price,
            order.id,
        );
        self.update_id += 1;
        let mut touched = HashMap::new();
        self.release(&mut order, &spec, &mut touched);
        let report = order.execution_report("CANCELED", None, now);
        self.emit(order.account, &report);
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        self.store(order.clone());
        Some(order)
    }

    /// Lowers an open order's quantity without losing its place in the queue
    /// (`order.amend.keepPriority`). Returns the amended order and the old client order id.
    ///
    /// # Errors
    /// `-2013` unknown order, `-2038` for an increase or a closed order, `-1013` LOT_SIZE.
    pub fn amend_keep_priority(
        &mut self,
        account: AccountId,
        symbol: &str,
        by: &OrderRef,
        new_qty: Decimal,
        new_client_id: Option<String>,
        now: i64,
    ) -> Result<(Order, String), ApiErr> {
        let spec = self.market(symbol)?.clone();
        let id = self.find_order(account, symbol, by)?.id;
        let mut order = self
            .orders
            .get(&id)
            .cloned()
            .ok_or_else(ApiErr::no_such_order)?;
        if !order.status.is_open() {
            return Err(ApiErr::new(
                -2038,
                "Order was not amended since it is not open.",
            ));
        }
        if order.status == Status::PendingNew && order.orig_qty.is_zero() {
            return Err(ApiErr::new(
                -2038,
                "Order amend (pending OPO order) is not supported.",
            ));
        }
        if new_qty >= order.orig_qty {
            return Err(ApiErr::new(
                -2038,
                "Order amend (quantity increase) is not supported.",
            ));
        }
        spec.check_qty(new_qty)?;
        let old_client_id = order.client_order_id.clone();
        let old_qty = order.orig_qty;
        let done_qty = order.executed_qty + order.prevented_qty;
        let freed_qty = order.orig_qty - new_qty.max(done_qty);
        order.orig_qty = new_qty.max(done_qty);
        order.client_order_id = match new_client_id {
            Some(c) => c,
            None => self.generate_client_id(),
        };
        order.update_time = now;
        // Give back what the removed quantity held.
        let mut touched: HashMap<AccountId, BTreeSet<String>> = HashMap::new();
        let (asset, release) = match order.side {
            Side::Buy => (spec.quote.clone(), order.price * freed_qty),
            Side::Sell => (spec.base.clone(), freed_qty),
        };
        let release = release.min(order.locked);
        if release > Decimal::ZERO {
            let b = self.accounts[account].balance_mut(&asset);
            b.locked -= release;
            b.free += release;
            order.locked -= release;
            touched.entry(account).or_default().insert(asset);
        }
        if order.remaining().is_zero() {
            order.status = Status::Filled;
            self.books.entry(order.symbol.clone()).or_default().remove(
                order.side,
                order.price,
                order.id,
            );
        }
        self.update_id += 1;
        let report = order.execution_report("REPLACED", None, now);
        self.emit(account, &report);
        for (acct, assets) in touched {
            self.emit_positions(acct, &assets, now);
        }
        self.amendments.push(Amendment {
            account,
            symbol: order.symbol.clone(),
            order_id: order.id,
            execution_id: self.update_id,
            orig_client_order_id: old_client_id.clone(),
            new_client_order_id: order.client_order_id.clone(),
            orig_qty: old_qty,
            new_qty: order.orig_qty,
            time: now,
        });
        self.store(order.clone());
        if let Some(list_id) = order.order_list_id {
            if order.status == Status::Filled {
                // Amended down to what it had filled: as a fill, for the rest of its list.
                self.note_list_change(&order, true);
                self.settle(now);
            }
            if order.client_order_id != old_client_id {
                self.list_updated(list_id, now);
            }
        }
        Ok((order, old_client_id))
    }

    /// The amendments of one of `account`'s orders, oldest first.
    pub fn amendments(&self, account: AccountId, symbol: &str, order_id: u64) -> Vec<&Amendment> {
        self.amendments
            .iter()
            .filter(|a| a.account == account && a.symbol == symbol && a.order_id == order_id)
            .collect()
    }

    /// `account`'s open orders (of one symbol, or all), oldest first.
    pub fn open_orders(&self, account: AccountId, symbol: Option<&str>) -> Vec<&Order> {
        self.open_index
            .get(&account)
            .into_iter()
            .flatten()
            .filter_map(|id| self.orders.get(id))
            .filter(|o| symbol.is_none_or(|s| o.symbol == s))
            .collect()
    }

    /// Keeps the market maker's ladder of quotes full around each mid price.
    fn replenish(&mut self, symbol: &str, now: i64) {
        let Ok(spec) = self.market(symbol).cloned() else {
            return;
        };
        let maker = self.market_maker;
        let step = spec.mid_price / Decimal::from(2000);
        let quoted: BTreeSet<(bool, Decimal)> = self
            .open_orders(maker, Some(symbol))
            .iter()
            .map(|o| (o.side == Side::Buy, o.price))
            .collect();
        for level in 1..=LADDER_LEVELS {
            for side in [Side::Buy, Side::Sell] {
                let offset = step * Decimal::from(level);
                let raw = if side == Side::Buy {
                    spec.mid_price - offset
                } else {
                    spec.mid_price + offset
                };
                let price = (raw / spec.tick_size).round() * spec.tick_size;
                if quoted.contains(&(side == Side::Buy, price)) || price <= Decimal::ZERO {
                    continue;
                }
                // Quotes rest without matching, so none may go where it would cross an order
                // left on the other side (a limit that took the level and rests beyond it).
                let (bid, ask) = self.books[symbol].best();
                let crosses = match side {
                    Side::Buy => ask.is_some_and(|a| price >= a),
                    Side::Sell => bid.is_some_and(|b| price <= b),
                };
                if crosses {
                    continue;
                }
                let new = NewOrder {
                    symbol: symbol.to_owned(),
                    side,
                    order_type: OrderType::LimitMaker,
                    tif: None,
                    price: Some(price),
                    quantity: Some(spec.maker_qty),
                    quote_qty: None,
                    client_order_id: None,
                    stp: Some(Stp::None),
                    stop_price: None,
                    trailing_delta: None,
                    sor: false,
                    strategy_id: None,
                    strategy_type: None,
                };
                let _ = self.place_resting(maker, new, now);
            }
        }
    }

    /// Rests a market-maker quote without matching (the ladder never crosses itself).
    fn place_resting(&mut self, account: AccountId, new: NewOrder, now: i64) -> Result<(), ApiErr> {
        let spec = self.market(&new.symbol)?.clone();
        let price = new.price.unwrap_or_default();
        let qty = new.quantity.unwrap_or_default();
        let (asset, lock) = match new.side {
            Side::Buy => (spec.quote.clone(), price * qty),
            Side::Sell => (spec.base.clone(), qty),
        };
        let b = self.accounts[account].balance_mut(&asset);
        b.free -= lock;
        b.locked += lock;
        let order = self.new_order(account, &new, qty, lock, now);
        let id = order.id;
        self.books
            .entry(order.symbol.clone())
            .or_default()
            .insert(order.side, price, id);
        self.store(order);
        Ok(())
    }

    /// Credits (or, with a negative amount, debits) `amount` of `asset` to the account called `name`,
    /// as a deposit or withdrawal would, with `balanceUpdate` and `outboundAccountPosition` events.
    ///
    /// # Errors
    /// When no account has that name, or a debit exceeds the free balance.
    pub fn deposit(
        &mut self,
        name: &str,
        asset: &str,
        amount: Decimal,
        now: i64,
    ) -> Result<(), String> {
        let account = self
            .accounts
            .iter()
            .position(|a| a.name == name)
            .ok_or_else(|| format!("no account named {name:?}"))?;
        let balance = self.accounts[account].balance_mut(asset);
        if balance.free + amount < Decimal::ZERO {
            return Err(format!("{name} has only {} {asset} free", balance.free));
        }
        balance.free += amount;
        let event =
            json!({"e": "balanceUpdate", "E": now, "a": asset, "d": fmt8(amount), "T": now});
        self.emit(account, &event);
        self.emit_positions(account, &[asset.to_owned()].into_iter().collect(), now);
        Ok(())
    }

    /// The `account.status` result.
    pub fn account_status(&self, account: AccountId, omit_zero: bool) -> Value {
        let acct = &self.accounts[account];
        let balances: Vec<Value> = acct
            .balances
            .iter()
            .filter(|(_, b)| !(omit_zero && b.free.is_zero() && b.locked.is_zero()))
            .map(|(a, b)| json!({"asset": a, "free": fmt8(b.free), "locked": fmt8(b.locked)}))
            .collect();
        let fee = fmt8(self.fee);
        json!({
            "makerCommission": 10, "takerCommission": 10, "buyerCommission": 0, "sellerCommission": 0,
            "canTrade": true, "canWithdraw": true, "canDeposit": true,
            "commissionRates": {"maker": fee, "taker": fee, "buyer": fmt8(Decimal::ZERO), "seller": fmt8(Decimal::ZERO)},
            "brokered": false, "requireSelfTradePrevention": false, "preventSor": false,
            "updateTime": acct.update_time, "accountType": "SPOT", "balances": balances,
            "permissions": ["SPOT"], "uid": acct.uid
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::AccountSpec;
    use crate::market::default_markets;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn exchange() -> (Exchange, AccountId) {
        let file = AccountsFile {
            accounts: vec![AccountSpec {
                name: "demo".into(),
                balances: [
                    ("USDT".to_owned(), dec("1000000")),
                    ("BTC".to_owned(), dec("100")),
                ]
                .into(),
                api_keys: vec![],
            }],
        };
        (Exchange::new(default_markets(), &file, 1, 0).unwrap(), 1)
    }

    fn limit(side: Side, price: &str, qty: &str) -> NewOrder {
        NewOrder {
            symbol: "BTCUSDT".into(),
            side,
            order_type: OrderType::Limit,
            tif: Some(Tif::Gtc),
            price: Some(dec(price)),
            quantity: Some(dec(qty)),
            quote_qty: None,
            client_order_id: None,
            stp: None,
            stop_price: None,
            trailing_delta: None,
            sor: false,
            strategy_id: None,
            strategy_type: None,
        }
    }

    #[test]
    fn sell_far_above_rests_and_buy_crossing_fills() {
        let (mut ex, demo) = exchange();
        let rest = ex
            .place_order(demo, limit(Side::Sell, "52000.00", "0.01000000"), 1)
            .unwrap();
        assert_eq!(rest.status, Status::New);
        assert_eq!(ex.account(demo).balance("BTC").locked, dec("0.01"));
        let fill = ex
            .place_order(demo, limit(Side::Buy, "52000.00", "0.01000000"), 2)
            .unwrap();
        assert_eq!(fill.status, Status::Filled);
        // Filled against the market maker's best ask (30015), not against the demo's own 52000 ask.
        assert_eq!(fill.fills[0].price, dec("30015.00"));
        // The price improvement came back: only 300.15 USDT was spent, none stays locked.
        let usdt = ex.account(demo).balance("USDT");
        assert_eq!(usdt.locked, Decimal::ZERO);
        assert_eq!(usdt.free, dec("1000000") - dec("300.15"));
        assert_eq!(
            ex.account(demo).balance("BTC").free,
            dec("99.99") + dec("0.01") - dec("0.00001")
        );
    }

    #[test]
    fn cancel_releases_funds_and_unknown_orders_are_rejected() {
        let (mut ex, demo) = exchange();
        let o = ex
            .place_order(demo, limit(Side::Buy, "20000.00", "0.5"), 1)
            .unwrap();
        assert_eq!(ex.account(demo).balance("USDT").locked, dec("10000"));
        let c = ex
            .cancel_order(demo, "BTCUSDT", &OrderRef::Id(o.id), None, 2)
            .unwrap();
        assert_eq!(c.status, Status::Canceled);
        assert_eq!(ex.account(demo).balance("USDT").locked, Decimal::ZERO);
        assert_eq!(
            ex.cancel_order(demo, "BTCUSDT", &OrderRef::Id(o.id), None, 3)
                .unwrap_err()
                .code,
            -2011
        );
        assert_eq!(
            ex.find_order(demo, "BTCUSDT", &OrderRef::Id(o.id))
                .unwrap()
                .status,
            Status::Canceled
        );
    }

    #[test]
    fn market_orders_by_quantity_and_by_quote_amount() {
        let (mut ex, demo) = exchange();
        let mut m = limit(Side::Buy, "0", "2.5");
        m.order_type = OrderType::Market;
        m.tif = None;
        m.price = None;
        let o = ex.place_order(demo, m.clone(), 1).unwrap();
        assert_eq!(o.status, Status::Filled);
        assert_eq!(o.fills.len(), 3, "walks three 1-BTC levels");
        m.quantity = None;
        m.quote_qty = Some(dec("1000"));
        let o = ex.place_order(demo, m, 2).unwrap();
        assert_eq!(o.status, Status::Filled);
        assert!(
            o.cum_quote <= dec("1000") && o.cum_quote > dec("999"),
            "{}",
            o.cum_quote
        );
    }

    #[test]
    fn ioc_fok_and_limit_maker() {
        let (mut ex, demo) = exchange();
        let mut fok = limit(Side::Buy, "30016.00", "5");
        fok.tif = Some(Tif::Fok);
        assert_eq!(
            ex.place_order(demo, fok, 1).unwrap().status,
            Status::Expired
        );
        let mut ioc = limit(Side::Buy, "30016.00", "5");
        ioc.tif = Some(Tif::Ioc);
        let o = ex.place_order(demo, ioc, 2).unwrap();
        assert_eq!((o.status, o.executed_qty), (Status::Expired, dec("1")));
        assert_eq!(ex.account(demo).balance("USDT").locked, Decimal::ZERO);
        let mut lm = limit(Side::Buy, "40000.00", "1");
        lm.order_type = OrderType::LimitMaker;
        lm.tif = None;
        assert_eq!(ex.place_order(demo, lm, 3).unwrap_err().code, -2010);
    }

    #[test]
    fn the_ladder_is_not_refilled_across_a_resting_limit() {
        let (mut ex, demo) = exchange();
        // Takes the 30015 ask and rests 0.1 at 30020: the maker may not quote 30015 again.
        let o = ex
            .place_order(demo, limit(Side::Buy, "30020.00", "1.1"), 1)
            .unwrap();
        assert_eq!(o.status, Status::PartiallyFilled);
        let (bid, ask) = ex.books["BTCUSDT"].best();
        assert_eq!(bid, Some(dec("30020")));
        assert_eq!(ask, Some(dec("30030")));
    }

    #[test]
    fn rejections_match_binance() {
        let (mut ex, demo) = exchange();
        assert_eq!(
            ex.place_order(demo, limit(Side::Buy, "30000.001", "1"), 1)
                .unwrap_err()
                .msg,
            "Filter failure: PRICE_FILTER"
        );
        assert_eq!(
            ex.place_order(demo, limit(Side::Buy, "20000", "60"), 1)
                .unwrap_err()
                .code,
            -2010
        );
        let mut named = limit(Side::Buy, "20000", "0.1");
        named.client_order_id = Some("mine".into());
        ex.place_order(demo, named.clone(), 1).unwrap();
        assert_eq!(
            ex.place_order(demo, named, 2).unwrap_err().msg,
            "Duplicate order sent."
        );
        let mut bad = limit(Side::Buy, "20000", "0.1");
        bad.symbol = "NOPE".into();
        assert_eq!(ex.place_order(demo, bad, 3).unwrap_err().code, -1121);
    }
}
