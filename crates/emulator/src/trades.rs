//! The trades the emulator has matched, and the market data derived from them (recent and
//! aggregate trades, klines, 24 h tickers), so that every figure is the emulator's own.

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::accounts::AccountId;
use crate::market::fmt8;

/// One matched trade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TradeRecord {
    /// Trade id (per exchange, increasing).
    pub id: u64,
    /// Price.
    pub price: Decimal,
    /// Base quantity.
    pub qty: Decimal,
    /// When (ms).
    pub time: i64,
    /// Whether the buyer's order was resting (the seller took).
    pub buyer_is_maker: bool,
    /// Buyer's order and account.
    pub buyer: (u64, AccountId),
    /// Seller's order and account.
    pub seller: (u64, AccountId),
    /// Commission charged to the buyer (in base) and to the seller (in quote).
    pub commissions: (Decimal, Decimal),
}

impl TradeRecord {
    /// As `trades.recent` shows it.
    pub fn public_json(&self) -> Value {
        json!({"id": self.id, "price": fmt8(self.price), "qty": fmt8(self.qty),
               "quoteQty": fmt8(self.price * self.qty), "time": self.time,
               "isBuyerMaker": self.buyer_is_maker, "isBestMatch": true})
    }

    /// As `trades.aggregate` shows it (each trade is its own aggregate here).
    pub fn aggregate_json(&self) -> Value {
        json!({"a": self.id, "p": fmt8(self.price), "q": fmt8(self.qty), "f": self.id, "l": self.id,
               "T": self.time, "m": self.buyer_is_maker, "M": true})
    }

    /// As `myTrades` shows it to `account` (the buyer's side first if it was both).
    pub fn account_json(&self, symbol: &str, account: AccountId, base: &str, quote: &str) -> Value {
        let is_buyer = self.buyer.1 == account;
        let (order_id, commission, asset) = if is_buyer {
            (self.buyer.0, self.commissions.0, base)
        } else {
            (self.seller.0, self.commissions.1, quote)
        };
        json!({"symbol": symbol, "id": self.id, "orderId": order_id, "orderListId": -1,
               "price": fmt8(self.price), "qty": fmt8(self.qty), "quoteQty": fmt8(self.price * self.qty),
               "commission": fmt8(commission), "commissionAsset": asset, "time": self.time,
               "isBuyer": is_buyer, "isMaker": is_buyer == self.buyer_is_maker, "isBestMatch": true})
    }
}

/// Kline interval lengths Binance accepts, in ms (`1M` is taken as 30 days).
pub fn interval_ms(interval: &str) -> Option<i64> {
    const MIN: i64 = 60_000;
    Some(match interval {
        "1s" => 1000,
        "1m" => MIN,
        "3m" => 3 * MIN,
        "5m" => 5 * MIN,
        "15m" => 15 * MIN,
        "30m" => 30 * MIN,
        "1h" => 60 * MIN,
        "2h" => 120 * MIN,
        "4h" => 240 * MIN,
        "6h" => 360 * MIN,
        "8h" => 480 * MIN,
        "12h" => 720 * MIN,
        "1d" => 1440 * MIN,
        "3d" => 3 * 1440 * MIN,
        "1w" => 7 * 1440 * MIN,
        "1M" => 30 * 1440 * MIN,
        _ => return None,
    })
}

/// Klines of `len` ms from `trades` (oldest first) between `start` and `end`, at most `limit`.
pub fn klines(
    trades: &[TradeRecord],
    len: i64,
    start: Option<i64>,
    end: Option<i64>,
    limit: usize,
) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut current: Option<(i64, Vec<&TradeRecord>)> = None;
    let in_range =
        |t: &&TradeRecord| start.is_none_or(|s| t.time >= s) && end.is_none_or(|e| t.time <= e);
    for trade in trades.iter().filter(in_range) {
        let open = trade.time - trade.time.rem_euclid(len);
        match &mut current {
            Some((o, list)) if *o == open => list.push(trade),
            _ => {
                if let Some((o, list)) = current.take() {
                    out.push(kline(o, len, &list));
                }
                current = Some((open, vec![trade]));
            }
        }
    }
    if let Some((o, list)) = current {
        out.push(kline(o, len, &list));
    }
    // With no start, the most recent klines are wanted.
    if start.is_none() && out.len() > limit {
        out.drain(..out.len() - limit);
    }
    out.truncate(limit);
    out
}

fn kline(open_time: i64, len: i64, trades: &[&TradeRecord]) -> Value {
    let prices: Vec<Decimal> = trades.iter().map(|t| t.price).collect();
    let volume: Decimal = trades.iter().map(|t| t.qty).sum();
    let quote: Decimal = trades.iter().map(|t| t.qty * t.price).sum();
    let taker_buys: Vec<&&TradeRecord> = trades.iter().filter(|t| !t.buyer_is_maker).collect();
    let taker_base: Decimal = taker_buys.iter().map(|t| t.qty).sum();
    let taker_quote: Decimal = taker_buys.iter().map(|t| t.qty * t.price).sum();
    let high = prices.iter().copied().max().unwrap_or_default();
    let low = prices.iter().copied().min().unwrap_or_default();
    json!([
        open_time,
        fmt8(prices[0]),
        fmt8(high),
        fmt8(low),
        fmt8(prices[prices.len() - 1]),
        fmt8(volume),
        open_time + len - 1,
        fmt8(quote),
        trades.len(),
        fmt8(taker_base),
        fmt8(taker_quote),
        "0"
    ])
}

