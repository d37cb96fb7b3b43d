//! Stop and take-profit orders, order lists (OCO, OTO, OTOCO) and the methods around them, driven
//! through the emulator's request handling without sockets (as the fuzz harness does), checked
//! against the documented reply shapes in `testdata/spec/examples`.
//!
//! BTCUSDT starts with the last price at 30000 and the market maker's ladder of 1 BTC quotes every
//! 15 USDT: asks 30015, 30030, …; bids 29985, 29970, ….

use std::collections::BTreeSet;
use std::str::FromStr;

use binance_wsapi_emulator::book::Side;
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::connection::{Connection, Out, Shared};
use binance_wsapi_emulator::exchange::Exchange;
use binance_wsapi_emulator::rate_limit::RateLimiter;
use binance_wsapi_emulator::{DemoKeys, EmulatorConfig};
use hmac::{Hmac, Mac};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use sha2::Sha256;

const START_MS: i64 = 1_700_000_000_000;
const DEMO: usize = 1;

struct Harness {
    shared: Shared,
    conn: Connection,
    now: i64,
    next_id: u64,
    events: Vec<Value>,
}

fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

impl Harness {
    fn new() -> Self {
        let config = EmulatorConfig::default();
        let keys = DemoKeys::for_seed(config.seed);
        let exchange = Exchange::new(
            config.markets.clone(),
            &keys.account(),
            config.seed,
            START_MS,
        )
        .unwrap();
        let mut h = Self {
            shared: Shared {
                exchange,
                limiter: RateLimiter::new(config.limits.clone()),
            },
            conn: Connection::new(1, "127.0.0.1".into(), START_MS, true),
            now: START_MS,
            next_id: 1,
            events: Vec::new(),
        };
        let sub = h.call("userDataStream.subscribe.signature", json!({}));
        assert_eq!(sub["status"], 200, "{sub}");
        h
    }

    /// Sends a request; signed methods get apiKey, timestamp and signature. Returns the reply;
    /// events go to `self.events`. Checks the exchange's invariants after every request.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.now += 1;
        let id = self.next_id;
        self.next_id += 1;
        let mut params = params;
        if !matches!(
            method,
            "referencePrice.calculation" | "depth" | "exchangeInfo"
        ) {
            params["apiKey"] = json!(DEMO_HMAC_API_KEY);
            params["timestamp"] = json!(self.now);
            params["signature"] = json!(sign(&params));
        }
        let frame = json!({"id": id, "method": method, "params": params}).to_string();
        let out = self.conn.handle_text(&frame, self.now, &mut self.shared);
        for (_, event) in self.shared.exchange.take_outbox() {
            let v: Value = serde_json::from_str(&event).unwrap();
            if v["event"]["e"] == "outboundAccountPosition" {
                for b in v["event"]["B"].as_array().unwrap() {
                    for key in ["f", "l"] {
                        let amount = dec(b[key].as_str().unwrap());
                        assert!(amount >= Decimal::ZERO, "{method}: {v}");
                    }
                }
            }
            self.events.push(v["event"].clone());
        }
        self.check_invariants();
        self.check_book_not_crossed(method, &out);
        match out.as_slice() {
            [Out::Text(t)] => serde_json::from_str(t).unwrap(),
            other => panic!("{other:?}"),
        }
    }

    fn ok(&mut self, method: &str, params: Value) -> Value {
        let reply = self.call(method, params);
        assert_eq!(reply["status"], 200, "{method}: {reply}");
        reply["result"].clone()
    }

    fn error(&mut self, method: &str, params: Value) -> (i64, String) {
        let reply = self.call(method, params);
        assert_ne!(reply["status"], 200, "{method}: {reply}");
        (
            reply["error"]["code"].as_i64().unwrap(),
            reply["error"]["msg"].as_str().unwrap().to_owned(),
        )
    }

    /// No balance is negative, and what the demo account has locked is exactly what its open
    /// orders hold.
    fn check_invariants(&self) {
        let ex = &self.shared.exchange;
        for account in ex.accounts() {
            for (asset, b) in &account.balances {
                assert!(
                    b.free >= Decimal::ZERO && b.locked >= Decimal::ZERO,
                    "{} {asset}: {b:?}",
                    account.name
                );
            }
        }
        for (asset, side) in [("BTC", Side::Sell), ("USDT", Side::Buy)] {
            let held: Decimal = ex
                .open_orders(DEMO, Some("BTCUSDT"))
                .iter()
                .filter(|o| o.side == side)
                .map(|o| o.locked)
                .sum();
            assert_eq!(
                ex.account(DEMO).balance(asset).locked,
                held,
                "{asset} locked vs open orders"
            );
        }
    }

    fn check_book_not_crossed(&self, method: &str, out: &[Out]) {
        let ex = &self.shared.exchange;
        let bid = ex.depth("BTCUSDT", Side::Buy).first().map(|l| l.0);
        let ask = ex.depth("BTCUSDT", Side::Sell).first().map(|l| l.0);
        if let (Some(bid), Some(ask)) = (bid, ask) {
            assert!(
                bid < ask,
                "crossed book: {bid} >= {ask} after {method}: {out:?}"
            );
        }
    }

    fn locked(&self, asset: &str) -> Decimal {
        self.shared.exchange.account(DEMO).balance(asset).locked
    }

    fn take_events(&mut self, kind: &str) -> Vec<Value> {
        let (wanted, rest): (Vec<Value>, Vec<Value>) = std::mem::take(&mut self.events)
            .into_iter()
            .partition(|e| e["e"] == kind);
        self.events = rest;
        wanted
    }

    fn market(&mut self, side: &str, qty: &str) -> Value {
        self.ok(
            "order.place",
            json!({"symbol": "BTCUSDT", "side": side, "type": "MARKET", "quantity": qty,
                   "selfTradePreventionMode": "NONE"}),
        )
    }

    fn status(&mut self, order_id: &Value) -> Value {
        self.ok(
            "order.status",
            json!({"symbol": "BTCUSDT", "orderId": order_id}),
        )
    }
}

