//! Invariant: never panics on any inbound text; a rejected frame leaves the client usable.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| binance_wsapi_proto::fuzzing::handle_text(data));

#[cfg(not(fuzzing))]
fn main() {
    binance_wsapi_fuzz::replay_args(binance_wsapi_proto::fuzzing::handle_text);
}