/// Statistics of the trades in `[open_time, close_time]`: the fields every ticker shares.
pub fn window_stats(
    symbol: &str,
    trades: &[TradeRecord],
    open_time: i64,
    close_time: i64,
    reference: Decimal,
) -> Value {
    let window: Vec<&TradeRecord> = trades
        .iter()
        .filter(|t| t.time >= open_time && t.time <= close_time)
        .collect();
    let first = window.first().map_or(reference, |t| t.price);
    let last = window.last().map_or(reference, |t| t.price);
    let volume: Decimal = window.iter().map(|t| t.qty).sum();
    let quote: Decimal = window.iter().map(|t| t.qty * t.price).sum();
    let change = last - first;
    let percent = if first.is_zero() {
        Decimal::ZERO
    } else {
        (change / first * Decimal::from(100)).round_dp(3)
    };
    let weighted = if volume.is_zero() {
        last
    } else {
        quote / volume
    };
    json!({
        "symbol": symbol,
        "priceChange": fmt8(change),
        "priceChangePercent": format!("{:.3}", percent),
        "weightedAvgPrice": fmt8(weighted),
        "openPrice": fmt8(first),
        "highPrice": fmt8(window.iter().map(|t| t.price).max().unwrap_or(last)),
        "lowPrice": fmt8(window.iter().map(|t| t.price).min().unwrap_or(last)),
        "lastPrice": fmt8(last),
        "volume": fmt8(volume),
        "quoteVolume": fmt8(quote),
        "openTime": open_time,
        "closeTime": close_time,
        "firstId": window.first().map_or(-1, |t| t.id as i64),
        "lastId": window.last().map_or(-1, |t| t.id as i64),
        "count": window.len(),
    })
}

/// The 24 h statistics of `trades` ending at `now`, with the book's best quotes.
pub fn ticker_24h(
    symbol: &str,
    trades: &[TradeRecord],
    now: i64,
    best: (Decimal, Decimal, Decimal, Decimal),
    reference: Decimal,
) -> Value {
    let mut v = window_stats(symbol, trades, now - 86_400_000, now, reference);
    let last_qty = trades
        .iter()
        .rev()
        .find(|t| t.time >= now - 86_400_000)
        .map_or(Decimal::ZERO, |t| t.qty);
    let (bid, bid_qty, ask, ask_qty) = best;
    v["prevClosePrice"] = v["openPrice"].clone();
    v["lastQty"] = json!(fmt8(last_qty));
    v["bidPrice"] = json!(fmt8(bid));
    v["bidQty"] = json!(fmt8(bid_qty));
    v["askPrice"] = json!(fmt8(ask));
    v["askQty"] = json!(fmt8(ask_qty));
    v
}

/// A rolling window size (`1m`..`59m`, `1h`..`23h`, `1d`..`7d`) in ms.
pub fn window_ms(size: &str) -> Option<i64> {
    let (number, unit) = size.split_at(size.len().checked_sub(1)?);
    let n: i64 = number.parse().ok()?;
    let (max, unit_ms) = match unit {
        "m" => (59, 60_000),
        "h" => (23, 3_600_000),
        "d" => (7, 86_400_000),
        _ => return None,
    };
    (1..=max).contains(&n).then_some(n * unit_ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trade(id: u64, price: i64, time: i64) -> TradeRecord {
        TradeRecord {
            id,
            price: Decimal::from(price),
            qty: Decimal::ONE,
            time,
            buyer_is_maker: id % 2 == 0,
            buyer: (1, 1),
            seller: (2, 2),
            commissions: (Decimal::ZERO, Decimal::ZERO),
        }
    }

    #[test]
    fn klines_bucket_trades_by_interval() {
        let trades = [
            trade(1, 10, 60_000),
            trade(2, 12, 61_000),
            trade(3, 9, 119_999),
            trade(4, 11, 120_000),
        ];
        let k = klines(&trades, 60_000, None, None, 500);
        assert_eq!(k.len(), 2);
        assert_eq!(k[0][0], 60_000);
        assert_eq!(k[0][1], "10.00000000");
        assert_eq!(k[0][2], "12.00000000");
        assert_eq!(k[0][3], "9.00000000");
        assert_eq!(k[0][4], "9.00000000");
        assert_eq!(k[0][6], 119_999);
        assert_eq!(k[0][8], 3);
        assert_eq!(
            klines(&trades, 60_000, None, None, 1)[0][0],
            120_000,
            "latest when no start"
        );
        assert_eq!(
            klines(&trades, 60_000, Some(0), None, 1)[0][0],
            60_000,
            "earliest from start"
        );
        assert_eq!(interval_ms("1h"), Some(3_600_000));
        assert_eq!(interval_ms("7m"), None);
    }

    #[test]
    fn ticker_covers_the_last_day() {
        let now = 200_000_000;
        let trades = [
            trade(1, 100, 1),
            trade(2, 100, now - 1000),
            trade(3, 110, now - 10),
        ];
        let best = (
            Decimal::from(109),
            Decimal::ONE,
            Decimal::from(111),
            Decimal::ONE,
        );
        let t = ticker_24h("X", &trades, now, best, Decimal::from(100));
        assert_eq!(t["count"], 2);
        assert_eq!(t["priceChange"], "10.00000000");
        assert_eq!(t["priceChangePercent"], "10.000");
        assert_eq!(t["firstId"], 2);
        assert_eq!(t["bidPrice"], "109.00000000");
    }

    #[test]
    fn window_sizes() {
        assert_eq!(window_ms("1d"), Some(86_400_000));
        assert_eq!(window_ms("59m"), Some(59 * 60_000));
        assert_eq!(window_ms("60m"), None);
        assert_eq!(window_ms("8d"), None);
        assert_eq!(window_ms("x"), None);
        assert_eq!(window_ms(""), None);
    }
}
