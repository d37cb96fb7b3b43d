//! Binance's enumerations, typed. Each has an `Other` variant that keeps a value this version does
//! not know (Binance adds values, e.g. the `CANCEL_ONLY` symbol status in 2026), so parsing a reply
//! never fails on a new value and a new value can still be sent.

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this version does not know, kept as sent.
            Other(String),
        }

        impl $name {
            /// The value as Binance writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )+
                    Self::Other(s) => s,
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $text => Self::$variant, )+
                    other => Self::Other(other.to_owned()),
                })
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                Ok(text.parse().unwrap_or_else(|never: std::convert::Infallible| match never {}))
            }
        }

        impl From<$name> for $crate::params::ParamValue {
            fn from(v: $name) -> Self {
                match v {
                    $( $name::$variant => $crate::params::ParamValue::Str(::std::borrow::Cow::Borrowed($text)), )+
                    $name::Other(s) => $crate::params::ParamValue::Str(::std::borrow::Cow::Owned(s)),
                }
            }
        }
    };
}

pub(crate) use string_enum;

string_enum! {
    /// Order side.
    Side {
        /// Buy.
        Buy => "BUY",
        /// Sell.
        Sell => "SELL",
    }
}

string_enum! {
    /// Order type.
    OrderType {
        /// Limit order.
        Limit => "LIMIT",
        /// Market order.
        Market => "MARKET",
        /// Market order triggered at a stop price.
        StopLoss => "STOP_LOSS",
        /// Limit order triggered at a stop price.
        StopLossLimit => "STOP_LOSS_LIMIT",
        /// Market order triggered at a take-profit price.
        TakeProfit => "TAKE_PROFIT",
        /// Limit order triggered at a take-profit price.
        TakeProfitLimit => "TAKE_PROFIT_LIMIT",
        /// Limit order rejected if it would take liquidity.
        LimitMaker => "LIMIT_MAKER",
    }
}

string_enum! {
    /// How long an order stays working.
    TimeInForce {
        /// Good till cancelled.
        Gtc => "GTC",
        /// Immediate or cancel.
        Ioc => "IOC",
        /// Fill or kill.
        Fok => "FOK",
    }
}

string_enum! {
    /// How much `order.place` answers.
    NewOrderRespType {
        /// Ids and time only.
        Ack => "ACK",
        /// The order's state.
        Result => "RESULT",
        /// The order's state and its fills.
        Full => "FULL",
    }
}

string_enum! {
    /// Self-trade prevention mode.
    StpMode {
        /// No prevention.
        None => "NONE",
        /// Expire the taker.
        ExpireTaker => "EXPIRE_TAKER",
        /// Expire the maker.
        ExpireMaker => "EXPIRE_MAKER",
        /// Expire both.
        ExpireBoth => "EXPIRE_BOTH",
        /// Decrease both by the smaller quantity.
        Decrement => "DECREMENT",
        /// Transfer between the two orders.
        Transfer => "TRANSFER",
    }
}

string_enum! {
    /// Order status.
    OrderStatus {
        /// Accepted.
        New => "NEW",
        /// Waiting for the working order of its list.
        PendingNew => "PENDING_NEW",
        /// Partly filled.
        PartiallyFilled => "PARTIALLY_FILLED",
        /// Completely filled.
        Filled => "FILLED",
        /// Cancelled by the user.
        Canceled => "CANCELED",
        /// Unused by Binance today.
        PendingCancel => "PENDING_CANCEL",
        /// Refused by the engine.
        Rejected => "REJECTED",
        /// Expired by its rules (IOC, FOK, liquidity) or by the exchange.
        Expired => "EXPIRED",
        /// Expired by self-trade prevention.
        ExpiredInMatch => "EXPIRED_IN_MATCH",
    }
}

impl OrderStatus {
    /// Whether the order can still trade.
    pub fn is_open(&self) -> bool {
        matches!(self, Self::New | Self::PendingNew | Self::PartiallyFilled)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue;

    #[test]
    fn known_and_unknown_values_round_trip() {
        assert_eq!("SELL".parse::<Side>().unwrap(), Side::Sell);
        assert_eq!(OrderType::LimitMaker.as_str(), "LIMIT_MAKER");
        let new: OrderStatus = serde_json::from_str("\"CANCEL_ONLY\"").unwrap();
        assert_eq!(new, OrderStatus::Other("CANCEL_ONLY".into()));
        assert_eq!(new.to_string(), "CANCEL_ONLY");
        let tif: TimeInForce = serde_json::from_str("\"GTC\"").unwrap();
        assert_eq!(tif, TimeInForce::Gtc);
        assert_eq!(
            ParamValue::from(StpMode::Transfer),
            ParamValue::from("TRANSFER")
        );
        assert_eq!(
            ParamValue::from(Side::Other("SHORT".into())),
            ParamValue::from("SHORT".to_owned())
        );
        assert!(OrderStatus::PartiallyFilled.is_open() && !OrderStatus::Filled.is_open());
    }
}

string_enum! {
    /// Which book price a pegged order takes (its price is then derived from the book).
    PegPriceType {
        /// The best price on the order's own side.
        PrimaryPeg => "PRIMARY_PEG",
        /// The best price on the opposite side.
        MarketPeg => "MARKET_PEG",
    }
}

string_enum! {
    /// How a pegged order's offset is counted.
    PegOffsetType {
        /// In price levels, deeper into the book (the only kind Binance supports).
        PriceLevel => "PRICE_LEVEL",
    }
}
