//! Binance Spot WebSocket API client.
//!
//! This crate gathers the workspace's parts under one name. Today it holds the sans-IO protocol
//! core, [`proto`]: build and sign request frames, route replies and events, track deadlines, rate
//! limits and the server clock, with your own IO. The async (smol) and blocking adapters, the local
//! emulator and the `wsapi` command line are separate crates in the same workspace.

pub use binance_wsapi_proto as proto;