fn sign(params: &Value) -> String {
    let map = params.as_object().unwrap();
    let mut names: Vec<&String> = map.keys().filter(|k| *k != "signature").collect();
    names.sort();
    let payload: Vec<String> = names
        .iter()
        .map(|n| match &map[*n] {
            Value::String(s) => format!("{n}={s}"),
            other => format!("{n}={other}"),
        })
        .collect();
    let mut mac = Hmac::<Sha256>::new_from_slice(DEMO_HMAC_SECRET.as_bytes()).unwrap();
    mac.update(payload.join("&").as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A documented example's `response.result` (or an additional response's) from testdata.
fn example(method: &str, additional: Option<usize>) -> Value {
    let path = format!(
        "{}/../../testdata/spec/examples/{method}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    match additional {
        None => doc["response"]["result"].clone(),
        Some(i) => doc["additional_responses"][i]["response"]["result"].clone(),
    }
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .cloned()
        .collect()
}

/// The example's keys equal ours, for the object and each of its `orders` / `orderReports`
/// entries, pairing reports by order type.
fn assert_same_shape(ours: &Value, documented: &Value) {
    assert_eq!(keys(ours), keys(documented), "list keys\n{ours}");
    for (a, b) in ours["orders"]
        .as_array()
        .unwrap()
        .iter()
        .zip(documented["orders"].as_array().unwrap())
    {
        assert_eq!(keys(a), keys(b));
    }
    if let Some(reports) = documented["orderReports"].as_array() {
        // Reports differ only by the conditional `stopPrice`, present for stop and take-profit
        // orders alone.
        let plain = |v: &Value| {
            let mut k = keys(v);
            k.remove("stopPrice");
            k
        };
        let mine = ours["orderReports"].as_array().unwrap();
        assert!(!mine.is_empty());
        for (i, report) in mine.iter().enumerate() {
            let doc_report = &reports[i.min(reports.len() - 1)];
            assert_eq!(plain(report), plain(doc_report), "{report}");
            let conditional = report["type"].as_str().unwrap().contains("_LOSS")
                || report["type"].as_str().unwrap().contains("TAKE_");
            assert_eq!(report.get("stopPrice").is_some(), conditional, "{report}");
        }
    }
}

#[test]
fn stop_loss_limit_rests_untriggered_then_a_trade_through_its_stop_triggers_it() {
    let mut h = Harness::new();
    let placed = h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "STOP_LOSS_LIMIT", "timeInForce": "GTC",
               "quantity": "0.5", "price": "30100", "stopPrice": "30020", "newOrderRespType": "RESULT"}),
    );
    assert_eq!(placed["status"], "NEW");
    assert_eq!(placed["stopPrice"], "30020.00000000");
    assert_eq!(placed["workingTime"], -1);
    assert_eq!(h.locked("USDT"), dec("15050"), "price × quantity locked");
    let id = placed["orderId"].clone();
    let status = h.status(&id);
    assert_eq!(status["isWorking"], false);
    assert_eq!(status["type"], "STOP_LOSS_LIMIT");
    let depth = h.ok("depth", json!({"symbol": "BTCUSDT", "limit": 1}));
    assert_eq!(depth["bids"][0][0], "29985.00000000", "not on the book");

    // 30015 does not reach the stop; 30030 does. The triggered limit buys at the next ask.
    h.events.clear();
    h.market("BUY", "2");
    let status = h.status(&id);
    assert_eq!(status["status"], "FILLED", "{status}");
    assert_eq!(status["isWorking"], true);
    assert_eq!(
        status["cummulativeQuoteQty"], "15022.50000000",
        "0.5 at 30045"
    );
    let reports: Vec<Value> = h
        .take_events("executionReport")
        .into_iter()
        .filter(|e| e["i"] == id)
        .collect();
    let kinds: Vec<(&str, &str, bool)> = reports
        .iter()
        .map(|e| {
            (
                e["x"].as_str().unwrap(),
                e["X"].as_str().unwrap(),
                e["w"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [("NEW", "NEW", true), ("TRADE", "FILLED", false)],
        "trigger report then the fill"
    );
    assert_eq!(reports[0]["P"], "30020.00000000");
    assert_eq!(
        h.locked("USDT"),
        Decimal::ZERO,
        "price improvement released"
    );
}

#[test]
fn stop_orders_are_validated_as_binance_does() {
    let mut h = Harness::new();
    let base = json!({"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.1"});
    let with = |extra: Value| {
        let mut p = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    };
    let (code, msg) = h.error(
        "order.place",
        with(json!({"type": "STOP_LOSS", "stopPrice": "29000"})),
    );
    assert_eq!(
        (code, msg.as_str()),
        (-2010, "Order would trigger immediately.")
    );
    let (code, msg) = h.error("order.place", with(json!({"type": "STOP_LOSS"})));
    assert_eq!(code, -1102, "{msg}");
    assert_eq!(
        h.error(
            "order.place",
            with(json!({"type": "LIMIT", "timeInForce": "GTC", "price": "29000", "stopPrice": "29000"}))
        ),
        (
            -1106,
            "Parameter 'stopPrice' sent when not required.".to_owned()
        )
    );
    assert_eq!(
        h.error(
            "order.place",
            with(json!({"type": "STOP_LOSS", "trailingDelta": 5}))
        ),
        (-1013, "Filter failure: TRAILING_DELTA".to_owned())
    );
    assert_eq!(
        h.error(
            "order.place",
            with(json!({"type": "STOP_LOSS_LIMIT", "price": "31000", "stopPrice": "31000"}))
        )
        .0,
        -1102,
        "timeInForce is mandatory"
    );
    assert_eq!(
        h.error(
            "order.place",
            with(json!({"type": "TAKE_PROFIT", "stopPrice": "29000", "price": "29000"}))
        )
        .0,
        -1106
    );
    // order.test runs the same checks, and with computeCommissionRates weighs 20.
    let reply = h.call(
        "order.test",
        with(
            json!({"type": "TAKE_PROFIT_LIMIT", "timeInForce": "GTC", "price": "29000",
                    "stopPrice": "29500", "computeCommissionRates": true}),
        ),
    );
    assert_eq!(
        reply["result"]["standardCommissionForOrder"]["maker"],
        "0.00100000"
    );
    let before = reply["rateLimits"][0]["count"].as_i64().unwrap();
    let plain = h.call(
        "order.test",
        with(json!({"type": "TAKE_PROFIT", "stopPrice": "29500"})),
    );
    assert_eq!(plain["result"], json!({}));
    assert_eq!(
        plain["rateLimits"][0]["count"].as_i64().unwrap(),
        before + 1
    );
}

#[test]
fn take_profit_market_sell_triggers_on_a_rise_and_sells_at_market() {
    let mut h = Harness::new();
    let placed = h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "TAKE_PROFIT", "quantity": "0.3",
               "stopPrice": "30020"}),
    );
    assert_eq!(keys(&placed).len(), 5, "ACK is the default for stop orders");
    assert_eq!(h.locked("BTC"), dec("0.3"));
    h.market("BUY", "2");
    let status = h.status(&placed["orderId"]);
    assert_eq!(status["status"], "FILLED", "{status}");
    assert_eq!(
        status["cummulativeQuoteQty"], "8995.50000000",
        "0.3 at 29985"
    );
    assert_eq!(h.locked("BTC"), Decimal::ZERO);
}

#[test]
fn trailing_stop_tracks_the_high_and_triggers_on_the_drop() {
    let mut h = Harness::new();
    let placed = h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "STOP_LOSS", "quantity": "0.1",
               "trailingDelta": 10, "newOrderRespType": "RESULT"}),
    );
    assert_eq!(placed["trailingDelta"], 10);
    assert!(placed.get("stopPrice").is_none());
    let id = placed["orderId"].clone();
    // Up to 30045: the high moves, nothing triggers.
    h.market("BUY", "3");
    assert_eq!(h.status(&id)["status"], "NEW");
    assert_eq!(h.status(&id)["trailingTime"], START_MS + 2);
    // 29985 is more than 0.1 % below 30045.
    h.market("SELL", "0.5");
    let status = h.status(&id);
    assert_eq!(status["status"], "FILLED", "{status}");
    let trigger = h
        .take_events("executionReport")
        .into_iter()
        .find(|e| e["i"] == id && e["x"] == "NEW" && e["w"] == true)
        .expect("trigger report");
    assert_eq!(trigger["d"], 10);
}

