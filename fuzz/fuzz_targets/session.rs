//! Invariant: every id returned by send completes exactly once, whatever the server and the clock do.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| binance_wsapi_proto::fuzzing::session(data));

#[cfg(not(fuzzing))]
fn main() {
    binance_wsapi_fuzz::replay_args(binance_wsapi_proto::fuzzing::session);
}
