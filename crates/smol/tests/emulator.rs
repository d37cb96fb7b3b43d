//! The async client against the emulator on loopback: every way of handling replies, every fault
//! the emulator injects, reconnects and renewals. Every wait is bounded.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig, Faults};
use binance_wsapi_proto::{
    ClientOrderId, Credentials, Decimal, Event, OrderStatus, Outcome, PlacedOrder, Request,
    SendError, UnknownCause,
};
use binance_wsapi_smol::{
    Backoff, BufferChoice, CallError, Connection, Delivery, Error, Hub, Notice, Options,
    Reconciliation, RenewReason, WhenFull,
};
use futures_lite::StreamExt as _;

/// Runs `test` on smol, failing if it takes longer than `secs`.
fn run<F: Future<Output = ()>>(secs: u64, test: F) {
    smol::block_on(async {
        let limit = async {
            smol::Timer::after(Duration::from_secs(secs)).await;
            panic!("the test did not finish in {secs} s");
        };
        futures_lite::future::or(test, limit).await;
    });
}

fn hmac() -> Credentials {
    Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET).unwrap()
}

fn ed25519(emu: &Emulator) -> Credentials {
    let keys = emu.demo_keys().unwrap();
    Credentials::ed25519(
        keys.ed25519_api_key.as_str(),
        &keys.ed25519_private_pem,
        None,
    )
    .unwrap()
}

fn options() -> Options {
    let mut options = Options::with_credentials(hmac());
    options.backoff = Backoff {
        first: Duration::from_millis(20),
        max: Duration::from_millis(200),
        attempts: 5,
    };
    options
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

/// The next delivery that `pick` accepts, skipping others; panics after `secs`.
async fn next_matching<T>(
    conn: &Connection,
    secs: u64,
    mut pick: impl FnMut(&Delivery) -> Option<T>,
) -> T {
    let until = Instant::now() + Duration::from_secs(secs);
    let mut seen = Vec::new();
    while Instant::now() < until {
        let next = futures_lite::future::or(async { conn.buffer().next().await }, async {
            smol::Timer::at(until).await;
            None
        })
        .await;
        let Some(item) = next else { break };
        if let Some(found) = pick(&item) {
            return found;
        }
        seen.push(format!("{:?}", item.notice));
    }
    panic!("not delivered within {secs} s; saw {seen:#?}");
}

#[test]
fn await_callback_post_handler_stream_and_typed_replies() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let conn = Connection::connect(emu.url(), options()).await.unwrap();

        // Await one request: raw text, JSON value, typed.
        let pong = conn.call(Request::new("ping")).await.unwrap();
        assert_eq!(pong.result_raw(), "{}");
        let time = conn.call(Request::new("time")).await.unwrap();
        assert!(time.result_value().unwrap()["serverTime"].as_i64().unwrap() > 1_600_000_000_000);
        let placed: PlacedOrder = conn.call_typed(limit("SELL", "52000.00")).await.unwrap();
        assert_eq!(placed.status, Some(OrderStatus::New));

        // send, then await the reply later: several in flight at once.
        let a = conn.send(limit("SELL", "52001.00")).await.unwrap();
        let b = conn.send(Request::new("ping")).await.unwrap();
        assert!(a.client_order_id.is_some() && b.client_order_id.is_none());
        let coid = a.client_order_id.unwrap();
        let b_done = b.response().await.unwrap();
        assert_eq!(b_done.result_raw(), "{}");
        let a_done: PlacedOrder = a.response().await.unwrap().decode().unwrap();
        assert_eq!(a_done.client_order_id, coid.as_str());

        // A callback per request.
        let (tx, rx) = smol::channel::bounded(1);
        conn.send_with(Request::new("ping"), move |done| {
            let _ = tx.try_send(done.response().is_some());
        })
        .await
        .unwrap();
        assert!(rx.recv().await.unwrap());

        // post: the completion comes through the buffer / stream.
        let posted = conn.post(Request::new("ping")).await.unwrap();
        let mut events = conn.events();
        let mut found = false;
        for _ in 0..10 {
            let item = events.next().await.unwrap();
            if let Some(Event::Completed(done)) = item.event() {
                if done.id == posted.id {
                    assert_eq!(item.connection, conn.id());
                    found = true;
                    break;
                }
            }
        }
        assert!(found, "the posted completion reached the stream");

        // A connection handler consumes completions; the rest still reach the buffer.
        let seen = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&seen);
        conn.set_handler(move |notice| match notice {
            Notice::Event(Event::Completed(_)) => {
                counter.fetch_add(1, Ordering::SeqCst);
                None
            }
            other => Some(other),
        });
        for _ in 0..3 {
            conn.post(Request::new("ping")).await.unwrap();
        }
        // A call's completion goes to its waiter, not the handler.
        conn.call(Request::new("ping")).await.unwrap();
        assert_eq!(seen.load(Ordering::SeqCst), 3);
        conn.clear_handler();

        // A dropped Reply does not lose its completion.
        let dropped = conn.send(Request::new("ping")).await.unwrap();
        let dropped_id = dropped.id;
        drop(dropped);
        next_matching(&conn, 5, |d| match d.event() {
            Some(Event::Completed(done)) if done.id == dropped_id => Some(()),
            _ => None,
        })
        .await;

        // Status, then close: later calls are refused, the stream ends.
        let status = conn.status();
        assert!(status.connected && status.pending == 0);
        assert!(status.rate_limits.iter().any(|l| l.count.is_some()));
        conn.close().await;
        assert!(matches!(
            conn.call(Request::new("ping")).await,
            Err(CallError::Connection(Error::Closed))
        ));
        let rest: Vec<Delivery> = conn.events().collect().await;
        assert!(matches!(
            rest.last().map(|d| &d.notice),
            Some(Notice::Closed)
        ));
    });
}

