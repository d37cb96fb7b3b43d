//! Symbols, their filters, and the default markets.

use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::errors::ApiErr;
use crate::exchange::{MAX_TRAILING_DELTA, MIN_TRAILING_DELTA};

/// A trading pair and its rules.
#[derive(Debug, Clone)]
pub struct SymbolSpec {
    /// `BTCUSDT`.
    pub symbol: String,
    /// `BTC`.
    pub base: String,
    /// `USDT`.
    pub quote: String,
    /// Where the simulated market maker centres its quotes.
    pub mid_price: Decimal,
    /// PRICE_FILTER tickSize.
    pub tick_size: Decimal,
    /// PRICE_FILTER minPrice.
    pub min_price: Decimal,
    /// PRICE_FILTER maxPrice.
    pub max_price: Decimal,
    /// LOT_SIZE stepSize.
    pub step_size: Decimal,
    /// LOT_SIZE minQty.
    pub min_qty: Decimal,
    /// LOT_SIZE maxQty.
    pub max_qty: Decimal,
    /// NOTIONAL minNotional.
    pub min_notional: Decimal,
    /// NOTIONAL maxNotional.
    pub max_notional: Decimal,
    /// PERCENT_PRICE_BY_SIDE: bid prices must lie in [mid × bid_down, mid × bid_up].
    pub bid_multiplier: (Decimal, Decimal),
    /// PERCENT_PRICE_BY_SIDE: ask prices must lie in [mid × ask_down, mid × ask_up].
    pub ask_multiplier: (Decimal, Decimal),
    /// Quantity the simulated market maker quotes at each of its price levels.
    pub maker_qty: Decimal,
}

fn d(text: &str) -> Decimal {
    // Only called with the constant literals below.
    Decimal::from_str(text).unwrap_or_default()
}

impl SymbolSpec {
    fn new(
        symbol: &str,
        base: &str,
        quote: &str,
        mid: &str,
        (tick, step, min_notional): (&str, &str, &str),
        maker_qty: &str,
    ) -> Self {
        Self {
            symbol: symbol.to_owned(),
            base: base.to_owned(),
            quote: quote.to_owned(),
            mid_price: d(mid),
            tick_size: d(tick),
            min_price: d(tick),
            max_price: d("1000000"),
            step_size: d(step),
            min_qty: d(step),
            max_qty: d("9000"),
            min_notional: d(min_notional),
            max_notional: d("9000000"),
            bid_multiplier: (d("0.2"), d("5")),
            ask_multiplier: (d("0.2"), d("5")),
            maker_qty: d(maker_qty),
        }
    }

    /// Checks a limit price against PRICE_FILTER and PERCENT_PRICE_BY_SIDE (around `reference`).
    ///
    /// # Errors
    /// `-1013 Filter failure: ...`.
    pub fn check_price(
        &self,
        price: Decimal,
        is_buy: bool,
        reference: Decimal,
    ) -> Result<(), ApiErr> {
        if price < self.min_price || price > self.max_price || !(price % self.tick_size).is_zero() {
            return Err(ApiErr::filter("PRICE_FILTER"));
        }
        let (down, up) = if is_buy {
            self.bid_multiplier
        } else {
            self.ask_multiplier
        };
        if price < reference * down || price > reference * up {
            return Err(ApiErr::filter("PERCENT_PRICE_BY_SIDE"));
        }
        Ok(())
    }

    /// Checks a quantity against LOT_SIZE.
    ///
    /// # Errors
    /// `-1013 Filter failure: LOT_SIZE`.
    pub fn check_qty(&self, qty: Decimal) -> Result<(), ApiErr> {
        if qty < self.min_qty || qty > self.max_qty || !(qty % self.step_size).is_zero() {
            return Err(ApiErr::filter("LOT_SIZE"));
        }
        Ok(())
    }

    /// Checks a notional value against NOTIONAL.
    ///
    /// # Errors
    /// `-1013 Filter failure: NOTIONAL`.
    pub fn check_notional(&self, notional: Decimal) -> Result<(), ApiErr> {
        if notional < self.min_notional || notional > self.max_notional {
            return Err(ApiErr::filter("NOTIONAL"));
        }
        Ok(())
    }

    /// Rounds a quantity down to the step size.
    pub fn floor_qty(&self, qty: Decimal) -> Decimal {
        qty - qty % self.step_size
    }

