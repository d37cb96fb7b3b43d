//! The smallest blocking program: connect, ping, ask the server's time.
//!
//! Runs against the bundled emulator unless `BINANCE_WSAPI_URL` names another endpoint:
//! `cargo run --example blocking_ping`.

#![allow(clippy::print_stdout)]

use binance_wsapi::proto::Request;
use binance_wsapi_blocking::{Connection, Options};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Keep the emulator alive for as long as the example runs.
    let (_emulator, url) = match std::env::var("BINANCE_WSAPI_URL") {
        Ok(url) => (None, url),
        Err(_) => {
            let emu = Emulator::start(EmulatorConfig::default())?;
            let url = emu.url().to_owned();
            (Some(emu), url)
        }
    };
    let mut conn = Connection::connect(&url, Options::default())?;
    let started = std::time::Instant::now();
    conn.call(Request::new("ping"))?;
    println!("ping answered in {:?}", started.elapsed());
    let time = conn.call(Request::new("time"))?;
    println!("server time: {}", time.result_raw());
    println!("clock offset: {} µs", conn.client().server_time_offset_us());
    conn.close()?;
    Ok(())
}
