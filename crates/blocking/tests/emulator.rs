//! The blocking client against the emulator on loopback.

use std::time::{Duration, Instant};

use binance_wsapi_blocking::{CallError, Connection, Error, Options, Reconciliation};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig, Faults};
use binance_wsapi_proto::{Credentials, Decimal, Event, Outcome, Request, SendError, UnknownCause};

fn hmac() -> Credentials {
    Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET).unwrap()
}

fn connect(emu: &Emulator) -> Connection {
    Connection::connect(emu.url(), Options::with_credentials(hmac())).expect("connect")
}

fn limit(side: &'static str, price: &str) -> Request {
    Request::new("order.place")
        .param("symbol", "BTCUSDT")
        .param("side", side)
        .param("type", "LIMIT")
        .param("timeInForce", "GTC")
        .param("price", price.parse::<Decimal>().unwrap())
        .param("quantity", "0.01000000".parse::<Decimal>().unwrap())
}

#[test]
fn calls_orders_and_the_clock() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect(&emu);
    assert_eq!(conn.call(Request::new("ping")).unwrap().result_raw(), "{}");
    conn.call(Request::new("time")).unwrap();
    assert!(conn.client().is_clock_synced());
    assert!(conn.client().server_time_offset_us().abs() < 2_000_000);

    let placed = conn.call(limit("SELL", "52000.00")).unwrap();
    let order: serde_json::Value = placed.decode().unwrap();
    assert_eq!(order["status"], "NEW");
    let client_id = order["clientOrderId"].as_str().unwrap().to_owned();
    assert_eq!(
        client_id.len(),
        22,
        "the core generated the client order id"
    );
    let status = conn
        .call(
            Request::new("order.status")
                .param("symbol", "BTCUSDT")
                .param("origClientOrderId", client_id.clone()),
        )
        .unwrap();
    assert!(status.result_raw().contains("\"status\":\"NEW\""));
    let filled = conn.call(limit("BUY", "52000.00")).unwrap();
    assert!(filled.result_raw().contains("\"status\":\"FILLED\""));
    conn.call(
        Request::new("order.cancel")
            .param("symbol", "BTCUSDT")
            .param("origClientOrderId", client_id),
    )
    .unwrap();

    match conn.call(
        Request::new("order.status")
            .param("symbol", "NOPE")
            .param("orderId", 1_i64),
    ) {
        Err(CallError::Api(e)) => assert_eq!(e.code, -1121),
        other => panic!("{other:?}"),
    }
    assert!(conn
        .client()
        .rate_limits()
        .iter()
        .any(|l| l.count.is_some()));
    conn.close().unwrap();
    assert!(matches!(
        conn.call(Request::new("ping")),
        Err(CallError::Connection(Error::Closed))
    ));
}

/// A connection holding the emulator's demo Ed25519 key (the only kind `session.logon` takes).
fn connect_ed25519(emu: &Emulator) -> Connection {
    let keys = emu.demo_keys().unwrap();
    let creds = Credentials::ed25519(
        keys.ed25519_api_key.as_str(),
        &keys.ed25519_private_pem,
        None,
    )
    .unwrap();
    Connection::connect(emu.url(), Options::with_credentials(creds)).unwrap()
}