#[test]
fn oco_places_two_legs_locking_once_and_matches_the_documented_shape() {
    let mut h = Harness::new();
    let reply = h.call(
        "orderList.place.oco",
        json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.5",
               "aboveType": "LIMIT_MAKER", "abovePrice": "30100",
               "belowType": "STOP_LOSS_LIMIT", "belowStopPrice": "29900", "belowPrice": "29800",
               "belowTimeInForce": "GTC", "listClientOrderId": "my-oco"}),
    );
    assert_eq!(reply["status"], 200, "{reply}");
    assert_eq!(
        reply["rateLimits"][0]["count"], 2,
        "each order of a list counts"
    );
    let list = &reply["result"];
    assert_same_shape(list, &example("orderList.place.oco", None));
    assert_eq!(list["contingencyType"], "OCO");
    assert_eq!(list["listClientOrderId"], "my-oco");
    assert_eq!(
        list["orderReports"][0]["type"], "STOP_LOSS_LIMIT",
        "the stop leg is listed first"
    );
    assert_eq!(list["orderReports"][0]["workingTime"], -1);
    assert_eq!(
        h.locked("BTC"),
        dec("0.5"),
        "the pair locks the quantity once"
    );
    let status = h.take_events("listStatus");
    assert_eq!(status.len(), 1);
    assert_eq!(
        (status[0]["l"].as_str(), status[0]["L"].as_str()),
        (Some("EXEC_STARTED"), Some("EXECUTING"))
    );
    let reports = h.take_events("executionReport");
    assert!(reports.iter().all(|e| e["g"] == list["orderListId"]));

    let by_client = h.ok("orderList.status", json!({"origClientOrderId": "my-oco"}));
    assert_same_shape(&by_client, &example("orderList.status", None));
    assert_eq!(by_client["orderListId"], list["orderListId"]);
    let open = h.ok("openOrderLists.status", json!({}));
    assert_eq!(open.as_array().unwrap().len(), 1);
    assert_same_shape(&open[0], &example("openOrderLists.status", None)[0]);

    // A taker that reaches 30100 (self-trade allowed) fills the limit leg: the stop leg expires.
    h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC",
               "price": "30100", "quantity": "6.5", "selfTradePreventionMode": "NONE"}),
    );
    let legs: Vec<Value> = list["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| h.status(&o["orderId"]))
        .collect();
    assert_eq!(legs[0]["status"], "EXPIRED", "{}", legs[0]);
    assert_eq!(legs[0]["expiryReason"], "OCO_TRIGGER");
    assert_eq!(legs[1]["status"], "FILLED", "{}", legs[1]);
    assert_eq!(h.locked("BTC"), Decimal::ZERO);
    let last = h.take_events("listStatus").pop().unwrap();
    assert_eq!(
        (last["l"].as_str(), last["L"].as_str()),
        (Some("ALL_DONE"), Some("ALL_DONE"))
    );
    assert!(h
        .ok("openOrderLists.status", json!({}))
        .as_array()
        .unwrap()
        .is_empty());
    let all = h.ok("allOrderLists", json!({}));
    assert_eq!(all[0]["listOrderStatus"], "ALL_DONE");
    assert_same_shape(&all[0], &example("allOrderLists", None)[0]);
}

#[test]
fn oco_stop_leg_triggering_expires_the_limit_leg_and_takes_over_its_lock() {
    let mut h = Harness::new();
    let list = h.ok(
        "orderList.place.oco",
        json!({"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.5",
               "aboveType": "STOP_LOSS_LIMIT", "aboveStopPrice": "30100", "abovePrice": "30200",
               "aboveTimeInForce": "GTC", "belowType": "LIMIT_MAKER", "belowPrice": "29000"}),
    );
    // The stop leg needs 15100 USDT, the limit leg 14500: the pair locks the larger once.
    assert_eq!(h.locked("USDT"), dec("15100"));
    let stop_id = list["orders"][0]["orderId"].clone();
    let limit_id = list["orders"][1]["orderId"].clone();
    assert_eq!(list["orderReports"][0]["type"], "STOP_LOSS_LIMIT");
    // Buying 7 BTC walks the asks to 30105: the stop triggers and buys at 30120.
    h.market("BUY", "7");
    assert_eq!(h.status(&limit_id)["status"], "EXPIRED");
    let stop = h.status(&stop_id);
    assert_eq!(stop["status"], "FILLED", "{stop}");
    assert_eq!(stop["cummulativeQuoteQty"], "15060.00000000");
    assert_eq!(h.locked("USDT"), Decimal::ZERO);
    let statuses = h.take_events("listStatus");
    assert_eq!(statuses.last().unwrap()["L"], "ALL_DONE");
}

#[test]
fn oco_rules_and_prices_are_checked() {
    let mut h = Harness::new();
    let oco = |above: Value, below: Value, side: &str| {
        let mut p = json!({"symbol": "BTCUSDT", "side": side, "quantity": "0.1"});
        for (k, v) in above
            .as_object()
            .unwrap()
            .iter()
            .chain(below.as_object().unwrap())
        {
            p[k] = v.clone();
        }
        p
    };
    let maker_above = json!({"aboveType": "LIMIT_MAKER", "abovePrice": "30100"});
    let stop_below = json!({"belowType": "STOP_LOSS", "belowStopPrice": "29900"});
    assert_eq!(
        h.error(
            "orderList.place.oco",
            oco(maker_above.clone(), stop_below.clone(), "BUY")
        ),
        (
            -1165,
            "A limit order in a buy OCO must be below.".to_owned()
        )
    );
    assert_eq!(
        h.error(
            "orderList.place.oco",
            oco(
                json!({"aboveType": "LIMIT_MAKER", "abovePrice": "30100"}),
                json!({"belowType": "LIMIT_MAKER", "belowPrice": "29900"}),
                "SELL"
            )
        )
        .0,
        -1168
    );
    assert_eq!(
        h.error(
            "orderList.place.oco",
            oco(
                json!({"aboveType": "STOP_LOSS", "aboveStopPrice": "30100"}),
                stop_below.clone(),
                "SELL"
            )
        )
        .0,
        -1197
    );
    assert_eq!(
        h.error(
            "orderList.place.oco",
            oco(
                json!({"aboveType": "LIMIT", "abovePrice": "30100"}),
                stop_below.clone(),
                "SELL"
            )
        )
        .0,
        -1158
    );
    // The stop below the market must be below the last price.
    assert_eq!(
        h.error(
            "orderList.place.oco",
            oco(
                maker_above.clone(),
                json!({"belowType": "STOP_LOSS", "belowStopPrice": "30010"}),
                "SELL"
            )
        ),
        (
            -2010,
            "The relationship of the prices for the orders is not correct.".to_owned()
        )
    );
    assert_eq!(
        h.error(
            "orderList.place.oco",
            oco(maker_above, stop_below, "SELL").tap_qty("200")
        ),
        (
            -2010,
            "Account has insufficient balance for requested action.".to_owned()
        )
    );
    assert_eq!(h.locked("BTC"), Decimal::ZERO, "nothing placed");
}

