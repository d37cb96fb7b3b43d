//! `wsapi demo`: a guided tour of the client against the embedded emulator (or, read-only, against
//! a real endpoint).

use std::time::{Duration, Instant};

use binance_wsapi_blocking::{Connection, Options};
use binance_wsapi_emulator::config::{DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::{
    CancelOrder, CancelReply, ClientOrderId, Credentials, Decimal, Event, OrderRef, PlaceOrder,
    PlacedOrder, Request, Response, Side, TimeInForce, UserEvent,
};
use serde_json::Value;

/// Where the tour runs.
pub(crate) enum Target {
    /// The emulator, started in this process.
    Embedded,
    /// A real endpoint: only the read-only steps run.
    Remote {
        url: String,
        credentials: Option<Credentials>,
    },
}

struct Tour {
    conn: Connection,
    step: usize,
    total: usize,
}

impl Tour {
    /// Runs one step and prints a progress line with its outcome and duration.
    fn step<T>(
        &mut self,
        what: &str,
        f: impl FnOnce(&mut Connection) -> Result<(T, String), String>,
    ) -> Result<T, String> {
        self.step += 1;
        let started = Instant::now();
        let result = f(&mut self.conn);
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        match result {
            Ok((value, summary)) => {
                println!(
                    "[{:>2}/{}] {what:<44} ok  {ms:>7.1} ms  {summary}",
                    self.step, self.total
                );
                Ok(value)
            }
            Err(e) => {
                println!("[{:>2}/{}] {what:<44} FAILED  {e}", self.step, self.total);
                Err(format!("{what}: {e}"))
            }
        }
    }
}

fn call(conn: &mut Connection, request: Request) -> Result<Response, String> {
    conn.call(request).map_err(|e| e.to_string())
}

fn json(response: &Response) -> Result<Value, String> {
    response.result_value().map_err(|e| e.to_string())
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap_or_default()
}

/// Runs the tour.
pub(crate) fn run(target: Target) -> Result<(), String> {
    let (emulator, url, credentials, full) = match target {
        Target::Embedded => {
            let emu = Emulator::start(EmulatorConfig::default()).map_err(|e| e.to_string())?;
            println!("Started the Binance WS API emulator at {}", emu.url());
            println!(
                "Demo account: HMAC key from Binance's docs ({}…), 1 000 000 USDT, 100 BTC\n",
                &DEMO_HMAC_API_KEY[..8]
            );
            let creds = Credentials::hmac(DEMO_HMAC_API_KEY, DEMO_HMAC_SECRET)
                .map_err(|e| e.to_string())?;
            let url = emu.url().to_owned();
            (Some(emu), url, Some(creds), true)
        }
        Target::Remote { url, credentials } => {
            println!("Read-only tour of {url}\n");
            (None, url, credentials, false)
        }
    };
    let signed = credentials.is_some();
    let options = match credentials {
        Some(c) => Options::with_credentials(c),
        None => Options::default(),
    };
    let conn = Connection::connect(&url, options).map_err(|e| e.to_string())?;
    let total = if full {
        11
    } else if signed {
        4
    } else {
        3
    };
    let mut tour = Tour {
        conn,
        step: 0,
        total,
    };

    tour.step("ping", |c| {
        call(c, Request::new("ping")).map(|_| ((), String::new()))
    })?;
    tour.step("server time (clock offset learned)", |c| {
        let r = call(c, Request::new("time"))?;
        let t = json(&r)?["serverTime"].as_i64().unwrap_or_default();
        let offset = c.client().server_time_offset_us() as f64 / 1000.0;
        Ok(((), format!("serverTime {t}, offset {offset:+.1} ms")))
    })?;
    tour.step("exchangeInfo for BTCUSDT", |c| {
        let r = call(c, Request::new("exchangeInfo").param("symbol", "BTCUSDT"))?;
        let v = json(&r)?;
        let filters = v["symbols"][0]["filters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let find = |t: &str, k: &str| {
            filters
                .iter()
                .find(|f| f["filterType"] == t)
                .and_then(|f| f[k].as_str())
                .unwrap_or("?")
                .to_owned()
        };
        Ok((
            (),
            format!(
                "tick {} step {} minNotional {}",
                find("PRICE_FILTER", "tickSize"),
                find("LOT_SIZE", "stepSize"),
                find("NOTIONAL", "minNotional")
            ),
        ))
    })?;
    if signed {
        tour.step("account balances", |c| {
            let r = call(
                c,
                Request::new("account.status").param("omitZeroBalances", true),
            )?;
            let v = json(&r)?;
            let list: Vec<String> = v["balances"]
                .as_array()
                .map(|b| {
                    b.iter()
                        .map(|x| {
                            format!(
                                "{} {}",
                                x["asset"].as_str().unwrap_or("?"),
                                x["free"].as_str().unwrap_or("?")
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Ok(((), list.join(", ")))
        })?;
    }
    if !full {
        println!("\nRead-only tour done.");
        return Ok(());
    }

    tour.step("subscribe to user data (any key kind)", |c| {
        let r = call(c, Request::new("userDataStream.subscribe.signature"))?;
        Ok((
            (),
            format!("subscriptionId {}", json(&r)?["subscriptionId"]),
        ))
    })?;
    // Typed requests: the builder checks each order type's parameters before anything is sent.
    let limit = |side: Side, price: &str| -> Result<Request, String> {
        PlaceOrder::limit(
            "BTCUSDT",
            side,
            dec(price),
            dec("0.01000000"),
            TimeInForce::Gtc,
        )
        .into_request()
        .map_err(|e| e.to_string())
    };
    let client_id = tour.step("place a LIMIT BUY 0.01 BTC @ 29000 (rests)", |c| {
        // `call` keeps the user-data events that arrive meanwhile for `next_event`.
        let placed: PlacedOrder = call(c, limit(Side::Buy, "29000.00")?)?
            .decode()
            .map_err(|e| e.to_string())?;
        let id = ClientOrderId::new(&placed.client_order_id).map_err(|e| e.to_string())?;
        let status = placed.status.map(|s| s.to_string()).unwrap_or_default();
        Ok((
            id,
            format!(
                "orderId {} status {status} clientOrderId {id} (generated)",
                placed.order_id
            ),
        ))
    })?;
    tour.step("its executionReport arrives", |c| {
        let until = Instant::now() + Duration::from_secs(5);
        while Instant::now() < until {
            if let Some(Event::UserData(u)) = c
                .next_event(Duration::from_millis(100))
                .map_err(|e| e.to_string())?
            {
                if let UserEvent::Execution(report) = u.typed().map_err(|e| e.to_string())? {
                    if report.client_order_id == client_id.as_str() {
                        return Ok((
                            (),
                            format!(
                                "{} -> {} on subscription {:?}",
                                report.execution_type, report.status, u.subscription_id
                            ),
                        ));
                    }
                }
            }
        }
        Err("no executionReport".into())
    })?;
    tour.step("cancel it by client order id", |c| {
        let request = CancelOrder::new("BTCUSDT", OrderRef::Client(client_id)).into_request();
        let reply: CancelReply = call(c, request)?.decode().map_err(|e| e.to_string())?;
        let status = match reply {
            CancelReply::Order(order) => order.status.to_string(),
            other => format!("{other:?}"),
        };
        Ok(((), format!("status {status}")))
    })?;
    tour.step("place two more, then cancel all open orders", |c| {
        call(c, limit(Side::Buy, "28000.00")?)?;
        call(c, limit(Side::Sell, "52000.00")?)?;
        let r = call(
            c,
            Request::new("openOrders.cancelAll").param("symbol", "BTCUSDT"),
        )?;
        Ok((
            (),
            format!("{} cancelled", json(&r)?.as_array().map_or(0, Vec::len)),
        ))
    })?;
    tour.step("a MARKET BUY 0.01 BTC fills", |c| {
        let request = PlaceOrder::market("BTCUSDT", Side::Buy, dec("0.01000000"))
            .into_request()
            .map_err(|e| e.to_string())?;
        let placed: PlacedOrder = call(c, request)?.decode().map_err(|e| e.to_string())?;
        let fill = placed.fills.first().ok_or("no fill")?;
        let status = placed.status.map(|s| s.to_string()).unwrap_or_default();
        Ok((
            (),
            format!(
                "status {status} at {} (commission {} {})",
                fill.price, fill.commission, fill.commission_asset
            ),
        ))
    })?;
    tour.step("rate limits used", |c| {
        let used: Vec<String> = c
            .client()
            .rate_limits()
            .iter()
            .map(|l| {
                format!(
                    "{:?} {}/{} per {} {:?}",
                    l.rate_limit_type,
                    l.count.unwrap_or(0),
                    l.limit,
                    l.interval_num,
                    l.interval
                )
            })
            .collect();
        Ok(((), used.join("; ")))
    })?;
    let _ = tour.conn.close();
    drop(emulator);
    println!("\nDemo finished: every step went through the signing client, the emulator and back.");
    Ok(())
}