#[test]
fn logon_subscribe_and_user_data_events() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect_ed25519(&emu);
    conn.call(Request::new("session.logon")).unwrap();
    conn.call(Request::new("userDataStream.subscribe")).unwrap();
    assert_eq!(conn.client().subscriptions(), &[0]);
    let sent = conn.send(limit("BUY", "29000.00")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    let (mut completed, mut reports) = (false, 0);
    while Instant::now() < deadline && !(completed && reports > 0) {
        match conn.next_event(Duration::from_millis(200)).unwrap() {
            Some(Event::Completed(c)) if c.id == sent.id => completed = c.response().is_some(),
            Some(Event::UserData(u)) if u.event_type == "executionReport" => {
                reports += 1;
                assert_eq!(u.subscription_id, Some(0));
                let e: serde_json::Value = u.decode().unwrap();
                assert_eq!(e["c"], sent.client_order_id.unwrap().as_str());
                // The emulator's events have the documented shape.
                let binance_wsapi_proto::UserEvent::Execution(report) = u.typed().unwrap() else {
                    panic!("not an execution report")
                };
                assert_eq!(
                    report.client_order_id,
                    sent.client_order_id.unwrap().as_str()
                );
            }
            _ => {}
        }
    }
    assert!(
        completed && reports > 0,
        "completed {completed}, reports {reports}"
    );
}

#[test]
fn dropped_reply_is_outcome_unknown_and_reconciles_after_reconnect() {
    let mut config = EmulatorConfig::default();
    config.faults.drop_mid_order = 1;
    let emu = Emulator::start(config).unwrap();
    let mut conn = connect(&emu);
    let err = conn.call(limit("SELL", "52000.00")).unwrap_err();
    let CallError::OutcomeUnknown {
        cause: UnknownCause::ConnectionLost,
        client_order_id: Some(id),
    } = err
    else {
        panic!("{err:?}")
    };
    // Reconnect and ask: the order was placed.
    conn.reconnect().unwrap();
    match conn.reconcile_order("BTCUSDT", &id).unwrap() {
        Reconciliation::Placed(info) => {
            assert_eq!(info.status, binance_wsapi_proto::OrderStatus::New);
            assert_eq!(info.client_order_id, id.as_str());
        }
        other => panic!("{other:?}"),
    }
    // An id the exchange never saw: not placed, safe to send.
    let unknown = binance_wsapi_proto::ClientOrderId::new("never-sent").unwrap();
    assert!(matches!(
        conn.reconcile_order("BTCUSDT", &unknown).unwrap(),
        Reconciliation::NotPlaced
    ));
}

#[test]
fn slow_reply_times_out_then_arrives_late() {
    let mut config = EmulatorConfig::default();
    config.faults.reply_delay = Some(Duration::from_millis(400));
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.config.request_timeout = Duration::from_millis(150);
    let mut conn = Connection::connect(emu.url(), options).unwrap();
    assert!(matches!(
        conn.call(Request::new("ping")),
        Err(CallError::TimedOut)
    ));
    let mut late = false;
    for _ in 0..20 {
        if let Some(Event::LateReply(c)) = conn.next_event(Duration::from_millis(100)).unwrap() {
            late = matches!(c.outcome, Outcome::Success(_));
            break;
        }
    }
    assert!(late);
}