trait TapQty {
    fn tap_qty(self, qty: &str) -> Self;
}

impl TapQty for Value {
    fn tap_qty(mut self, qty: &str) -> Self {
        self["quantity"] = json!(qty);
        self
    }
}

#[test]
fn oto_places_its_pending_order_when_the_working_order_fills() {
    let mut h = Harness::new();
    let reply = h.call(
        "orderList.place.oto",
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
               "workingPrice": "30100", "workingQuantity": "0.2", "workingTimeInForce": "GTC",
               "pendingType": "LIMIT_MAKER", "pendingSide": "SELL", "pendingPrice": "31000",
               "pendingQuantity": "0.2"}),
    );
    assert_eq!(reply["status"], 200, "{reply}");
    assert_eq!(
        reply["rateLimits"][0]["count"], 1,
        "2 counted, the filled one uncounted"
    );
    let list = &reply["result"];
    assert_same_shape(list, &example("orderList.place.oto", None));
    assert_eq!(list["contingencyType"], "OTO");
    assert_eq!(
        list["orderReports"][1]["status"], "PENDING_NEW",
        "shown pending even though the working order filled at once"
    );
    assert_eq!(list["orderReports"][1]["workingTime"], -1);
    let working = h.status(&list["orders"][0]["orderId"]);
    assert_eq!(working["status"], "FILLED");
    let pending = h.status(&list["orders"][1]["orderId"]);
    assert_eq!(
        pending["status"], "NEW",
        "placed once the working order filled"
    );
    assert_eq!(pending["isWorking"], true);
    assert_eq!(h.locked("BTC"), dec("0.2"));
    let depth = h.ok("depth", json!({"symbol": "BTCUSDT", "limit": 100}));
    assert!(depth["asks"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l[0] == "31000.00000000"));
}

#[test]
fn oto_with_a_resting_working_order_is_cancelled_whole() {
    let mut h = Harness::new();
    let list = h.ok(
        "orderList.place.oto",
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT_MAKER", "workingSide": "BUY",
               "workingPrice": "29000", "workingQuantity": "0.2",
               "pendingType": "MARKET", "pendingSide": "SELL", "pendingQuantity": "0.2",
               "listClientOrderId": "oto-1"}),
    );
    assert_eq!(h.locked("USDT"), dec("5800"));
    assert_eq!(
        h.error(
            "orderList.place.oto",
            json!({"symbol": "BTCUSDT", "workingType": "LIMIT_MAKER", "workingSide": "BUY",
                   "workingPrice": "29000", "workingQuantity": "0.2",
                   "pendingType": "MARKET", "pendingSide": "SELL", "pendingQuantity": "0.2",
                   "listClientOrderId": "oto-1"})
        ),
        (-2010, "Duplicate order sent.".to_owned())
    );
    let open = h.ok("openOrders.status", json!({"symbol": "BTCUSDT"}));
    assert_eq!(open.as_array().unwrap().len(), 2, "pending orders are open");
    let cancelled = h.ok(
        "orderList.cancel",
        json!({"symbol": "BTCUSDT", "listClientOrderId": "oto-1"}),
    );
    assert_same_shape(&cancelled, &example("orderList.cancel", None));
    assert_eq!(cancelled["listStatusType"], "ALL_DONE");
    assert_eq!(cancelled["orderReports"][0]["status"], "CANCELED");
    assert_eq!(cancelled["orderReports"][1]["status"], "CANCELED");
    assert_eq!(h.locked("USDT"), Decimal::ZERO);
    let (code, _) = h.error(
        "orderList.cancel",
        json!({"symbol": "BTCUSDT", "orderListId": list["orderListId"]}),
    );
    assert_eq!(code, -2011);
    let (code, _) = h.error("orderList.status", json!({"orderListId": 999}));
    assert_eq!(code, -2013);
}

#[test]
fn otoco_places_an_oco_pair_after_the_working_order_fills() {
    let mut h = Harness::new();
    let reply = h.call(
        "orderList.place.otoco",
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
               "workingPrice": "30100", "workingQuantity": "0.2", "workingTimeInForce": "GTC",
               "pendingSide": "SELL", "pendingQuantity": "0.2",
               "pendingAboveType": "LIMIT_MAKER", "pendingAbovePrice": "31000",
               "pendingBelowType": "STOP_LOSS", "pendingBelowStopPrice": "29000"}),
    );
    assert_eq!(reply["status"], 200, "{reply}");
    let list = &reply["result"];
    assert_same_shape(list, &example("orderList.place.otoco", None));
    assert_eq!(list["orders"].as_array().unwrap().len(), 3);
    assert_eq!(list["orderReports"][1]["type"], "STOP_LOSS");
    for i in [1, 2] {
        let leg = h.status(&list["orders"][i]["orderId"]);
        assert_eq!(leg["status"], "NEW", "{leg}");
    }
    assert_eq!(h.locked("BTC"), dec("0.2"), "the pending pair locks once");
    // Cancelling one leg by order.cancel cancels the list; the reply is the list's.
    let cancelled = h.ok(
        "order.cancel",
        json!({"symbol": "BTCUSDT", "orderId": list["orders"][2]["orderId"]}),
    );
    assert_same_shape(&cancelled, &example("order.cancel", Some(0)));
    assert_eq!(cancelled["listOrderStatus"], "ALL_DONE");
    assert_eq!(cancelled["orderReports"][0]["status"], "FILLED");
    assert_eq!(cancelled["orderReports"][1]["status"], "CANCELED");
    assert_eq!(h.locked("BTC"), Decimal::ZERO);
}

#[test]
fn cancel_all_mixes_single_orders_and_lists() {
    let mut h = Harness::new();
    h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
               "price": "29000", "quantity": "0.1"}),
    );
    h.ok(
        "orderList.place",
        json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1", "price": "30100",
               "stopPrice": "29900", "stopLimitPrice": "29800", "stopLimitTimeInForce": "GTC"}),
    );
    assert_eq!(h.locked("BTC"), dec("0.1"));
    let out = h.ok("openOrders.cancelAll", json!({"symbol": "BTCUSDT"}));
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 2, "{out:?}");
    let documented = example("openOrders.cancelAll", None);
    assert_eq!(out[0]["status"], "CANCELED");
    assert_same_shape(&out[1], &documented[1]);
    assert_eq!(h.locked("BTC"), Decimal::ZERO);
    assert_eq!(h.locked("USDT"), Decimal::ZERO);
}

