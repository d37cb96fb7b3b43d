//! Binance's WebSocket API endpoints.

/// Live: `wss://ws-api.binance.com:443/ws-api/v3`.
pub const LIVE: &str = "wss://ws-api.binance.com:443/ws-api/v3";
/// Live on the alternative port 9443.
pub const LIVE_9443: &str = "wss://ws-api.binance.com:9443/ws-api/v3";
/// The spot testnet (separate keys from testnet.binance.vision).
pub const TESTNET: &str = "wss://ws-api.testnet.binance.vision/ws-api/v3";
/// Demo mode (keys from demo.binance.com; live prices, no real funds).
pub const DEMO: &str = "wss://demo-ws-api.binance.com/ws-api/v3";