#[test]
fn pings_keep_a_connection_alive_and_silence_ends_it() {
    let mut config = EmulatorConfig::default();
    config.ping_interval = Duration::from_millis(50);
    config.pong_timeout = Duration::from_millis(200);
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.config.idle_timeout = Duration::from_millis(300);
    let mut conn = Connection::connect(emu.url(), options.clone()).unwrap();
    let until = Instant::now() + Duration::from_millis(700);
    while Instant::now() < until {
        assert!(conn
            .next_event(Duration::from_millis(100))
            .unwrap()
            .is_none());
    }
    assert!(
        conn.call(Request::new("ping")).is_ok(),
        "pongs kept it alive"
    );

    // A server that never pings and never answers: the client's idle check ends the connection.
    let mut config = EmulatorConfig::default();
    config.ping_interval = Duration::from_secs(3600);
    let quiet = Emulator::start(config).unwrap();
    let mut conn = Connection::connect(quiet.url(), options).unwrap();
    let mut saw_idle = false;
    for _ in 0..20 {
        match conn.next_event(Duration::from_millis(100)) {
            Ok(Some(Event::Idle { .. })) => saw_idle = true,
            Ok(_) => {}
            Err(Error::Closed) => break,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert!(saw_idle && conn.is_closed());
}

#[test]
fn connect_errors_are_clear() {
    assert!(matches!(
        Connection::connect("http://127.0.0.1:1/", Options::default()),
        Err(Error::Url { .. })
    ));
    assert!(matches!(
        Connection::connect("not a url", Options::default()),
        Err(Error::Url { .. })
    ));
    // A port nobody listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("ws://127.0.0.1:{port}/ws-api/v3");
    assert!(matches!(
        Connection::connect(&url, Options::default()),
        Err(Error::Connect { .. })
    ));
    let mut faults = Faults::none();
    faults.refuse_connections = true;
    let mut config = EmulatorConfig::default();
    config.faults = faults;
    let emu = Emulator::start(config).unwrap();
    assert!(matches!(
        Connection::connect(emu.url(), Options::default()),
        Err(Error::Connect { .. })
    ));
}

#[test]
fn reconnect_logs_on_again_and_resubscribes() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect_ed25519(&emu);
    conn.call(Request::new("time")).unwrap();
    conn.call(Request::new("session.logon")).unwrap();
    conn.call(Request::new("userDataStream.subscribe")).unwrap();
    let offset = conn.client().server_time_offset_us();

    emu.drop_connections();
    let mut closed = false;
    for _ in 0..50 {
        if let Err(Error::Closed) = conn.next_event(Duration::from_millis(50)) {
            closed = true;
            break;
        }
    }
    assert!(closed, "the drop was noticed");
    let report = conn.reconnect().unwrap();
    assert_eq!(report.attempts, 1);
    assert!(matches!(report.relogon, Some(Ok(()))), "{report:?}");
    assert!(matches!(report.resubscribe, Some(Ok(()))), "{report:?}");
    assert_eq!(
        conn.client().server_time_offset_us(),
        offset,
        "the clock carried over"
    );
    assert_eq!(
        conn.client().session(),
        binance_wsapi_proto::SessionState::LoggedOn
    );

    // Signed requests need no key again, and user data flows on the new subscription.
    let sent = conn.send(limit("BUY", "29000.00")).unwrap();
    let mut report_seen = false;
    for _ in 0..50 {
        match conn.next_event(Duration::from_millis(100)).unwrap() {
            Some(Event::UserData(u)) if u.event_type == "executionReport" => {
                let e: serde_json::Value = u.decode().unwrap();
                report_seen |= e["c"] == sent.client_order_id.unwrap().as_str();
            }
            _ => {}
        }
        if report_seen {
            break;
        }
    }
    assert!(report_seen);
}

#[test]
fn reconnect_gives_up_after_its_attempts() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.backoff = binance_wsapi_blocking::Backoff {
        first: Duration::from_millis(10),
        max: Duration::from_millis(40),
        attempts: 3,
    };
    let mut conn = Connection::connect(emu.url(), options).unwrap();
    let mut faults = Faults::none();
    faults.refuse_connections = true;
    emu.set_faults(faults);
    let started = Instant::now();
    assert!(matches!(conn.reconnect(), Err(Error::Connect { .. })));
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(20) && took < Duration::from_secs(2),
        "{took:?}"
    );
    emu.set_faults(Faults::none());
    assert_eq!(conn.reconnect().unwrap().attempts, 1);
    assert!(conn.call(Request::new("ping")).is_ok());
}