#[test]
fn legacy_order_list_place_is_an_oco() {
    let mut h = Harness::new();
    let list = h.ok(
        "orderList.place",
        json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1", "price": "30100",
               "stopPrice": "29900", "stopLimitPrice": "29800", "stopLimitTimeInForce": "GTC",
               "newOrderRespType": "RESULT"}),
    );
    assert_same_shape(&list, &example("orderList.place", None));
    assert_eq!(
        h.error(
            "orderList.place",
            json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1", "price": "30200",
                   "stopPrice": "29800", "limitIcebergQty": "0.01"})
        )
        .0,
        -2010
    );
    assert_eq!(list["orderReports"][0]["type"], "STOP_LOSS_LIMIT");
    assert_eq!(list["orderReports"][1]["type"], "LIMIT_MAKER");
}

#[test]
fn order_lists_count_every_order_against_the_orders_limit() {
    let config_limits = binance_wsapi_emulator::rate_limit::Limits {
        orders_per_10s: 3,
        ..Default::default()
    };
    let mut h = Harness::new();
    h.shared.limiter = RateLimiter::new(config_limits);
    h.ok(
        "orderList.place.oco",
        json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1",
               "aboveType": "LIMIT_MAKER", "abovePrice": "30100",
               "belowType": "STOP_LOSS", "belowStopPrice": "29900"}),
    );
    let reply = h.call(
        "orderList.place.oco",
        json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1",
               "aboveType": "LIMIT_MAKER", "abovePrice": "30200",
               "belowType": "STOP_LOSS", "belowStopPrice": "29800"}),
    );
    assert_eq!(reply["status"], 429, "{reply}");
    assert_eq!(reply["error"]["code"], -1015);
}

#[test]
fn prevented_matches_are_recorded() {
    let mut h = Harness::new();
    let maker = h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC",
               "price": "30100", "quantity": "0.1"}),
    );
    h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC",
               "price": "30100", "quantity": "6.1"}),
    );
    let expired = h.status(&maker["orderId"]);
    assert_eq!(expired["status"], "EXPIRED_IN_MATCH");
    assert_eq!(expired["preventedQuantity"], "0.10000000");
    let report = h
        .take_events("executionReport")
        .into_iter()
        .find(|e| e["i"] == maker["orderId"] && e["X"] == "EXPIRED_IN_MATCH")
        .unwrap();
    assert_eq!(report["x"], "TRADE_PREVENTION");
    assert_eq!(report["v"], 1);
    assert_eq!(report["A"], "0.10000000");
    let reply = h.call(
        "myPreventedMatches",
        json!({"symbol": "BTCUSDT", "orderId": maker["orderId"]}),
    );
    let matches = reply["result"].clone();
    assert_eq!(matches.as_array().unwrap().len(), 1);
    assert_eq!(
        keys(&matches[0]),
        keys(&example("myPreventedMatches", None)[0])
    );
    assert_eq!(matches[0]["makerPreventedQuantity"], "0.10000000");
    let by_id = h.call(
        "myPreventedMatches",
        json!({"symbol": "BTCUSDT", "preventedMatchId": 1}),
    );
    let weight = |r: &Value| r["rateLimits"][0]["count"].as_i64().unwrap();
    assert_eq!(weight(&by_id) - weight(&reply), 2, "2 by preventedMatchId");
    assert_eq!(by_id["result"][0]["preventedMatchId"], 1);
    assert_eq!(
        h.error("myPreventedMatches", json!({"symbol": "BTCUSDT"}))
            .0,
        -1102
    );
}

#[test]
fn reference_price_calculation_has_the_documented_shape() {
    let mut h = Harness::new();
    let calc = h.ok("referencePrice.calculation", json!({"symbol": "BTCUSDT"}));
    assert_eq!(
        keys(&calc),
        keys(&example("referencePrice.calculation", Some(0)))
    );
    assert_eq!(
        h.error(
            "referencePrice.calculation",
            json!({"symbol": "BTCUSDT", "symbolStatus": "HALT"})
        )
        .0,
        -1220
    );
}

#[test]
fn opo_sells_what_the_working_order_bought() {
    let mut h = Harness::new();
    let opo = |working_side: &str, pending_side: &str| {
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": working_side,
               "workingPrice": "30100", "workingQuantity": "0.2", "workingTimeInForce": "GTC",
               "pendingType": "MARKET", "pendingSide": pending_side})
    };
    assert_eq!(h.error("orderList.place.opo", opo("SELL", "SELL")).0, -1222);
    assert_eq!(h.error("orderList.place.opo", opo("BUY", "BUY")).0, -1223);
    let list = h.ok("orderList.place.opo", opo("BUY", "SELL"));
    assert_same_shape(&list, &example("orderList.place.opo", None));
    assert_eq!(list["contingencyType"], "OTO");
    assert!(
        list["orderReports"][1].get("origQty").is_none(),
        "no quantity while pending"
    );
    // 0.2 bought at 30015 less 0.1 % commission: 0.1998 sold at market.
    let pending = h.status(&list["orders"][1]["orderId"]);
    assert_eq!(pending["status"], "FILLED", "{pending}");
    assert_eq!(pending["origQty"], "0.19980000");
    assert_eq!(pending["executedQty"], "0.19980000");
    assert_eq!(h.locked("BTC"), Decimal::ZERO);
}

#[test]
fn opoco_rests_with_its_pending_pair_and_cancels_whole() {
    let mut h = Harness::new();
    let list = h.ok(
        "orderList.place.opoco",
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
               "workingPrice": "29000", "workingQuantity": "0.2", "workingTimeInForce": "GTC",
               "pendingSide": "SELL", "pendingAboveType": "LIMIT_MAKER", "pendingAbovePrice": "31000",
               "pendingBelowType": "STOP_LOSS_LIMIT", "pendingBelowStopPrice": "28000",
               "pendingBelowPrice": "27900", "pendingBelowTimeInForce": "GTC"}),
    );
    assert_same_shape(&list, &example("orderList.place.opoco", None));
    assert_eq!(list["orderReports"][1]["type"], "STOP_LOSS_LIMIT");
    assert_eq!(
        h.locked("USDT"),
        dec("5800"),
        "only the working order locks"
    );
    assert_eq!(
        h.error(
            "order.amend.keepPriority",
            json!({"symbol": "BTCUSDT", "orderId": list["orders"][1]["orderId"], "newQty": "0.1"})
        ),
        (
            -2038,
            "Order amend (pending OPO order) is not supported.".to_owned()
        )
    );
    // Amending the working order renames it: the list reports UPDATED.
    h.events.clear();
    let amended = h.ok(
        "order.amend.keepPriority",
        json!({"symbol": "BTCUSDT", "orderId": list["orders"][0]["orderId"], "newQty": "0.1",
               "newClientOrderId": "smaller"}),
    );
    assert_eq!(amended["amendedOrder"]["orderListId"], list["orderListId"]);
    let updated = h.take_events("listStatus");
    assert_eq!(updated.len(), 1);
    assert_eq!(updated[0]["l"], "UPDATED");
    assert_eq!(updated[0]["O"][0]["c"], "smaller");
    assert_eq!(h.locked("USDT"), dec("2900"));
    let cancelled = h.ok(
        "orderList.cancel",
        json!({"symbol": "BTCUSDT", "orderListId": list["orderListId"]}),
    );
    assert_eq!(cancelled["listOrderStatus"], "ALL_DONE");
    assert_eq!(h.locked("USDT"), Decimal::ZERO);
}

