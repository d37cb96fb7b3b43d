//! The client against the fake server in virtual time: each test is a short protocol script.

mod support;

use std::time::Duration;

use binance_wsapi_proto::{
    Config, Decimal, Event, Outcome, ProtocolError, RecvWindow, Request, RequestId, SendError,
    SessionState, TimeoutReason, UnknownCause,
};
use serde_json::json;
use support::{ed25519_credentials, Behaviour, Harness};

fn limit_order() -> Request {
    Request::new("order.place")
        .param("symbol", "BTCUSDT")
        .param("side", "SELL")
        .param("type", "LIMIT")
        .param("timeInForce", "GTC")
        .param("price", Decimal::new(5_200_000, 2))
        .param("quantity", Decimal::new(1_000_000, 8))
}

fn config() -> Config {
    let mut c = Config::default();
    c.request_timeout = Duration::from_secs(2);
    c
}

#[test]
fn ping_and_signed_order_round_trip_with_valid_signatures() {
    let mut h = Harness::new(config());
    let ping = h.send(Request::new("ping")).unwrap();
    let order = h.send(limit_order()).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(ping.id).unwrap().response().is_some());
    let done = h.completion(order.id).unwrap();
    let response = done.response().expect("order accepted");
    // The generated client order id went out, and is reported with the outcome.
    let coid = order.client_order_id.expect("generated");
    assert_eq!(done.client_order_id, Some(coid));
    let result: serde_json::Value = response.decode().unwrap();
    assert_eq!(result["clientOrderId"], coid.as_str());
    assert_eq!(h.server.bad_signatures, 0);
    let sent = &h.server.received[1]["params"];
    assert_eq!(sent["price"], "52000.00");
    assert_eq!(sent["quantity"], "0.01000000");
    assert_eq!(sent["apiKey"], support::HMAC_KEY);
    assert_eq!(h.client.rate_limits()[0].count, Some(2));
    assert_eq!(h.transcript(), ["ping: ok", "order.place: ok"]);
}

#[test]
fn clock_offset_is_learned_from_time_and_used_for_timestamps() {
    let mut h = Harness::new(config());
    h.server.skew_ms = 7_000; // the server is 7 s ahead: unsynced requests fail -1021
    let early = h.send(Request::new("account.status")).unwrap();
    h.run_for(Duration::from_millis(100));
    let Outcome::Error(e) = &h.completion(early.id).unwrap().outcome else {
        panic!()
    };
    assert!(e.is_timestamp_outside_recv_window());

    let time = h.send(Request::new("time")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(time.id).unwrap().response().is_some());
    assert!(h.client.is_clock_synced());
    let offset_ms = h.client.server_time_offset_us() / 1000;
    assert!((6_990..=7_010).contains(&offset_ms), "{offset_ms}");

    let later = h.send(Request::new("account.status")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(later.id).unwrap().response().is_some());
}

#[test]
fn recv_window_and_microsecond_timestamps_are_sent() {
    let mut c = config();
    c.recv_window = Some(RecvWindow::from_micros(6_000_346).unwrap());
    c.timestamp_unit = binance_wsapi_proto::TimestampUnit::Micros;
    let mut h = Harness::new(c);
    h.send(Request::new("account.status")).unwrap();
    let params = &h.client.last_signed_payload().to_owned();
    assert!(
        params.contains("recvWindow=6000.346&timestamp=1700000000000000"),
        "{params}"
    );
}