#[test]
fn a_reply_dropped_after_its_completion_came_hands_it_to_the_buffer() {
    run(10, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let mut opts = options();
        opts.clock_sync_every = None;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let early = conn.send(Request::new("ping")).await.unwrap();
        let id = early.id;
        // Replies come in order: once this call is answered, the earlier reply sits in its slot.
        conn.call(Request::new("ping")).await.unwrap();
        assert!(conn.buffer().is_empty());
        drop(early);
        let handed = conn
            .buffer()
            .pop_fifo()
            .expect("the completion went to the buffer");
        match handed.event() {
            Some(Event::Completed(done)) => assert_eq!(done.id, id),
            other => panic!("{other:?}"),
        }
    });
}

#[test]
fn auto_logon_subscribe_and_user_data_on_the_stream() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let mut opts = options();
        opts.credentials = Some(ed25519(&emu));
        opts.auto_logon = true;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let relogon = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Relogon(r) => Some(r.is_ok()),
            _ => None,
        })
        .await;
        assert!(relogon, "auto log-on succeeded");
        conn.call(Request::new("userDataStream.subscribe"))
            .await
            .unwrap();
        let reply = conn.send(limit("BUY", "29000.00")).await.unwrap();
        let coid = reply.client_order_id.unwrap();
        reply.response().await.unwrap();
        let report = next_matching(&conn, 5, |d| match d.event() {
            Some(Event::UserData(u)) if u.event_type == "executionReport" => Some(u.clone()),
            _ => None,
        })
        .await;
        let binance_wsapi_proto::UserEvent::Execution(report) = report.typed().unwrap() else {
            panic!("not an execution report")
        };
        assert_eq!(report.client_order_id, coid.as_str());
        let status = conn.status();
        assert_eq!(status.subscriptions, vec![0]);
    });
}