#[test]
fn list_legs_name_their_own_missing_parameters() {
    let mut h = Harness::new();
    let (code, msg) = h.error(
        "orderList.place.oto",
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
               "workingPrice": "29000", "workingQuantity": "0.2", "workingTimeInForce": "GTC",
               "pendingType": "LIMIT", "pendingSide": "SELL", "pendingQuantity": "0.2",
               "pendingPrice": "31000"}),
    );
    assert_eq!(
        (code, msg.as_str()),
        (
            -1102,
            "Mandatory parameter 'pendingTimeInForce' was not sent, was empty/null, or malformed."
        )
    );
    let (code, msg) = h.error(
        "orderList.place.oco",
        json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1",
               "aboveType": "LIMIT_MAKER", "abovePrice": "30100", "belowType": "STOP_LOSS"}),
    );
    assert_eq!(code, -1102);
    assert!(msg.contains("belowStopPrice"), "{msg}");
    assert_eq!(h.locked("USDT"), Decimal::ZERO);
}

#[test]
fn stp_decrement_takes_the_overlap_off_both_and_expires_the_smaller() {
    let mut h = Harness::new();
    let sell = |qty: &str| {
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "GTC",
               "price": "30100", "quantity": qty})
    };
    let buy = |qty: &str, mode: &str| {
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC",
               "price": "30100", "quantity": qty, "selfTradePreventionMode": mode,
               "newOrderRespType": "RESULT"})
    };
    // The resting order is the smaller: it expires; the taker goes on with 0.3 less.
    let maker = h.ok("order.place", sell("0.3"));
    let taker = h.ok("order.place", buy("6.5", "DECREMENT"));
    assert_eq!(taker["executedQty"], "6.00000000", "six ladder levels");
    assert_eq!(taker["status"], "EXPIRED", "IOC rest");
    assert_eq!(h.status(&maker["orderId"])["status"], "EXPIRED_IN_MATCH");
    assert_eq!(h.locked("BTC"), Decimal::ZERO);
    let reports: Vec<Value> = h
        .take_events("executionReport")
        .into_iter()
        .filter(|e| e["x"] == "TRADE_PREVENTION")
        .collect();
    assert_eq!(reports.len(), 2, "one for each order: {reports:?}");
    let (on_maker, on_taker) = (&reports[0], &reports[1]);
    assert_eq!(on_maker["i"], maker["orderId"]);
    assert_eq!(on_maker["X"], "EXPIRED_IN_MATCH");
    assert_eq!(on_maker["U"], taker["orderId"], "counter order");
    assert_eq!(on_taker["i"], taker["orderId"]);
    assert_eq!(on_taker["X"], "PARTIALLY_FILLED", "the taker goes on");
    assert_eq!(on_taker["v"], 1);
    assert_eq!(on_taker["pl"], "0.30000000");
    assert_eq!(on_taker["pL"], "30100.00000000");
    assert_eq!(on_taker["l"], "0.00000000");
    assert_eq!(taker["preventedQuantity"], "0.30000000");
    assert_eq!(taker["preventedMatchId"], 1);
    let matches = h.ok(
        "myPreventedMatches",
        json!({"symbol": "BTCUSDT", "orderId": maker["orderId"]}),
    );
    assert_eq!(matches[0]["selfTradePreventionMode"], "DECREMENT");
    assert_eq!(matches[0]["takerPreventedQuantity"], "0.30000000");
    assert_eq!(matches[0]["makerPreventedQuantity"], "0.30000000");
    assert_eq!(matches[0]["tradeGroupId"], -1);

    // The taker is the smaller: it expires in match; the resting order keeps 0.6 of 1.
    let maker = h.ok("order.place", sell("1"));
    let taker = h.ok("order.place", buy("6.4", "TRANSFER"));
    assert_eq!(taker["status"], "EXPIRED_IN_MATCH");
    let rest = h.status(&maker["orderId"]);
    assert_eq!(rest["status"], "NEW");
    assert_eq!(h.locked("BTC"), dec("0.6"), "the prevented 0.4 is unlocked");
    let depth = h.ok("depth", json!({"symbol": "BTCUSDT", "limit": 100}));
    let level = depth["asks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l[0] == "30100.00000000")
        .unwrap()
        .clone();
    assert_eq!(level[1], "0.60000000");
}

#[test]
fn buy_oco_limit_leg_holding_the_pair_lock_fills_and_gives_the_rest_back() {
    let mut h = Harness::new();
    let list = h.ok(
        "orderList.place.oco",
        json!({"symbol": "BTCUSDT", "side": "BUY", "quantity": "0.5",
               "aboveType": "STOP_LOSS_LIMIT", "aboveStopPrice": "30100", "abovePrice": "30200",
               "aboveTimeInForce": "GTC", "belowType": "LIMIT_MAKER", "belowPrice": "29980"}),
    );
    assert_eq!(h.locked("USDT"), dec("15100"));
    // Sell 1.5 (self-trade allowed): 1 at 29985 to the market maker, 0.5 at 29980 to the leg.
    h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "LIMIT", "timeInForce": "IOC",
               "price": "29980", "quantity": "1.5", "selfTradePreventionMode": "NONE"}),
    );
    assert_eq!(h.status(&list["orders"][1]["orderId"])["status"], "FILLED");
    assert_eq!(h.status(&list["orders"][0]["orderId"])["status"], "EXPIRED");
    assert_eq!(
        h.locked("USDT"),
        Decimal::ZERO,
        "the 110 USDT surplus came back"
    );
}

/// A small deterministic generator for the random sequences below.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    /// A price 5-USDT steps around 30000, as text.
    fn price(&mut self, spread: i64) -> String {
        let steps = (self.next() % (2 * spread as u64 + 1)) as i64 - spread;
        (Decimal::from(30_000) + Decimal::from(steps * 5)).to_string()
    }

    fn qty(&mut self) -> String {
        let tenths = 1 + self.next() % 15;
        (Decimal::from(tenths) / Decimal::from(10)).to_string()
    }
}