/// After a 418 (another client on the same IP got it banned), `reconnect` waits out the ban
/// before it knocks: its first attempt after the ban succeeds.
#[test]
fn reconnect_waits_out_an_ip_ban() {
    let mut config = EmulatorConfig::default();
    config.limits.weight_per_minute = 12;
    config.limits.violations_before_ban = 1;
    config.limits.ban_ms = 1_500;
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.backoff.attempts = 100;
    options.backoff.first = Duration::from_millis(10);
    let mut conn = Connection::connect(emu.url(), options).unwrap();

    // The careless neighbour pings until the server bans the IP.
    let (mut raw, _) = tungstenite::connect(emu.url()).unwrap();
    let mut last = 0;
    for i in 0..20 {
        let frame = format!("{{\"id\":{i},\"method\":\"ping\"}}");
        if raw.send(tungstenite::Message::text(frame)).is_err() {
            break;
        }
        let Ok(tungstenite::Message::Text(t)) = raw.read() else {
            break;
        };
        let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
        last = v["status"].as_u64().unwrap();
        if last == 418 {
            break;
        }
    }
    assert_eq!(last, 418);
    let banned_at = Instant::now();
    match conn.call(Request::new("ping")) {
        Err(CallError::Api(e)) => assert_eq!(e.status, 418, "{e}"),
        other => panic!("{other:?}"),
    }
    let reconnected = conn.reconnect().unwrap();
    assert_eq!(reconnected.attempts, 1, "knocked during the ban");
    assert!(banned_at.elapsed() >= Duration::from_millis(1_300));
}

/// A 429's back-off outlives the socket: after `reconnect` the new connection still refuses
/// sends until `retryAfter`.
#[test]
fn a_429_back_off_carries_over_reconnect() {
    let mut config = EmulatorConfig::default();
    config.limits.weight_per_minute = 6;
    config.limits.violations_before_ban = 100;
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.config.governor = false;
    let mut conn = Connection::connect(emu.url(), options).unwrap();
    let got_429 = (0..10).any(
        |_| matches!(conn.call(Request::new("ping")), Err(CallError::Api(e)) if e.status == 429),
    );
    assert!(got_429);
    conn.reconnect().unwrap();
    match conn.call(Request::new("ping")) {
        Err(CallError::Connection(Error::Send(SendError::RateLimited { banned, .. }))) => {
            assert!(!banned);
        }
        other => panic!("sent into the server's window again: {other:?}"),
    }
}

#[test]
fn typed_order_place_round_trip() {
    use binance_wsapi_proto::{OrderStatus, PlaceOrder, PlacedOrder, Side, TimeInForce};
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect(&emu);
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    let request = PlaceOrder::limit(
        "BTCUSDT",
        Side::Buy,
        d("30015.00"),
        d("0.01000000"),
        TimeInForce::Ioc,
    )
    .into_request()
    .unwrap();
    let placed: PlacedOrder = conn.call(request).unwrap().decode().unwrap();
    assert_eq!(placed.status, Some(OrderStatus::Filled));
    assert_eq!(placed.executed_qty, Some(d("0.01")));
    assert_eq!(placed.fills[0].price, d("30015"));
    assert_eq!(placed.fills[0].commission, d("0.00001"));
}

#[test]
fn rate_limits_refuse_or_wait_as_asked() {
    let mut config = EmulatorConfig::default();
    config.limits.orders_per_10s = 2;
    let emu = Emulator::start(config).unwrap();
    let mut conn = connect(&emu);
    conn.call(limit("BUY", "29000.00")).unwrap();
    conn.call(limit("BUY", "29000.00")).unwrap();
    // Two resting orders fill the 10 s window: the core refuses the third before sending it.
    match conn.send(limit("BUY", "29000.00")) {
        Err(Error::Send(SendError::WouldExceedLimit { limit, .. })) => {
            assert_eq!((limit.limit, limit.count), (2, Some(2)));
        }
        other => panic!("{other:?}"),
    }
    // Asked to wait, the client serves the socket until the window passes, then sends (a fresh
    // emulator, so that only this connection's orders count).
    let mut config = EmulatorConfig::default();
    config.limits.orders_per_10s = 2;
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.wait_for_rate_limits = Some(Duration::from_secs(11));
    let mut patient = Connection::connect(emu.url(), options).unwrap();
    patient.call(limit("SELL", "52000.00")).unwrap();
    match patient.call(limit("SELL", "52000.00")) {
        // The first order may have opened a window that closed just before the second.
        Ok(_) | Err(CallError::Api(_)) => {}
        Err(e) => panic!("{e:?}"),
    }
    let started = Instant::now();
    let placed = patient.call(limit("BUY", "29000.00")).unwrap();
    assert!(placed.result_raw().contains("\"status\":\"NEW\""));
    assert!(started.elapsed() < Duration::from_secs(11));
}