    /// The symbol's entry in `exchangeInfo`.
    pub fn exchange_info(&self) -> Value {
        json!({
            "symbol": self.symbol,
            "status": "TRADING",
            "baseAsset": self.base,
            "baseAssetPrecision": 8,
            "quoteAsset": self.quote,
            "quotePrecision": 8,
            "quoteAssetPrecision": 8,
            "baseCommissionPrecision": 8,
            "quoteCommissionPrecision": 8,
            "orderTypes": ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS", "STOP_LOSS_LIMIT", "TAKE_PROFIT", "TAKE_PROFIT_LIMIT"],
            "icebergAllowed": false,
            "ocoAllowed": true,
            "otoAllowed": true,
            "opoAllowed": true,
            "quoteOrderQtyMarketAllowed": true,
            "allowTrailingStop": true,
            "cancelReplaceAllowed": false,
            "amendAllowed": false,
            "pegInstructionsAllowed": false,
            "isSpotTradingAllowed": true,
            "isMarginTradingAllowed": false,
            "filters": [
                {"filterType": "PRICE_FILTER", "minPrice": fmt8(self.min_price), "maxPrice": fmt8(self.max_price), "tickSize": fmt8(self.tick_size)},
                {"filterType": "LOT_SIZE", "minQty": fmt8(self.min_qty), "maxQty": fmt8(self.max_qty), "stepSize": fmt8(self.step_size)},
                {"filterType": "NOTIONAL", "minNotional": fmt8(self.min_notional), "applyMinToMarket": true, "maxNotional": fmt8(self.max_notional), "applyMaxToMarket": false, "avgPriceMins": 5},
                {"filterType": "PERCENT_PRICE_BY_SIDE", "bidMultiplierUp": fmt_plain(self.bid_multiplier.1), "bidMultiplierDown": fmt_plain(self.bid_multiplier.0), "askMultiplierUp": fmt_plain(self.ask_multiplier.1), "askMultiplierDown": fmt_plain(self.ask_multiplier.0), "avgPriceMins": 5},
                {"filterType": "TRAILING_DELTA", "minTrailingAboveDelta": MIN_TRAILING_DELTA, "maxTrailingAboveDelta": MAX_TRAILING_DELTA, "minTrailingBelowDelta": MIN_TRAILING_DELTA, "maxTrailingBelowDelta": MAX_TRAILING_DELTA}
            ],
            "permissions": [],
            "permissionSets": [["SPOT"]],
            "defaultSelfTradePreventionMode": "EXPIRE_MAKER",
            "allowedSelfTradePreventionModes": ["NONE", "EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH", "DECREMENT", "TRANSFER"]
        })
    }
}

/// The default markets: BTCUSDT around 30000, ETHUSDT, BNBUSDT and ETHBTC.
pub fn default_markets() -> Vec<SymbolSpec> {
    vec![
        SymbolSpec::new(
            "BTCUSDT",
            "BTC",
            "USDT",
            "30000",
            ("0.01", "0.00001", "5"),
            "1",
        ),
        SymbolSpec::new(
            "ETHUSDT",
            "ETH",
            "USDT",
            "2000",
            ("0.01", "0.0001", "5"),
            "20",
        ),
        SymbolSpec::new(
            "BNBUSDT",
            "BNB",
            "USDT",
            "300",
            ("0.01", "0.001", "5"),
            "100",
        ),
        SymbolSpec::new(
            "ETHBTC",
            "ETH",
            "BTC",
            "0.0666",
            ("0.00001", "0.0001", "0.0001"),
            "20",
        ),
    ]
}

/// A decimal with exactly 8 decimals, as Binance prints amounts.
pub fn fmt8(value: Decimal) -> String {
    let mut v = value.round_dp(8);
    v.rescale(8);
    v.to_string()
}

/// A decimal without trailing zeros.
pub fn fmt_plain(value: Decimal) -> String {
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_follow_binance_rules() {
        let btc = &default_markets()[0];
        let mid = btc.mid_price;
        assert!(btc.check_price(d("52000.00"), false, mid).is_ok());
        assert_eq!(
            btc.check_price(d("52000.001"), false, mid).unwrap_err().msg,
            "Filter failure: PRICE_FILTER"
        );
        assert_eq!(
            btc.check_price(d("200000"), false, mid).unwrap_err().msg,
            "Filter failure: PERCENT_PRICE_BY_SIDE"
        );
        assert!(btc.check_qty(d("0.01000000")).is_ok());
        assert!(btc.check_qty(d("0.000001")).is_err());
        assert!(btc.check_notional(d("4.99")).is_err());
        assert_eq!(fmt8(d("0.5")), "0.50000000");
        assert_eq!(btc.floor_qty(d("0.123456789")), d("0.12345"));
    }
}
