//! The `wsapi` binary end to end: demo, frame, call (against the emulator), exit codes.

use std::process::{Command, Output};

use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};

fn wsapi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wsapi"))
        .args(args)
        .env_remove("BINANCE_WSAPI_URL")
        .env_remove("BINANCE_API_KEY")
        .env_remove("BINANCE_API_SECRET")
        .output()
        .expect("run wsapi")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn demo_runs_every_step_against_the_embedded_emulator() {
    let out = wsapi(&["demo"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    assert!(stdout.contains("[11/11] rate limits used"), "{stdout}");
    assert_eq!(stdout.matches(" ok ").count(), 11, "{stdout}");
    assert!(!stdout.contains(DEMO_HMAC_SECRET));
}

#[test]
fn frame_reproduces_binances_documented_signature_offline() {
    let out = wsapi(&[
        "frame",
        "order.place",
        "symbol=BTCUSDT",
        "side=SELL",
        "type=LIMIT",
        "timeInForce=GTC",
        "quantity=0.01000000",
        "price=52000.00",
        "recvWindow=100",
        "--api-key",
        DEMO_HMAC_API_KEY,
        "--secret",
        DEMO_HMAC_SECRET,
        "--timestamp",
        "1645423376532",
        "--id",
        "4885f793-e5ad-4c3b-8f6c-55d891472b71",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let frame: serde_json::Value = serde_json::from_str(text(&out.stdout).trim()).unwrap();
    assert_eq!(
        frame["params"]["signature"],
        "aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24"
    );
    assert_eq!(frame["id"], "4885f793-e5ad-4c3b-8f6c-55d891472b71");
    assert!(
        text(&out.stderr).contains("signed payload: apiKey="),
        "the payload is shown for -1022 debugging"
    );
    assert!(
        !text(&out.stdout).contains(DEMO_HMAC_SECRET)
            && !text(&out.stderr).contains(DEMO_HMAC_SECRET)
    );

    // A mandatory parameter left out is named before anything is built; exit code 2.
    let out = wsapi(&[
        "frame",
        "order.cancel",
        "symbol=BTCUSDT",
        "--api-key",
        DEMO_HMAC_API_KEY,
        "--secret",
        DEMO_HMAC_SECRET,
        "--timestamp",
        "1645423376532",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(
            "order.cancel: missing mandatory parameter one of orderId or origClientOrderId"
        ),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn call_prints_replies_and_exit_codes_tell_what_went_wrong() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let url = emu.url();
    let out = wsapi(&["call", "time", "--url", url]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\"serverTime\""));

    let keys = ["--api-key", DEMO_HMAC_API_KEY, "--secret", DEMO_HMAC_SECRET];
    let mut args = vec![
        "call",
        "order.status",
        "symbol=NOPE",
        "orderId=1",
        "--url",
        url,
    ];
    args.extend(keys);
    let out = wsapi(&args);
    assert_eq!(out.status.code(), Some(1), "API error");
    assert!(text(&out.stderr).contains("-1121"), "{}", text(&out.stderr));

    let mut args = vec![
        "call",
        "account.status",
        "omitZeroBalances=true",
        "--url",
        url,
        "--raw",
    ];
    args.extend(keys);
    let out = wsapi(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let raw = text(&out.stdout);
    assert_eq!(
        raw.trim_end().lines().count(),
        1,
        "--raw prints the result as received: {raw}"
    );
    assert!(
        serde_json::from_str::<serde_json::Value>(&raw).unwrap()["makerCommission"].is_number()
    );

    let out = wsapi(&["call", "ping", "badword", "--url", url]);
    assert_eq!(out.status.code(), Some(2), "bad input");
    let out = wsapi(&["call", "ordr.place", "--url", url]);
    assert!(
        text(&out.stderr).contains("did you mean order.place?"),
        "{}",
        text(&out.stderr)
    );
    let out = wsapi(&["call", "ping"]);
    assert_eq!(out.status.code(), Some(2), "no endpoint");
    let out = wsapi(&["call", "ping", "--url", "ws://127.0.0.1:1/ws-api/v3"]);
    assert_eq!(out.status.code(), Some(3), "connection failed");
    let out = wsapi(&["frame", "account.status", "--secret", "s"]);
    assert_eq!(out.status.code(), Some(2), "secret without key");
}