#[test]
fn events_flow_into_a_buffer_drained_by_another_thread() {
    use binance_wsapi_blocking::{StreamBuffer, WhenFull};
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect(&emu);
    conn.call(Request::new("userDataStream.subscribe.signature"))
        .unwrap();
    let buffer = StreamBuffer::new(1000, WhenFull::DropOldest);
    let reader = buffer.clone();
    let consumer = std::thread::spawn(move || {
        let mut reports = 0;
        while let Some(event) = reader.wait_fifo(Duration::from_secs(5)) {
            if matches!(&event, Event::UserData(u) if u.event_type == "executionReport") {
                reports += 1;
                if reports == 3 {
                    break;
                }
            }
        }
        reports
    });
    for _ in 0..3 {
        conn.send(limit("BUY", "29000.00")).unwrap();
    }
    let until = Instant::now() + Duration::from_secs(5);
    while !consumer.is_finished() && Instant::now() < until {
        conn.pump_into(&buffer, Duration::from_millis(50)).unwrap();
    }
    assert_eq!(consumer.join().unwrap(), 3);
}

#[test]
fn request_callbacks_and_a_connection_handler() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect(&emu);
    conn.call(Request::new("userDataStream.subscribe.signature"))
        .unwrap();
    let user_events = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&user_events);
    conn.set_handler(move |event| match event {
        Event::UserData(_) => {
            seen.fetch_add(1, Ordering::Relaxed);
            None
        }
        other => Some(other),
    });
    let (tx, rx) = std::sync::mpsc::channel();
    conn.send_with(limit("BUY", "29000.00"), move |done| {
        let _ = tx.send(
            done.response()
                .map(|r| r.result_raw().contains("\"status\":\"NEW\"")),
        );
    })
    .unwrap();
    // `call` still gets its own reply while the handler takes the user data.
    conn.call(Request::new("ping")).unwrap();
    for _ in 0..20 {
        let _ = conn.next_event(Duration::from_millis(20)).unwrap();
    }
    assert_eq!(
        rx.try_recv().unwrap(),
        Some(true),
        "the callback ran with the order's reply"
    );
    assert!(
        user_events.load(Ordering::Relaxed) >= 2,
        "executionReport and account position"
    );
    conn.clear_handler();
}

#[test]
fn server_shutdown_notice_then_reconnect() {
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut conn = connect(&emu);
    conn.call(Request::new("ping")).unwrap();
    emu.announce_shutdown();
    let mut noticed = false;
    for _ in 0..20 {
        if let Some(Event::ServerShutdown { event_time_ms }) =
            conn.next_event(Duration::from_millis(50)).unwrap()
        {
            assert!(event_time_ms.is_some());
            noticed = true;
            break;
        }
    }
    assert!(noticed);
    // Move to a new connection before the server goes.
    conn.reconnect().unwrap();
    assert!(conn.call(Request::new("ping")).is_ok());
    let until = Instant::now() + Duration::from_secs(2);
    while emu.connection_count() > 1 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(emu.connection_count(), 1, "the old connection was closed");
}