/// Random mixes of every order type, list kind, STP mode, cancel and amend: whatever is accepted
/// or refused, balances stay non-negative, locks match the open orders, the book never crosses,
/// and every reply is a 200 or a documented 4xx.
#[test]
fn random_sequences_keep_balances_locks_and_book_consistent() {
    let mut accepted: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut triggered = 0;
    for seed in 1..=8_u64 {
        let mut h = Harness::new();
        let mut rng = Rng(0x2545_F491_4F6C_DD1D ^ seed.wrapping_mul(0x9E37_79B9));
        for _ in 0..120 {
            let side = rng.pick(&["BUY", "SELL"]);
            let other = if side == "BUY" { "SELL" } else { "BUY" };
            let stp = rng.pick(&[
                "NONE",
                "EXPIRE_TAKER",
                "EXPIRE_MAKER",
                "EXPIRE_BOTH",
                "DECREMENT",
                "TRANSFER",
            ]);
            let (method, params) = match rng.next() % 11 {
                0 => (
                    "order.place",
                    json!({"symbol": "BTCUSDT", "side": side, "type": "MARKET",
                           "quantity": rng.qty(), "selfTradePreventionMode": stp}),
                ),
                1 | 2 => (
                    "order.place",
                    json!({"symbol": "BTCUSDT", "side": side, "type": "LIMIT",
                           "timeInForce": rng.pick(&["GTC", "IOC", "FOK"]),
                           "price": rng.price(40), "quantity": rng.qty(),
                           "selfTradePreventionMode": stp}),
                ),
                3 => {
                    let kind = rng.pick(&[
                        "STOP_LOSS",
                        "STOP_LOSS_LIMIT",
                        "TAKE_PROFIT",
                        "TAKE_PROFIT_LIMIT",
                    ]);
                    let mut p = json!({"symbol": "BTCUSDT", "side": side, "type": kind,
                                       "quantity": rng.qty(), "selfTradePreventionMode": stp});
                    if rng.next() % 3 == 0 {
                        p["trailingDelta"] = json!(10 + rng.next() % 50);
                    } else {
                        p["stopPrice"] = json!(rng.price(20));
                    }
                    if kind.ends_with("_LIMIT") {
                        p["price"] = json!(rng.price(40));
                        p["timeInForce"] = json!(rng.pick(&["GTC", "IOC"]));
                    }
                    ("order.place", p)
                }
                4 => (
                    "orderList.place.oco",
                    json!({"symbol": "BTCUSDT", "side": side, "quantity": rng.qty(),
                           "aboveType": if side == "SELL" { "LIMIT_MAKER" } else { "STOP_LOSS_LIMIT" },
                           "abovePrice": rng.price(30), "aboveStopPrice": rng.price(30),
                           "aboveTimeInForce": "GTC",
                           "belowType": if side == "SELL" { "STOP_LOSS" } else { "LIMIT_MAKER" },
                           "belowPrice": rng.price(30), "belowStopPrice": rng.price(30)})
                    .without_unused(),
                ),
                5 => (
                    "orderList.place.oto",
                    json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": side,
                           "workingPrice": rng.price(10), "workingQuantity": rng.qty(),
                           "workingTimeInForce": "GTC", "pendingType": rng.pick(&["MARKET", "LIMIT_MAKER"]),
                           "pendingSide": other, "pendingQuantity": rng.qty(),
                           "pendingPrice": rng.price(40)})
                    .without_unused(),
                ),
                6 => (
                    "orderList.place.otoco",
                    json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
                           "workingPrice": rng.price(10), "workingQuantity": rng.qty(),
                           "workingTimeInForce": "GTC", "pendingSide": "SELL",
                           "pendingQuantity": rng.qty(), "pendingAboveType": "LIMIT_MAKER",
                           "pendingAbovePrice": rng.price(40), "pendingBelowType": "STOP_LOSS",
                           "pendingBelowStopPrice": rng.price(40)}),
                ),
                7 => (
                    "orderList.place.opo",
                    json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
                           "workingPrice": rng.price(10), "workingQuantity": rng.qty(),
                           "workingTimeInForce": "GTC", "pendingType": "LIMIT_MAKER",
                           "pendingSide": "SELL", "pendingPrice": rng.price(40)}),
                ),
                8 => {
                    let open = h.shared.exchange.open_orders(DEMO, Some("BTCUSDT"));
                    if open.is_empty() {
                        continue;
                    }
                    let id = open[(rng.next() % open.len() as u64) as usize].id;
                    (
                        "order.cancel",
                        json!({"symbol": "BTCUSDT", "orderId": id}),
                    )
                }
                9 => {
                    let open = h.shared.exchange.open_orders(DEMO, Some("BTCUSDT"));
                    if open.is_empty() {
                        continue;
                    }
                    let o = open[(rng.next() % open.len() as u64) as usize];
                    let new_qty = (o.orig_qty / Decimal::from(2)).round_dp(5);
                    (
                        "order.amend.keepPriority",
                        json!({"symbol": "BTCUSDT", "orderId": o.id, "newQty": new_qty.to_string()}),
                    )
                }
                _ => {
                    let lists = h.shared.exchange.order_lists(DEMO, true);
                    if lists.is_empty() {
                        continue;
                    }
                    let id = lists[(rng.next() % lists.len() as u64) as usize].id;
                    (
                        "orderList.cancel",
                        json!({"symbol": "BTCUSDT", "orderListId": id}),
                    )
                }
            };
            let reply = h.call(method, params);
            let status = reply["status"].as_u64().unwrap();
            assert!(
                matches!(status, 200 | 400 | 409 | 429),
                "seed {seed}: {method}: {reply}"
            );
            if status != 200 {
                assert!(reply["error"]["code"].as_i64().unwrap() < 0, "{reply}");
            } else {
                *accepted.entry(method).or_default() += 1;
            }
        }
        triggered += h
            .take_events("executionReport")
            .iter()
            .filter(|e| e["x"] == "NEW" && e["w"] == true && e["P"] != "0.00000000")
            .count();
    }
    // The mix reaches every path: each kind of request was accepted, and stops triggered.
    for method in [
        "order.place",
        "orderList.place.oco",
        "orderList.place.oto",
        "orderList.place.otoco",
        "orderList.place.opo",
        "order.cancel",
        "order.amend.keepPriority",
        "orderList.cancel",
    ] {
        assert!(
            accepted.get(method).copied().unwrap_or(0) > 0,
            "{method}: {accepted:?}"
        );
    }
    assert!(triggered > 0, "no stop triggered");
}

trait WithoutUnused {
    /// Drops the parameters a leg's type does not take (prices of market-like legs, stop prices
    /// of LIMIT_MAKER legs, time in force of LIMIT_MAKER), as a client would.
    fn without_unused(self) -> Self;
}

impl WithoutUnused for Value {
    fn without_unused(mut self) -> Self {
        for prefix in ["above", "below", "pending"] {
            let kind = self[format!("{prefix}Type")]
                .as_str()
                .unwrap_or("")
                .to_owned();
            let map = self.as_object_mut().unwrap();
            if kind == "LIMIT_MAKER" {
                map.remove(&format!("{prefix}StopPrice"));
                map.remove(&format!("{prefix}TimeInForce"));
            }
            if matches!(kind.as_str(), "STOP_LOSS" | "TAKE_PROFIT" | "MARKET") {
                map.remove(&format!("{prefix}Price"));
                map.remove(&format!("{prefix}TimeInForce"));
            }
        }
        self
    }
}