#[test]
fn lost_mid_order_is_unknown_then_heals_and_reconciles() {
    run(30, async {
        let mut config = EmulatorConfig::default();
        config.faults.drop_mid_order = 1;
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.credentials = Some(ed25519(&emu));
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        conn.call(Request::new("session.logon")).await.unwrap();
        conn.call(Request::new("userDataStream.subscribe"))
            .await
            .unwrap();

        let err = conn.call(limit("SELL", "52000.00")).await.unwrap_err();
        let CallError::OutcomeUnknown {
            cause: UnknownCause::ConnectionLost,
            client_order_id: Some(id),
        } = err
        else {
            panic!("{err:?}")
        };
        // The connection heals by itself and says so, with the gap in user data.
        let will_reconnect = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Disconnected { will_reconnect, .. } => Some(*will_reconnect),
            _ => None,
        })
        .await;
        assert!(will_reconnect);
        let gap = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Reconnected { user_data_gap, .. } => Some(*user_data_gap),
            _ => None,
        })
        .await;
        assert!(gap, "a subscription was active: the gap is reported");
        let relogon = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Relogon(r) => Some(r.is_ok()),
            _ => None,
        })
        .await;
        let resubscribed = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Resubscribed(r) => Some(r.is_ok()),
            _ => None,
        })
        .await;
        assert!(relogon && resubscribed);
        match conn.reconcile_order("BTCUSDT", &id).await.unwrap() {
            Reconciliation::Placed(info) => assert_eq!(info.client_order_id, id.as_str()),
            other => panic!("{other:?}"),
        }
        let never = ClientOrderId::new("never-sent").unwrap();
        assert!(matches!(
            conn.reconcile_order("BTCUSDT", &never).await.unwrap(),
            Reconciliation::NotPlaced
        ));
        let status = conn.status();
        assert_eq!((status.reconnects, status.subscriptions.len()), (1, 1));
    });
}

#[test]
fn server_shutdown_renews_without_losing_replies_on_their_way() {
    run(30, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let conn = Connection::connect(emu.url(), options()).await.unwrap();
        conn.call(Request::new("ping")).await.unwrap();
        // Replies take 300 ms; a request is on its way when the shutdown is announced.
        let mut slow = Faults::none();
        slow.reply_delay = Some(Duration::from_millis(300));
        emu.set_faults(slow);
        let on_its_way = conn.send(limit("SELL", "52002.00")).await.unwrap();
        smol::Timer::after(Duration::from_millis(50)).await;
        emu.announce_shutdown();
        let reason = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Renewed { reason, .. } => Some(*reason),
            _ => None,
        })
        .await;
        assert_eq!(reason, RenewReason::ServerShutdown);
        // The reply of the old socket still arrives.
        let placed: PlacedOrder = on_its_way.response().await.unwrap().decode().unwrap();
        assert_eq!(placed.status, Some(OrderStatus::New));
        emu.set_faults(Faults::none());
        conn.call(Request::new("ping")).await.unwrap();
        let status = conn.status();
        assert_eq!((status.renewals, status.reconnects), (1, 0));
        // The old socket is closed once its replies are in.
        let until = Instant::now() + Duration::from_secs(3);
        while conn.status().draining > 0 && Instant::now() < until {
            smol::Timer::after(Duration::from_millis(20)).await;
        }
        assert_eq!(conn.status().draining, 0);
    });
}

#[test]
fn renewal_before_the_age_limit_and_on_request() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let mut opts = options();
        opts.config.renew_after = Duration::from_millis(300);
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let reason = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Renewed { reason, .. } => Some(*reason),
            _ => None,
        })
        .await;
        assert_eq!(reason, RenewReason::Age);
        conn.call(Request::new("ping")).await.unwrap();

        let plain = Connection::connect(emu.url(), options()).await.unwrap();
        plain.renew();
        let reason = next_matching(&plain, 5, |d| match &d.notice {
            Notice::Renewed { reason, .. } => Some(*reason),
            _ => None,
        })
        .await;
        assert_eq!(reason, RenewReason::Asked);
        plain.call(Request::new("ping")).await.unwrap();
    });
}

