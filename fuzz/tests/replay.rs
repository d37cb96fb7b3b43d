//! Runs every fuzz target, on the stable toolchain, over its committed corpus and over a batch of
//! seeded random inputs. A crash found by `cargo fuzz` becomes a corpus file and so a test here.

use std::path::PathBuf;

use binance_wsapi_fuzz::{replay_path, Xorshift};
use binance_wsapi_proto::fuzzing;

fn corpus(target: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target)
}

fn run(target: &str, f: fn(&[u8]), random_inputs: usize) {
    let replayed = replay_path(&corpus(target), f);
    assert!(replayed > 0, "no corpus for {target}");
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15 ^ target.len() as u64);
    for _ in 0..random_inputs {
        let len = (rng.next_u64() % 300) as usize;
        f(&rng.bytes(len));
    }
}

#[test]
fn handle_text_corpus_and_random_inputs() {
    run("handle_text", fuzzing::handle_text, 3000);
}

#[test]
fn session_corpus_and_random_inputs() {
    run("session", fuzzing::session, 1000);
}

#[test]
fn encode_request_corpus_and_random_inputs() {
    run("encode_request", fuzzing::encode_request, 2000);
}

#[test]
fn emulator_request_corpus_and_random_inputs() {
    run(
        "emulator_request",
        binance_wsapi_fuzz::emulator::emulator_request,
        300,
    );
}

#[test]
fn emulator_seeds_for_stop_orders_and_lists_are_accepted() {
    // The seeds lead the fuzzer into conditional orders, order lists and STP DECREMENT; every
    // frame of them is a valid request.
    for name in ["seed_stop_orders", "seed_order_lists"] {
        let data = std::fs::read(corpus("emulator_request").join(name)).unwrap();
        let statuses = binance_wsapi_fuzz::emulator::run_frames(&data);
        assert!(statuses.len() >= 6, "{name}: {statuses:?}");
        assert!(statuses.iter().all(|s| *s == 200), "{name}: {statuses:?}");
    }
}