#[test]
fn order_timeout_is_outcome_unknown_and_the_late_reply_is_reported() {
    let mut h = Harness::new(config());
    h.server.behaviours.insert(
        "order.place".into(),
        Behaviour::Delay(Duration::from_secs(5)),
    );
    let order = h.send(limit_order()).unwrap();
    let query = {
        h.server
            .behaviours
            .insert("account.status".into(), Behaviour::Drop);
        h.send(Request::new("account.status")).unwrap()
    };
    h.run_for(Duration::from_secs(3));
    let done = h.completion(order.id).unwrap();
    assert!(matches!(
        done.outcome,
        Outcome::Unknown(UnknownCause::TimedOut)
    ));
    assert_eq!(done.client_order_id, order.client_order_id);
    assert!(matches!(
        h.completion(query.id).unwrap().outcome,
        Outcome::TimedOut
    ));
    h.run_for(Duration::from_secs(5));
    let late: Vec<_> = h
        .events
        .iter()
        .filter_map(|e| match e {
            Event::LateReply(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(late.len(), 1);
    assert_eq!(late[0].id, order.id);
    assert!(late[0].response().is_some());
}

#[test]
fn connection_loss_ends_everything_at_once() {
    let mut h = Harness::new(config());
    h.server
        .behaviours
        .insert("order.place".into(), Behaviour::Drop);
    h.server.behaviours.insert("ping".into(), Behaviour::Drop);
    let order = h.send(limit_order()).unwrap();
    let ping = h.send(Request::new("ping")).unwrap();
    h.run_for(Duration::from_millis(50));
    // Queued but never handed to the driver: certainly not sent.
    let unsent = h.client.send(Request::new("time"), h.now).unwrap();
    h.disconnect();
    assert!(matches!(
        h.completion(order.id).unwrap().outcome,
        Outcome::Unknown(UnknownCause::ConnectionLost)
    ));
    assert!(matches!(
        h.completion(ping.id).unwrap().outcome,
        Outcome::ConnectionLost
    ));
    assert!(matches!(
        h.completion(unsent.id).unwrap().outcome,
        Outcome::NotSent
    ));
    assert_eq!(h.client.pending_len(), 0);
    assert_eq!(
        h.client.send(Request::new("ping"), h.now),
        Err(SendError::Closed)
    );
}

#[test]
fn server_side_unknown_errors_are_unknown_for_orders_only() {
    let mut h = Harness::new(config());
    let unknown = |code| {
        Behaviour::Error { status: 400, code, msg: "Timeout waiting for response from backend server. Send status unknown; execution status unknown.", data: None }
    };
    h.server
        .behaviours
        .insert("order.place".into(), unknown(-1007));
    h.server
        .behaviours
        .insert("account.status".into(), unknown(-1007));
    let order = h.send(limit_order()).unwrap();
    let query = h.send(Request::new("account.status")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(matches!(
        &h.completion(order.id).unwrap().outcome,
        Outcome::Unknown(UnknownCause::Server(e)) if e.code == -1007
    ));
    assert!(
        matches!(&h.completion(query.id).unwrap().outcome, Outcome::Error(e) if e.code == -1007)
    );
}

/// The fake server answers `ping` with a 429 whose `retryAfter` is `after_ms` past its start.
fn answer_pings_with_429(h: &mut Harness, after_ms: i64) {
    let retry_after = support::START_UNIX_MS as i64 + after_ms;
    h.server.behaviours.insert(
        "ping".into(),
        Behaviour::Error {
            status: 429,
            code: -1003,
            msg: "Too much request weight used.",
            data: Some(json!({"serverTime": support::START_UNIX_MS, "retryAfter": retry_after})),
        },
    );
}

#[test]
fn rate_limit_429_refuses_sends_until_retry_after() {
    let mut h = Harness::new(config());
    answer_pings_with_429(&mut h, 30_000);
    let ping = h.send(Request::new("ping")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(
        matches!(&h.completion(ping.id).unwrap().outcome, Outcome::Error(e) if e.is_rate_limited())
    );
    let until = match h
        .events
        .iter()
        .find(|e| matches!(e, Event::RateLimited { .. }))
    {
        Some(Event::RateLimited {
            until,
            banned: false,
        }) => *until,
        other => panic!("{other:?}"),
    };
    // The server's retryAfter is 30 s after its clock read at the start.
    let expected = h.start + Duration::from_secs(30);
    assert!(until.max(expected) - until.min(expected) <= Duration::from_millis(20));
    assert!(matches!(
        h.client.send(Request::new("time"), h.now),
        Err(SendError::RateLimited { banned: false, .. })
    ));
    // Asking first says the same, and queues nothing.
    let pending = h.client.pending_len();
    assert!(matches!(
        h.client.check_limits(&Request::new("time"), h.now),
        Err(SendError::RateLimited { until: asked, banned: false }) if asked == until
    ));
    assert!(h.client.poll_transmit().is_none() && h.client.pending_len() == pending);
    h.server.behaviours.clear();
    h.run_for(until - h.now);
    assert!(h.client.check_limits(&Request::new("time"), h.now).is_ok());
    let again = h.send(Request::new("ping")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(again.id).unwrap().response().is_some());
}

#[test]
fn a_new_client_honours_the_back_off_of_the_one_it_replaces() {
    let mut old = Harness::new(config());
    answer_pings_with_429(&mut old, 5_000);
    old.send(Request::new("ping")).unwrap();
    old.run_for(Duration::from_millis(100));
    let backoff = old.client.backoff(old.now).expect("backing off");

    let mut new = Harness::new(config());
    assert!(new
        .client
        .check_limits(&Request::new("ping"), new.now)
        .is_ok());
    new.client.honour_backoff(backoff);
    assert!(matches!(
        new.client.send(Request::new("ping"), new.now),
        Err(SendError::RateLimited { until, banned: false }) if until == backoff.until
    ));
    new.run_for(backoff.until - new.now);
    assert!(new.send(Request::new("ping")).is_ok());
}

#[test]
fn ban_418_without_retry_after_backs_off_for_the_shortest_ban() {
    let mut h = Harness::new(config());
    h.deliver(r#"{"id":null,"status":418,"error":{"code":-1003,"msg":"Way too much request weight used; IP banned."}}"#);
    assert!(matches!(
        h.events[..],
        [
            Event::RateLimited { banned: true, .. },
            Event::UnsolicitedError(_)
        ]
    ));
    let backoff = h.client.backoff(h.now).unwrap();
    assert_eq!(backoff.until - h.now, Duration::from_secs(120));
}

#[test]
fn session_logon_drops_key_and_signature_until_logout() {
    let mut h = Harness::new(config());
    assert!(matches!(
        h.send(Request::new("session.logon")),
        Err(SendError::LogonNeedsEd25519 { .. })
    ));
    assert!(matches!(
        h.send(Request::new("userDataStream.subscribe")),
        Err(SendError::NotLoggedOn { .. })
    ));
    h.client.set_credentials(Some(ed25519_credentials()));
    let logon = h.send(Request::new("session.logon")).unwrap();
    assert_eq!(h.client.session(), SessionState::LoggingOn);
    // Pipelined right behind the logon: allowed, since the logon is under way.
    let sub = h.send(Request::new("userDataStream.subscribe")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(logon.id).unwrap().response().is_some());
    assert!(h.completion(sub.id).unwrap().response().is_some());
    assert_eq!(h.client.session(), SessionState::LoggedOn);
    assert_eq!(h.client.subscriptions(), &[0]);

    let status = h.send(Request::new("account.status")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(status.id).unwrap().response().is_some());
    let params = h.server.received.last().unwrap()["params"]
        .as_object()
        .unwrap()
        .clone();
    assert!(params.contains_key("timestamp"));
    assert!(!params.contains_key("apiKey") && !params.contains_key("signature"));

    // User data routed by subscription; the end of a stream removes it.
    h.deliver(r#"{"subscriptionId":0,"event":{"e":"outboundAccountPosition","E":1,"B":[]}}"#);
    h.deliver(r#"{"subscriptionId":0,"event":{"e":"eventStreamTerminated","E":2}}"#);
    assert!(h.client.subscriptions().is_empty());

    let logout = h.send(Request::new("session.logout")).unwrap();
    assert_eq!(h.client.session(), SessionState::Anonymous);
    let after = h.send(Request::new("account.status")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(logout.id).unwrap().response().is_some());
    assert!(h.completion(after.id).unwrap().response().is_some());
    assert!(h.server.received.last().unwrap()["params"]["signature"].is_string());
    assert_eq!(h.server.bad_signatures, 0);
    assert_eq!(
        h.transcript(),
        [
            "session.logon: ok",
            "userDataStream.subscribe: ok",
            "account.status: ok",
            "user data outboundAccountPosition",
            "user data eventStreamTerminated",
            "session.logout: ok",
            "account.status: ok",
        ]
    );
}

#[test]
fn revoked_session_and_server_shutdown_are_events() {
    let mut h = Harness::new(config());
    h.client.set_credentials(Some(ed25519_credentials()));
    h.send(Request::new("session.logon")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert_eq!(h.client.session(), SessionState::LoggedOn);
    let revoked = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/spec/examples/envelope/session-revoked-401.json"
    ))
    .unwrap();
    let revoked: serde_json::Value = serde_json::from_str(&revoked).unwrap();
    let frame = revoked["json"].to_string();
    h.deliver(&frame);
    assert_eq!(h.client.session(), SessionState::Anonymous);
    h.deliver(r#"{"event":{"e":"serverShutdown","E":1770123456789}}"#);
    assert_eq!(
        h.transcript(),
        ["session.logon: ok", "session revoked", "server shutdown"],
        "{frame}"
    );
    assert!(h.protocol_errors.is_empty(), "{:?}", h.protocol_errors);
}

#[test]
fn bad_frames_are_protocol_errors_and_the_client_keeps_working() {
    let mut h = Harness::new(config());
    h.server.behaviours.insert("time".into(), Behaviour::Garble);
    h.server
        .behaviours
        .insert("ping".into(), Behaviour::Duplicate);
    let time = h.send(Request::new("time")).unwrap();
    let ping = h.send(Request::new("ping")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(matches!(
        h.completion(time.id).unwrap().outcome,
        Outcome::MalformedReply(_)
    ));
    assert!(h.completion(ping.id).unwrap().response().is_some());
    h.deliver("not json");
    h.deliver(r#"{"id":999,"status":200,"result":{}}"#);
    h.deliver(r#"{"something":"else"}"#);
    assert!(matches!(h.protocol_errors[0], ProtocolError::Malformed(_)));
    assert_eq!(h.protocol_errors[1], ProtocolError::DuplicateReply(ping.id));
    assert!(matches!(h.protocol_errors[2], ProtocolError::Malformed(_)));
    assert_eq!(h.protocol_errors[3], ProtocolError::UnknownId("999".into()));
    assert!(matches!(h.protocol_errors[4], ProtocolError::Malformed(_)));
    assert_eq!(h.protocol_errors.len(), 5);
    h.server.behaviours.clear();
    let again = h.send(Request::new("ping")).unwrap();
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(again.id).unwrap().response().is_some());
}

#[test]
fn limits_are_enforced_with_clear_errors() {
    let mut c = config();
    c.max_pending = 2;
    c.max_frame_len = 300;
    let mut h = Harness::new(c);
    h.send(Request::new("ping")).unwrap();
    let chosen = RequestId::text("mine-1").unwrap();
    h.send(Request::new("ping").id(chosen)).unwrap();
    assert_eq!(
        h.send(Request::new("ping")),
        Err(SendError::TooManyPending { limit: 2 })
    );
    let big = format!(r#"{{"id":1,"status":200,"result":"{}"}}"#, "x".repeat(400));
    assert_eq!(
        h.client.handle_text(&big, h.now),
        Err(ProtocolError::FrameTooLarge {
            len: big.len(),
            limit: 300
        })
    );
    h.run_for(Duration::from_millis(100));
    assert!(h.completion(chosen).unwrap().response().is_some());
    assert!(matches!(
        h.send(Request::new("ping").param("a b", 1)),
        Err(SendError::InvalidParamName { .. })
    ));
    assert!(matches!(
        h.send(Request::new("ping").param("signature", "x")),
        Err(SendError::ReservedParam {
            name: "signature",
            ..
        })
    ));
    assert!(matches!(
        h.send(limit_order().param("newClientOrderId", "has space")),
        Err(SendError::InvalidClientOrderId { .. })
    ));
    let mut no_key = Harness::new(config());
    no_key.client.set_credentials(None);
    assert!(matches!(
        no_key.send(Request::new("account.status")),
        Err(SendError::MissingCredentials { .. })
    ));
}

#[test]
fn caller_chosen_ids_must_not_collide_while_in_flight() {
    let mut h = Harness::new(config());
    let id = RequestId::Int(1);
    h.send(Request::new("ping").id(id)).unwrap();
    assert_eq!(
        h.send(Request::new("ping").id(id)),
        Err(SendError::DuplicateId(id))
    );
    // The counter skips ids the caller took.
    let next = h.send(Request::new("ping")).unwrap();
    assert_ne!(next.id, id);
    h.run_for(Duration::from_millis(100));
    assert!(
        h.send(Request::new("ping").id(id)).is_ok(),
        "reusable once completed"
    );
}

#[test]
fn a_replacement_client_continues_the_numbering() {
    let mut old = Harness::new(config());
    old.send(Request::new("ping")).unwrap();
    old.send(Request::new("ping")).unwrap();
    let next = old.client.next_request_number();
    assert_eq!(next, 3);
    let mut new = Harness::new(config());
    new.client.continue_numbering_from(next);
    assert_eq!(
        new.send(Request::new("ping")).unwrap().id,
        RequestId::Int(3)
    );
    // Numbers below 1 are not used.
    new.client.continue_numbering_from(-5);
    assert_eq!(
        new.send(Request::new("ping")).unwrap().id,
        RequestId::Int(1)
    );
}

#[test]
fn idle_and_renewal_are_reported_once_and_pings_keep_alive() {
    let mut c = config();
    c.idle_timeout = Duration::from_secs(60);
    c.renew_after = Duration::from_secs(600);
    let mut h = Harness::new(c);
    for _ in 0..5 {
        h.run_for(Duration::from_secs(20));
        h.client.handle_ping(h.now);
    }
    assert!(h.events.is_empty(), "{:?}", h.transcript());
    h.run_for(Duration::from_secs(200));
    assert_eq!(h.transcript(), ["idle"]);
    h.client.handle_ping(h.now);
    h.run_for(Duration::from_secs(400));
    let t = h.transcript();
    assert_eq!(t.iter().filter(|k| *k == "renew due").count(), 1, "{t:?}");
    assert_eq!(t.iter().filter(|k| *k == "idle").count(), 2, "{t:?}");
}

#[test]
fn poll_timeout_strictly_advances_after_handle_timeout() {
    let mut h = Harness::new(config());
    h.server.behaviours.insert("ping".into(), Behaviour::Drop);
    for i in 0..5 {
        h.send(Request::new("ping").timeout(Duration::from_millis(100 * (i + 1))))
            .unwrap();
    }
    let mut last = None;
    for _ in 0..20 {
        let Some(t) = h.client.poll_timeout() else {
            break;
        };
        if t.reason != TimeoutReason::RequestDeadline {
            break;
        }
        if let Some(prev) = last {
            assert!(t.at > prev, "deadline did not advance");
        }
        h.now = h.now.max(t.at);
        h.client.handle_timeout(h.now);
        h.drain();
        last = Some(t.at);
    }
    assert_eq!(h.client.pending_len(), 0);
    assert_eq!(h.transcript(), vec!["ping: timed out"; 5]);
}

#[test]
fn user_data_overflow_is_bounded_and_reported() {
    let mut c = config();
    c.max_queued_events = 4;
    let mut h = Harness::new(c);
    for i in 0..10 {
        h.client
            .handle_text(
                &format!(r#"{{"subscriptionId":1,"event":{{"e":"balanceUpdate","E":{i}}}}}"#),
                h.now,
            )
            .unwrap();
    }
    h.drain();
    assert_eq!(h.client.dropped_user_events(), 6);
    assert_eq!(h.events.len(), 5);
    assert!(matches!(h.events[4], Event::UserDataDropped { total: 1 }));
}

#[test]
fn every_documented_envelope_and_event_parses() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/spec/examples");
    let mut h = Harness::new(config());
    let mut seen = 0;
    for sub in ["envelope", "events"] {
        for entry in std::fs::read_dir(format!("{dir}/{sub}")).unwrap() {
            let path = entry.unwrap().path();
            let doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            // Envelope files hold one frame under `json` (requests have a `method` and are
            // skipped); event files under `frame`.
            let frames: Vec<&serde_json::Value> = ["frame", "json"]
                .iter()
                .filter_map(|k| doc.get(*k))
                .filter(|f| f.get("method").is_none())
                .collect();
            for frame in frames {
                let text = frame.to_string();
                if frame.get("id").is_some_and(|id| !id.is_null()) {
                    // A reply to nothing we sent: recognised as a reply with an unknown id.
                    assert!(
                        matches!(
                            h.client.handle_text(&text, h.now),
                            Err(ProtocolError::UnknownId(_))
                        ),
                        "{}",
                        path.display()
                    );
                } else {
                    assert_eq!(
                        h.client.handle_text(&text, h.now),
                        Ok(()),
                        "{}",
                        path.display()
                    );
                }
                seen += 1;
            }
        }
    }
    h.drain();
    assert!(seen >= 15, "{seen}");
    let kinds = h.transcript();
    for expected in [
        "user data executionReport",
        "user data listStatus",
        "server shutdown",
        "session revoked",
    ] {
        assert!(
            kinds.iter().any(|k| k == expected),
            "{expected} missing from {kinds:?}"
        );
    }
}

#[test]
fn debug_output_holds_no_secret_and_no_full_api_key() {
    let mut h = Harness::new(config());
    h.send(limit_order()).unwrap();
    let text = format!("{:?}", h.client);
    assert!(!text.contains(support::HMAC_SECRET), "{text}");
    assert!(!text.contains(support::HMAC_KEY), "{text}");
    assert!(text.contains("pending: 1"), "{text}");
}

#[test]
fn the_governor_refuses_what_would_cross_a_reported_limit() {
    let mut h = Harness::new(config());
    h.server.weight_limit = 5;
    // START_UNIX_MS is 20 s into a minute: the window ends 40 s after the start.
    let first = h.send(Request::new("ping")).unwrap();
    h.run_for(Duration::from_millis(50));
    assert!(h.completion(first.id).unwrap().response().is_some());
    // Count 1 of 5 reported; four more fit, counting those still in flight.
    for _ in 0..4 {
        h.send(Request::new("ping")).unwrap();
    }
    let refused = h.send(Request::new("ping")).unwrap_err();
    let SendError::WouldExceedLimit { limit, until } = refused else {
        panic!("{refused:?}")
    };
    assert_eq!((limit.limit, limit.count), (5, Some(1)));
    // Asking first gives the same answer.
    assert!(matches!(
        h.client.check_limits(&Request::new("ping"), h.now),
        Err(SendError::WouldExceedLimit { until: asked, .. }) if asked == until
    ));
    let expected = h.start + Duration::from_secs(40);
    assert!(
        until.max(expected) - until.min(expected) <= Duration::from_millis(20),
        "{:?}",
        until - h.start
    );
    // account.status weighs 20: refused even with nothing in flight once the replies are in.
    h.run_for(Duration::from_millis(50));
    assert!(matches!(
        h.client
            .check_limits(&Request::new("account.status"), h.now),
        Err(SendError::WouldExceedLimit { .. })
    ));
    assert!(matches!(
        h.send(Request::new("account.status")),
        Err(SendError::WouldExceedLimit { .. })
    ));
    // In the next minute the old count no longer applies.
    h.run_for(Duration::from_secs(40));
    h.server.weight_limit = 6000;
    assert!(h.send(Request::new("ping")).is_ok());
    // And with the governor off, sends are not checked.
    let mut c = config();
    c.governor = false;
    let mut free = Harness::new(c);
    free.server.weight_limit = 1;
    free.send(Request::new("ping")).unwrap();
    free.run_for(Duration::from_millis(50));
    assert!(free.send(Request::new("account.status")).is_ok());
}