#[test]
fn pongs_keep_it_alive_and_silence_is_healed() {
    run(20, async {
        let mut config = EmulatorConfig::default();
        config.ping_interval = Duration::from_millis(50);
        config.pong_timeout = Duration::from_millis(200);
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.config.idle_timeout = Duration::from_millis(300);
        let conn = Connection::connect(emu.url(), opts.clone()).await.unwrap();
        smol::Timer::after(Duration::from_millis(700)).await;
        conn.call(Request::new("ping")).await.unwrap();
        assert_eq!(conn.status().reconnects, 0, "pongs kept it");

        // A server that never pings: the idle check drops the socket and a new one replaces it.
        let mut config = EmulatorConfig::default();
        config.ping_interval = Duration::from_secs(3600);
        let quiet = Emulator::start(config).unwrap();
        let mut opts = opts;
        opts.clock_sync_every = None;
        let conn = Connection::connect(quiet.url(), opts).await.unwrap();
        next_matching(&conn, 5, |d| match d.event() {
            Some(Event::Idle { .. }) => Some(()),
            _ => None,
        })
        .await;
        next_matching(&conn, 5, |d| match &d.notice {
            Notice::Reconnected { .. } => Some(()),
            _ => None,
        })
        .await;
        conn.call(Request::new("ping")).await.unwrap();
    });
}

#[test]
fn connect_errors_and_giving_up() {
    run(20, async {
        assert!(matches!(
            Connection::connect("http://127.0.0.1:1/", options()).await,
            Err(Error::Url { .. })
        ));
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let url = emu.url().to_owned();
        let conn = Connection::connect(&url, options()).await.unwrap();
        conn.call(Request::new("ping")).await.unwrap();
        // The server goes away for good: the reconnects fail, then the connection ends.
        emu.stop();
        assert!(matches!(
            Connection::connect(&url, options()).await,
            Err(Error::Connect { .. })
        ));
        next_matching(&conn, 10, |d| match &d.notice {
            Notice::GaveUp(_) => Some(()),
            _ => None,
        })
        .await;
        let rest: Vec<Delivery> = conn.events().collect().await;
        assert!(matches!(
            rest.last().map(|d| &d.notice),
            Some(Notice::Closed)
        ));
        assert!(matches!(
            conn.call(Request::new("ping")).await,
            Err(CallError::Connection(Error::Closed))
        ));
    });
}

#[test]
fn slow_duplicate_garbage_and_binary_replies() {
    run(30, async {
        let mut config = EmulatorConfig::default();
        config.faults.reply_delay = Some(Duration::from_millis(400));
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.config.request_timeout = Duration::from_millis(150);
        opts.clock_sync_every = None;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let err = conn.call(limit("SELL", "52003.00")).await.unwrap_err();
        assert!(matches!(
            err,
            CallError::OutcomeUnknown {
                cause: UnknownCause::TimedOut,
                ..
            }
        ));
        let late = next_matching(&conn, 5, |d| match d.event() {
            Some(Event::LateReply(done)) => Some(done.response().is_some()),
            _ => None,
        })
        .await;
        assert!(late, "the late reply says the order was placed");

        for fault in ["duplicate", "garbage", "binary"] {
            let mut config = EmulatorConfig::default();
            match fault {
                "duplicate" => config.faults.duplicate_replies = true,
                "garbage" => config.faults.garbage_before_reply = true,
                _ => config.faults.binary_before_reply = true,
            }
            let emu = Emulator::start(config).unwrap();
            let conn = Connection::connect(emu.url(), options()).await.unwrap();
            conn.call(Request::new("ping")).await.unwrap();
            conn.call(Request::new("ping")).await.unwrap();
            let status = conn.status();
            assert!(
                status.protocol_errors >= 1 || fault == "duplicate",
                "{fault}"
            );
            assert!(status.connected, "{fault}: still usable");
        }
    });
}

