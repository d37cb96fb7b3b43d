//! Invariant: the emulator answers every frame exactly once with a well-formed reply, and its
//! exchange stays sound (no negative balance, no crossed book). See `binance_wsapi_fuzz::emulator`.
#![cfg_attr(fuzzing, no_main)]

#[cfg(fuzzing)]
libfuzzer_sys::fuzz_target!(|data: &[u8]| binance_wsapi_fuzz::emulator::emulator_request(data));

#[cfg(not(fuzzing))]
fn main() {
    binance_wsapi_fuzz::replay_args(binance_wsapi_fuzz::emulator::emulator_request);
}
