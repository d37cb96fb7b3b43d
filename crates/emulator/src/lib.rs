//! A local Binance Spot WebSocket API server for tests and demos.
//!
//! It keeps accounts and API keys, checks signatures over the parameters' text exactly as received,
//! matches orders per symbol with price-time priority against a simulated market maker, triggers
//! stop-loss and take-profit orders on trade prices, runs order lists (OCO, OTO, OTOCO, OPO, OPOCO),
//! and pushes user-data events, so that clients can trade against it without touching Binance.

pub mod accounts;
pub mod book;
pub mod config;
pub mod connection;
pub mod errors;
pub mod exchange;
pub mod faults;
pub mod frame;
pub mod lists;
pub mod market;
pub mod methods;
pub mod orders;
pub mod rate_limit;
mod server;
pub mod trades;

pub use config::{DemoKeys, EmulatorConfig};
pub use faults::Faults;
pub use server::{Emulator, StartError};