#[test]
fn rate_limits_refuse_or_wait_and_429_never_becomes_a_ban() {
    run(40, async {
        let mut config = EmulatorConfig::default();
        config.limits.orders_per_10s = 2;
        let emu = Emulator::start(config).unwrap();
        let conn = Connection::connect(emu.url(), options()).await.unwrap();
        conn.call(limit("BUY", "29000.00")).await.unwrap();
        conn.call(limit("BUY", "29000.00")).await.unwrap();
        match conn.send(limit("BUY", "29000.00")).await {
            Err(Error::Send(SendError::WouldExceedLimit { limit, .. })) => {
                assert_eq!((limit.limit, limit.count), (2, Some(2)));
            }
            other => panic!("{other:?}"),
        }

        // Asked to wait, the request waits for the window and then goes out.
        let mut config = EmulatorConfig::default();
        config.limits.orders_per_10s = 2;
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.wait_for_rate_limits = Some(Duration::from_secs(11));
        let patient = Connection::connect(emu.url(), opts).await.unwrap();
        patient.call(limit("SELL", "52000.00")).await.unwrap();
        let _ = patient.call(limit("SELL", "52000.00")).await;
        let started = Instant::now();
        let placed = patient.call(limit("BUY", "29000.00")).await.unwrap();
        assert!(placed.result_raw().contains("\"status\":\"NEW\""));
        assert!(started.elapsed() < Duration::from_secs(11));

        // Without the governor the server answers 429; the client then refuses by itself
        // until retryAfter, so no second violation and no 418.
        let mut config = EmulatorConfig::default();
        config.limits.weight_per_minute = 4;
        config.limits.violations_before_ban = 1;
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.config.governor = false;
        opts.clock_sync_every = None;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let mut statuses = Vec::new();
        for _ in 0..6 {
            match conn.call(Request::new("ping")).await {
                Ok(_) => statuses.push(200),
                Err(CallError::Api(e)) => statuses.push(e.status),
                Err(CallError::Connection(Error::Send(SendError::RateLimited {
                    banned, ..
                }))) => statuses.push(if banned { 1418 } else { 1429 }),
                Err(e) => panic!("{e:?} after {statuses:?}"),
            }
        }
        assert_eq!(&statuses[..3], &[200, 200, 429], "{statuses:?}");
        assert!(statuses[3..].iter().all(|s| *s == 1429), "{statuses:?}");
        assert!(conn.status().connected, "not banned");
    });
}

/// Another client on the same IP ignores its 429s and gets the IP banned. The connection's next
/// request gets the 418 and the server closes the socket. The client then waits out the ban
/// before it knocks again, and its first attempt after the ban succeeds.
#[test]
fn an_ip_ban_is_waited_out_before_reconnecting() {
    run(30, async {
        use async_tungstenite::tungstenite::Message;

        let mut config = EmulatorConfig::default();
        config.limits.weight_per_minute = 12;
        config.limits.violations_before_ban = 1;
        config.limits.ban_ms = 1_500;
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.clock_sync_every = None;
        opts.backoff.attempts = 100;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();

        // The careless neighbour: pings until the server bans the IP and closes its socket.
        let addr = emu.addr();
        let tcp = smol::net::TcpStream::connect(addr).await.unwrap();
        let (mut raw, _) = async_tungstenite::client_async(emu.url(), tcp)
            .await
            .unwrap();
        let mut statuses = Vec::new();
        for i in 0..20 {
            if raw
                .send(Message::text(format!("{{\"id\":{i},\"method\":\"ping\"}}")))
                .await
                .is_err()
            {
                break;
            }
            match raw.next().await {
                Some(Ok(Message::Text(t))) => {
                    let v: serde_json::Value = serde_json::from_str(t.as_str()).unwrap();
                    let status = v["status"].as_u64().unwrap();
                    statuses.push(status);
                    if status == 418 {
                        break;
                    }
                }
                _ => break,
            }
        }
        assert_eq!(statuses.last(), Some(&418), "{statuses:?}");
        let banned_at = Instant::now();

        match conn.call(Request::new("ping")).await {
            Err(CallError::Api(e)) => assert_eq!(e.status, 418, "{e}"),
            other => panic!("{other:?}"),
        }
        let will_reconnect = next_matching(&conn, 5, |d| match d.notice {
            Notice::Disconnected { will_reconnect, .. } => Some(will_reconnect),
            _ => None,
        })
        .await;
        assert!(will_reconnect);
        let attempts = next_matching(&conn, 10, |d| match d.notice {
            Notice::Reconnected { attempts, .. } => Some(attempts),
            _ => None,
        })
        .await;
        let waited = banned_at.elapsed();
        assert_eq!(attempts, 1, "knocked during the ban");
        assert!(waited >= Duration::from_millis(1_300), "{waited:?}");
        // Connected again. The minute's weight is still spent, so the server answers 429 (the
        // ban itself is over), and the client then holds back until `retryAfter`.
        match conn.call(Request::new("ping")).await {
            Err(CallError::Api(e)) => assert_eq!(e.status, 429, "{e}"),
            other => panic!("{other:?}"),
        }
        assert!(conn.status().connected);
    });
}

