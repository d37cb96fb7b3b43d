//! One symbol's order book: resting order ids by price level, oldest first (price-time priority).

use std::cmp::Reverse;
use std::collections::{BTreeMap, VecDeque};

use rust_decimal::Decimal;

/// Buy or sell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// Bids.
    Buy,
    /// Asks.
    Sell,
}

impl Side {
    /// Binance's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Buy => "BUY",
            Self::Sell => "SELL",
        }
    }

    /// From Binance's name.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "BUY" => Some(Self::Buy),
            "SELL" => Some(Self::Sell),
            _ => None,
        }
    }
}

/// The resting orders of one symbol.
#[derive(Debug, Default, Clone)]
pub struct Book {
    bids: BTreeMap<Reverse<Decimal>, VecDeque<u64>>,
    asks: BTreeMap<Decimal, VecDeque<u64>>,
}

impl Book {
    /// Rests `order_id` at the back of its price level.
    pub fn insert(&mut self, side: Side, price: Decimal, order_id: u64) {
        match side {
            Side::Buy => self
                .bids
                .entry(Reverse(price))
                .or_default()
                .push_back(order_id),
            Side::Sell => self.asks.entry(price).or_default().push_back(order_id),
        }
    }

    /// Takes `order_id` off the book.
    pub fn remove(&mut self, side: Side, price: Decimal, order_id: u64) {
        let level = match side {
            Side::Buy => self.bids.get_mut(&Reverse(price)),
            Side::Sell => self.asks.get_mut(&price),
        };
        if let Some(level) = level {
            level.retain(|id| *id != order_id);
            if level.is_empty() {
                match side {
                    Side::Buy => {
                        self.bids.remove(&Reverse(price));
                    }
                    Side::Sell => {
                        self.asks.remove(&price);
                    }
                }
            }
        }
    }

    /// The orders an incoming order on `taker_side` would meet, best price first, oldest first
    /// within a level: `(price, order id)`.
    pub fn opposite(&self, taker_side: Side) -> Vec<(Decimal, u64)> {
        match taker_side {
            Side::Buy => self
                .asks
                .iter()
                .flat_map(|(p, q)| q.iter().map(move |id| (*p, *id)))
                .collect(),
            Side::Sell => self
                .bids
                .iter()
                .flat_map(|(p, q)| q.iter().map(move |id| (p.0, *id)))
                .collect(),
        }
    }

    /// Best bid and best ask.
    pub fn best(&self) -> (Option<Decimal>, Option<Decimal>) {
        (
            self.bids.keys().next().map(|r| r.0),
            self.asks.keys().next().copied(),
        )
    }

    /// Price levels of one side, best first, with their order ids.
    pub fn levels(&self, side: Side) -> Vec<(Decimal, Vec<u64>)> {
        match side {
            Side::Buy => self
                .bids
                .iter()
                .map(|(p, q)| (p.0, q.iter().copied().collect()))
                .collect(),
            Side::Sell => self
                .asks
                .iter()
                .map(|(p, q)| (*p, q.iter().copied().collect()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_then_time_priority() {
        let mut book = Book::default();
        book.insert(Side::Sell, Decimal::from(101), 1);
        book.insert(Side::Sell, Decimal::from(100), 2);
        book.insert(Side::Sell, Decimal::from(100), 3);
        book.insert(Side::Buy, Decimal::from(99), 4);
        book.insert(Side::Buy, Decimal::from(98), 5);
        let asks: Vec<u64> = book
            .opposite(Side::Buy)
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        assert_eq!(asks, [2, 3, 1]);
        let bids: Vec<u64> = book
            .opposite(Side::Sell)
            .into_iter()
            .map(|(_, id)| id)
            .collect();
        assert_eq!(bids, [4, 5]);
        book.remove(Side::Sell, Decimal::from(100), 2);
        assert_eq!(
            book.best(),
            (Some(Decimal::from(99)), Some(Decimal::from(100)))
        );
        book.remove(Side::Sell, Decimal::from(100), 3);
        assert_eq!(book.best().1, Some(Decimal::from(101)));
    }
}