#[test]
fn worker_thread_serves_calls_from_many_threads() {
    use binance_wsapi_blocking::Worker;
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let worker = Worker::spawn(emu.url(), Options::with_credentials(hmac())).unwrap();
    worker
        .call(Request::new("userDataStream.subscribe.signature"))
        .unwrap();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let handle = worker.handle();
            std::thread::spawn(move || {
                for _ in 0..25 {
                    handle.call(Request::new("ping")).unwrap();
                }
                let price = if t % 2 == 0 { "29000.00" } else { "30015.00" };
                handle.call(limit("BUY", price)).unwrap()
            })
        })
        .collect();
    for t in threads {
        assert!(t.join().unwrap().result_raw().contains("\"orderId\""));
    }
    let mut reports = 0;
    while let Some(event) = worker.next_event(Duration::from_millis(200)) {
        if matches!(&event, Event::UserData(u) if u.event_type == "executionReport") {
            reports += 1;
        }
    }
    assert!(reports >= 4, "{reports}");
    // An API error comes back to the caller as such.
    let err = worker.call(
        Request::new("order.status")
            .param("symbol", "NOPE")
            .param("orderId", 1_i64),
    );
    assert!(
        matches!(err, Err(CallError::Api(ref e)) if e.code == -1121),
        "{err:?}"
    );
    let handle = worker.handle();
    worker.stop();
    assert!(matches!(
        handle.call(Request::new("ping")),
        Err(CallError::Connection(Error::Closed))
    ));
}

#[test]
fn each_fault_one_by_one() {
    // Duplicated, garbled and binary frames around replies: the call succeeds, the rest is counted.
    for (name, set) in [
        (
            "duplicate",
            (|f: &mut Faults| f.duplicate_replies = true) as fn(&mut Faults),
        ),
        ("garbage", |f: &mut Faults| f.garbage_before_reply = true),
        ("binary", |f: &mut Faults| f.binary_before_reply = true),
    ] {
        let mut config = EmulatorConfig::default();
        set(&mut config.faults);
        let emu = Emulator::start(config).unwrap();
        let mut conn = connect(&emu);
        assert!(conn.call(Request::new("ping")).is_ok(), "{name}");
        let _ = conn.next_event(Duration::from_millis(50)).unwrap();
        assert!(
            conn.protocol_errors() >= 1,
            "{name}: the odd frame was noticed"
        );
        assert!(
            conn.call(Request::new("time")).is_ok(),
            "{name}: still usable"
        );
    }

    // 429 then a 418 ban that closes the socket (the governor off, so the server decides).
    let mut config = EmulatorConfig::default();
    config.limits.weight_per_minute = 4;
    config.limits.violations_before_ban = 1;
    let emu = Emulator::start(config).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.config.governor = false;
    let mut conn = Connection::connect(emu.url(), options).unwrap();
    let mut statuses = Vec::new();
    for _ in 0..6 {
        match conn.call(Request::new("ping")) {
            Ok(_) => statuses.push(200),
            Err(CallError::Api(e)) => statuses.push(e.status),
            Err(CallError::Connection(Error::Send(SendError::RateLimited { banned, .. }))) => {
                statuses.push(if banned { 1418 } else { 1429 });
                break;
            }
            Err(e) => panic!("{e:?} after {statuses:?}"),
        }
    }
    assert_eq!(&statuses[..2], &[200, 200], "{statuses:?}");
    assert_eq!(statuses[2], 429, "{statuses:?}");
    // After the 429 the client itself refuses until retryAfter: no second violation, no ban.
    assert_eq!(statuses[3], 1429, "{statuses:?}");

    // The renewal reminder before Binance's 24 h cut, shortened.
    let emu = Emulator::start(EmulatorConfig::default()).unwrap();
    let mut options = Options::with_credentials(hmac());
    options.config.renew_after = Duration::from_millis(200);
    let mut conn = Connection::connect(emu.url(), options).unwrap();
    let mut renew = false;
    for _ in 0..20 {
        if let Some(Event::RenewDue { .. }) = conn.next_event(Duration::from_millis(50)).unwrap() {
            renew = true;
            break;
        }
    }
    assert!(renew);
    conn.reconnect().unwrap();
    assert!(conn.call(Request::new("ping")).is_ok());
}