/// A 429's back-off outlives the socket: after a reconnect the new socket still refuses sends
/// until `retryAfter`, instead of earning a second violation (the way to a ban).
#[test]
fn a_429_back_off_carries_over_a_reconnect() {
    run(20, async {
        let mut config = EmulatorConfig::default();
        config.limits.weight_per_minute = 6;
        config.limits.violations_before_ban = 100;
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.config.governor = false;
        opts.clock_sync_every = None;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let mut got_429 = false;
        for _ in 0..10 {
            if let Err(CallError::Api(e)) = conn.call(Request::new("ping")).await {
                assert_eq!(e.status, 429, "{e}");
                got_429 = true;
                break;
            }
        }
        assert!(got_429);
        conn.reconnect();
        next_matching(&conn, 10, |d| match d.notice {
            Notice::Reconnected { .. } => Some(()),
            _ => None,
        })
        .await;
        match conn.call(Request::new("ping")).await {
            Err(CallError::Connection(Error::Send(SendError::RateLimited { banned, .. }))) => {
                assert!(!banned);
            }
            other => panic!("sent into the server's window again: {other:?}"),
        }
    });
}

#[test]
fn many_connections_in_a_hub_with_a_global_handler_and_buffer() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let hub = Hub::with_global_buffer(1000, WhenFull::DropOldest);
        let by_connection = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&by_connection);
        hub.set_handler(move |id, notice| {
            seen.lock().unwrap().push(id);
            Some(notice)
        });
        let mut opts = options();
        opts.label = Some("market".into());
        let market = hub.connect(emu.url(), opts).await.unwrap();
        let mut opts = options();
        opts.label = Some("orders".into());
        let orders = hub.connect(emu.url(), opts).await.unwrap();
        assert_eq!(hub.connections().len(), 2);
        assert_eq!(hub.by_label("orders").unwrap().id(), orders.id());
        assert_eq!(hub.get(market.id()).unwrap().label(), Some("market"));
        assert!(hub.by_label("nope").is_none());

        let a = market.post(Request::new("ping")).await.unwrap();
        let b = orders.post(Request::new("time")).await.unwrap();
        let buffer = hub.buffer().unwrap().clone();
        let mut got = Vec::new();
        let until = Instant::now() + Duration::from_secs(5);
        while got.len() < 2 && Instant::now() < until {
            match buffer.pop_fifo() {
                Some(d) => {
                    if let Some(Event::Completed(done)) = d.event() {
                        if done.id == a.id || done.id == b.id {
                            got.push((d.connection, done.method.to_string()));
                        }
                    }
                }
                None => {
                    smol::Timer::after(Duration::from_millis(5)).await;
                }
            }
        }
        got.sort();
        let mut want = vec![
            (market.id(), "ping".to_owned()),
            (orders.id(), "time".to_owned()),
        ];
        want.sort();
        assert_eq!(got, want);
        let ids = by_connection.lock().unwrap().clone();
        assert!(ids.contains(&market.id()) && ids.contains(&orders.id()));

        assert!(hub.remove(market.id()).await);
        assert!(!hub.remove(market.id()).await);
        assert_eq!(hub.connections().len(), 1);
        hub.close_all().await;
        assert!(orders.is_closed() && !orders.status().connected);
    });
}

