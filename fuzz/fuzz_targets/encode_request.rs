//! Invariant: encoding never panics, gives valid JSON, and does not depend on parameter order.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| binance_wsapi_proto::fuzzing::encode_request(data));

#[cfg(not(fuzzing))]
fn main() {
    binance_wsapi_fuzz::replay_args(binance_wsapi_proto::fuzzing::encode_request);
}