/// Every method whose documented weight is one number (possibly followed by `;` and the
/// conditions that change it) weighs that number in the emulator for a request without
/// parameters; `methods.tsv` is the digest of the docs.
#[test]
fn plain_weights_follow_methods_tsv() {
    let path = format!(
        "{}/../../testdata/spec/methods.tsv",
        env!("CARGO_MANIFEST_DIR")
    );
    let table = std::fs::read_to_string(path).unwrap();
    let mut checked = 0;
    for line in table.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (name, weight) = (cols[0], cols[3]);
        let Some(spec) = binance_wsapi_emulator::methods::find(name) else {
            continue;
        };
        let head = weight.split(';').next().unwrap().trim();
        let Ok(documented) = head.parse::<u64>() else {
            continue;
        };
        let frame = binance_wsapi_emulator::frame::parse_request(&format!(
            r#"{{"id":1,"method":"{name}","params":{{}}}}"#
        ))
        .unwrap();
        assert_eq!((spec.weight)(&frame), documented, "{name}: {weight}");
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} plain weights");
}

#[test]
fn sor_orders_fill_as_allocations() {
    let mut h = Harness::new();
    let placed = h.ok(
        "sor.order.place",
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "GTC",
               "price": "30100", "quantity": "0.5"}),
    );
    let documented = example("sor.order.place", None);
    assert_eq!(keys(&placed[0]), keys(&documented[0]));
    assert_eq!(
        keys(&placed[0]["fills"][0]),
        keys(&documented[0]["fills"][0])
    );
    assert_eq!(placed[0]["usedSor"], true);
    assert_eq!(placed[0]["workingFloor"], "SOR");
    assert_eq!(placed[0]["fills"][0]["tradeId"], -1);
    assert_eq!(placed[0]["fills"][0]["matchType"], "ONE_PARTY_TRADE_REPORT");
    let order_id = placed[0]["orderId"].clone();
    assert_eq!(h.status(&order_id)["usedSor"], true);
    let report = h
        .take_events("executionReport")
        .into_iter()
        .find(|e| e["x"] == "TRADE")
        .unwrap();
    assert_eq!(
        (
            report["uS"].clone(),
            report["k"].clone(),
            report["b"].clone()
        ),
        (json!(true), json!("SOR"), json!("ONE_PARTY_TRADE_REPORT"))
    );
    let allocations = h.ok(
        "myAllocations",
        json!({"symbol": "BTCUSDT", "orderId": order_id}),
    );
    assert_eq!(allocations.as_array().unwrap().len(), 1);
    assert_eq!(
        keys(&allocations[0]),
        keys(&example("myAllocations", None)[0])
    );
    assert_eq!(allocations[0]["qty"], "0.50000000");
    assert_eq!(allocations[0]["isBuyer"], true);
    let trades = h.ok("myTrades", json!({"symbol": "BTCUSDT"}));
    assert!(
        trades.as_array().unwrap().is_empty(),
        "allocations are not trades: {trades}"
    );
    assert_eq!(
        h.error(
            "sor.order.place",
            json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT_MAKER",
                   "price": "29000", "quantity": "0.5"})
        )
        .0,
        -1116
    );
    let test = h.ok(
        "sor.order.test",
        json!({"symbol": "BTCUSDT", "side": "SELL", "type": "MARKET", "quantity": "0.1",
               "computeCommissionRates": true}),
    );
    assert_eq!(keys(&test), keys(&example("sor.order.test", Some(0))));
    let info = h.ok("exchangeInfo", json!({"symbol": "BTCUSDT"}));
    assert!(info["sors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["baseAsset"] == "BTC" && s["symbols"][0] == "BTCUSDT"));
}

#[test]
fn unsupported_order_features_are_refused_as_binance_refuses_them() {
    let mut h = Harness::new();
    let limit = |extra: Value| {
        let mut p = json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT",
                           "timeInForce": "GTC", "price": "29000", "quantity": "0.1"});
        for (k, v) in extra.as_object().unwrap() {
            p[k] = v.clone();
        }
        p
    };
    assert_eq!(
        h.error("order.place", limit(json!({"icebergQty": "0.01"}))),
        (
            -2010,
            "Iceberg orders are not supported for this symbol.".to_owned()
        )
    );
    assert_eq!(
        h.error("order.place", limit(json!({"pegPriceType": "PRIMARY_PEG"})))
            .1,
        "Pegged orders are not supported for this symbol."
    );
    assert_eq!(
        h.error("order.place", limit(json!({"strategyType": 5}))),
        (-1134, "strategyType was less than 1000000.".to_owned())
    );
    assert_eq!(
        h.error(
            "order.place",
            limit(json!({"selfTradePreventionMode": "SOMETIMES"}))
        )
        .0,
        -1100
    );
    assert_eq!(
        h.error(
            "orderList.place.oco",
            json!({"symbol": "BTCUSDT", "side": "SELL", "quantity": "0.1",
                   "aboveType": "LIMIT_MAKER", "abovePrice": "30100", "aboveIcebergQty": "0.01",
                   "belowType": "STOP_LOSS", "belowStopPrice": "29900"})
        )
        .1,
        "Iceberg orders are not supported for this symbol."
    );
    // strategyId and a valid strategyType are accepted and echoed.
    h.events.clear();
    let placed = h.ok(
        "order.place",
        limit(json!({"strategyId": 7, "strategyType": 1_000_000, "newOrderRespType": "RESULT"})),
    );
    assert_eq!(
        (
            placed["strategyId"].as_i64(),
            placed["strategyType"].as_i64()
        ),
        (Some(7), Some(1_000_000))
    );
    let status = h.status(&placed["orderId"]);
    assert_eq!(status["strategyId"], 7);
    let report = h.take_events("executionReport").pop().unwrap();
    assert_eq!(
        (report["j"].as_i64(), report["J"].as_i64()),
        (Some(7), Some(1_000_000))
    );
}

#[test]
fn expired_orders_say_why() {
    let mut h = Harness::new();
    // An IOC remainder.
    let ioc = h.ok(
        "order.place",
        json!({"symbol": "BTCUSDT", "side": "BUY", "type": "LIMIT", "timeInForce": "IOC",
               "price": "30015", "quantity": "1.5", "newOrderRespType": "RESULT"}),
    );
    assert_eq!(ioc["expiryReason"], "UNFILLED_IOC_QUANTITY_EXPIRED");
    let report = h
        .take_events("executionReport")
        .into_iter()
        .find(|e| e["x"] == "EXPIRED")
        .unwrap();
    assert_eq!(report["eR"], "UNFILLED_IOC_QUANTITY_EXPIRED");
    // An OTO whose working IOC order expires unfilled takes its pending order with it.
    let list = h.ok(
        "orderList.place.oto",
        json!({"symbol": "BTCUSDT", "workingType": "LIMIT", "workingSide": "BUY",
               "workingPrice": "29000", "workingQuantity": "0.2", "workingTimeInForce": "IOC",
               "pendingType": "LIMIT_MAKER", "pendingSide": "SELL", "pendingPrice": "31000",
               "pendingQuantity": "0.2"}),
    );
    let pending = h.status(&list["orders"][1]["orderId"]);
    assert_eq!(pending["status"], "EXPIRED", "{pending}");
    assert_eq!(pending["expiryReason"], "OTO_PHASE_ONE_EXPIRED");
    let last = h.take_events("listStatus").pop().unwrap();
    assert_eq!(last["L"], "ALL_DONE");
}