#[test]
fn a_global_async_handler_sees_every_connection() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        assert!(
            Hub::new().spawn_handler(|_| async {}).is_none(),
            "needs a global buffer"
        );
        let hub = Hub::with_global_buffer(100, WhenFull::DropNewest);
        let (tx, rx) = smol::channel::unbounded();
        let task = hub
            .spawn_handler(move |d| {
                let tx = tx.clone();
                async move {
                    smol::Timer::after(Duration::from_millis(1)).await;
                    if let Some(Event::Completed(done)) = d.event() {
                        let _ = tx.send((d.connection, done.method.to_string())).await;
                    }
                }
            })
            .unwrap();
        let mut opts = options();
        opts.clock_sync_every = None;
        let a = hub.connect(emu.url(), opts.clone()).await.unwrap();
        let b = hub.connect(emu.url(), opts).await.unwrap();
        a.post(Request::new("ping")).await.unwrap();
        b.post(Request::new("time")).await.unwrap();
        let mut got = vec![rx.recv().await.unwrap(), rx.recv().await.unwrap()];
        got.sort();
        let mut want = vec![(a.id(), "ping".to_owned()), (b.id(), "time".to_owned())];
        want.sort();
        assert_eq!(got, want);
        drop(task);
        hub.close_all().await;
    });
}

#[test]
fn stream_buffer_drained_at_its_own_pace_lifo_put_back_and_full_policy() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let mut opts = options();
        opts.buffer = BufferChoice::Own {
            capacity: 3,
            when_full: WhenFull::DropOldest,
        };
        opts.clock_sync_every = None;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let mut ids = Vec::new();
        for _ in 0..5 {
            ids.push(conn.post(Request::new("ping")).await.unwrap().id);
        }
        // Wait until all five completions went through the buffer of three.
        conn.call(Request::new("ping")).await.unwrap();
        let buffer = conn.buffer();
        assert_eq!((buffer.len(), buffer.dropped()), (3, 2));
        let id_of = |d: &Delivery| match d.event() {
            Some(Event::Completed(done)) => done.id,
            other => panic!("{other:?}"),
        };
        let newest = buffer.pop_lifo().unwrap();
        assert_eq!(id_of(&newest), ids[4]);
        let oldest = buffer.pop_fifo().unwrap();
        assert_eq!(id_of(&oldest), ids[2], "the two oldest were dropped");
        buffer.put_back(oldest);
        assert_eq!(id_of(&buffer.pop_fifo().unwrap()), ids[2]);
        assert_eq!(id_of(&buffer.pop_fifo().unwrap()), ids[3]);
        assert!(buffer.is_empty());

        // An async handler on a task of its own.
        let (tx, rx) = smol::channel::unbounded();
        let task = conn.spawn_handler(move |d| {
            let tx = tx.clone();
            async move {
                smol::Timer::after(Duration::from_millis(1)).await;
                if let Some(Event::Completed(done)) = d.event() {
                    let _ = tx.send(done.method.to_string()).await;
                }
            }
        });
        conn.post(Request::new("time")).await.unwrap();
        assert_eq!(rx.recv().await.unwrap(), "time");
        conn.close().await;
        task.await;
    });
}

#[test]
fn clock_is_sampled_at_connect_and_a_reconnect_keeps_it() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let mut opts = options();
        opts.clock_sync_every = Some(Duration::from_millis(100));
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let until = Instant::now() + Duration::from_secs(3);
        let mut offset = None;
        while offset.is_none() && Instant::now() < until {
            offset = conn.status().server_time_offset_us;
            smol::Timer::after(Duration::from_millis(10)).await;
        }
        let offset = offset.expect("the clock was sampled without being asked");
        assert!(offset.abs() < 2_000_000);
        conn.reconnect();
        next_matching(&conn, 5, |d| match &d.notice {
            Notice::Reconnected { .. } => Some(()),
            _ => None,
        })
        .await;
        assert!(conn.status().server_time_offset_us.is_some());
        // Request ids stay unique across sockets.
        let first = conn.send(Request::new("ping")).await.unwrap();
        assert!(matches!(first.id, binance_wsapi_proto::RequestId::Int(n) if n > 2));
        first.response().await.unwrap();
    });
}

#[test]
fn a_timestamp_outside_recv_window_resyncs_the_clock() {
    run(20, async {
        // The server's clock runs 30 s ahead; the client has not sampled it yet.
        let mut config = EmulatorConfig::default();
        config.faults.clock_skew_ms = 30_000;
        let emu = Emulator::start(config).unwrap();
        let mut opts = options();
        opts.clock_sync_every = None;
        let conn = Connection::connect(emu.url(), opts).await.unwrap();
        let account = || Request::new("account.status");
        match conn.call(account()).await {
            Err(CallError::Api(e)) => assert_eq!(e.code, -1021, "{e:?}"),
            other => panic!("{other:?}"),
        }
        // The -1021 made the connection ask the server's time; the next request is on time.
        let until = Instant::now() + Duration::from_secs(3);
        while conn.status().server_time_offset_us.is_none() && Instant::now() < until {
            smol::Timer::after(Duration::from_millis(10)).await;
        }
        let offset = conn.status().server_time_offset_us.expect("resynced");
        assert!((offset - 30_000_000).abs() < 1_000_000, "{offset}");
        conn.call(account()).await.unwrap();
    });
}

#[test]
fn backoff_retries_refused_connections_and_drop_after_frames_heals() {
    run(20, async {
        let emu = Emulator::start(EmulatorConfig::default()).unwrap();
        let conn = Connection::connect(emu.url(), options()).await.unwrap();
        conn.call(Request::new("ping")).await.unwrap();
        // New connections are refused for a while; the reconnect keeps trying with backoff.
        let mut refuse = Faults::none();
        refuse.refuse_connections = true;
        emu.set_faults(refuse);
        emu.drop_connections();
        next_matching(&conn, 5, |d| match &d.notice {
            Notice::Disconnected { .. } => Some(()),
            _ => None,
        })
        .await;
        assert!(matches!(
            conn.send(Request::new("ping")).await,
            Err(Error::Reconnecting)
        ));
        smol::Timer::after(Duration::from_millis(150)).await;
        emu.set_faults(Faults::none());
        let attempts = next_matching(&conn, 5, |d| match &d.notice {
            Notice::Reconnected { attempts, .. } => Some(*attempts),
            _ => None,
        })
        .await;
        assert!(attempts > 1, "took {attempts} attempt(s)");
        conn.call(Request::new("ping")).await.unwrap();

        // The server cuts every connection after 3 frames: calls keep working across cuts.
        let mut cut = Faults::none();
        cut.drop_after_frames = Some(3);
        emu.set_faults(cut);
        let mut ok = 0;
        for _ in 0..12 {
            match conn.call(Request::new("ping")).await {
                Ok(_) => ok += 1,
                Err(
                    CallError::ConnectionLost
                    | CallError::NotSent
                    | CallError::Connection(Error::Reconnecting),
                ) => {
                    smol::Timer::after(Duration::from_millis(30)).await;
                }
                Err(e) => panic!("{e:?}"),
            }
        }
        assert!(ok >= 4, "{ok} of 12 pings answered");
        assert!(conn.status().reconnects >= 3);
    });
}

#[test]
fn requests_in_flight_end_at_once_when_closed() {
    run(20, async {
        let mut config = EmulatorConfig::default();
        config.faults.reply_delay = Some(Duration::from_secs(5));
        let emu = Emulator::start(config).unwrap();
        let conn = Connection::connect(emu.url(), options()).await.unwrap();
        let order = conn.send(limit("SELL", "52004.00")).await.unwrap();
        let query = conn.send(Request::new("ping")).await.unwrap();
        let started = Instant::now();
        conn.close().await;
        let order = order.completion().await.unwrap();
        assert!(order.is_outcome_unknown() && order.client_order_id.is_some());
        assert!(matches!(
            query.completion().await.unwrap().outcome,
            Outcome::ConnectionLost
        ));
        assert!(started.elapsed() < Duration::from_secs(2));
    });
}
