//! The sans-IO core driven by tokio and tokio-tungstenite, with no adapter crate in between.
//!
//! Starts the bundled emulator in-process (it runs its own smol threads beside the tokio runtime),
//! connects, places a limit order and cancels it, lets one request time out through the core's
//! `poll_timeout`/`handle_timeout`, and answers the server's pings for a while. Every wait has a
//! deadline. Run with `cargo run --example tokio`.

#![allow(clippy::print_stdout)]

use std::collections::hash_map::RandomState;
use std::error::Error;
use std::hash::BuildHasher;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use binance_wsapi::proto::{
    CancelOrder, CanceledOrder, Client, Completion, Config, Credentials, Decimal, Event, OrderRef,
    Outcome, PlaceOrder, PlacedOrder, Request, RequestId, Response, Side, TimeInForce,
};
use binance_wsapi_emulator::{Emulator, EmulatorConfig, Faults};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio::time::sleep_until;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// One connection: the socket and the core that speaks the protocol over it.
struct Driver {
    ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    client: Client,
    pings: u32,
}

impl Driver {
    /// Writes every frame the core has queued, in order. The frame taken from `poll_transmit` is
    /// awaited here, outside any `select!`, so no frame is ever dropped half-sent.
    async fn flush(&mut self) -> Result<()> {
        while let Some(frame) = self.client.poll_transmit() {
            if let Err(e) = self.ws.send(Message::text(frame.text)).await {
                self.client.handle_close(Instant::now());
                return Err(e.into());
            }
        }
        Ok(())
    }

    /// Sends `request` and serves the connection until it ends, the core's deadlines firing on
    /// the way; gives up after a second. Anything but a success is an error.
    async fn call(&mut self, request: Request) -> Result<Response> {
        let id = self.client.send(request, Instant::now())?.id;
        let give_up = Instant::now() + Duration::from_secs(1);
        match self
            .serve_until(Some(id), give_up)
            .await?
            .map(|c| c.outcome)
        {
            Some(Outcome::Success(response)) => Ok(response),
            other => Err(format!("request {id} failed: {other:?}").into()),
        }
    }

    /// The drain contract as a loop: write, handle events, then wait for whichever comes first of
    /// a frame, the core's next deadline, or `give_up`. Returns the completion of `wanted`, or
    /// `None` at `give_up`.
    async fn serve_until(
        &mut self,
        wanted: Option<RequestId>,
        give_up: Instant,
    ) -> Result<Option<Completion>> {
        loop {
            self.flush().await?;
            while let Some(event) = self.client.poll_event() {
                match event {
                    Event::Completed(done) if wanted == Some(done.id) => return Ok(Some(done)),
                    Event::LateReply(late) => {
                        let (method, id, after) = (late.method, late.id, late.sent_at.elapsed());
                        println!("  late reply to {method} {id} after {after:?}");
                    }
                    Event::Idle { silent_for } => {
                        println!("silent for {silent_for:?}: closing");
                        let _ = self.ws.close(None).await;
                        self.client.handle_close(Instant::now());
                    }
                    Event::UserData(event) => println!("  user data: {}", event.event_type),
                    other => println!("  event: {other:?}"),
                }
            }
            if self.client.is_closed() {
                return Err("connection closed".into());
            }
            if Instant::now() >= give_up {
                return Ok(None);
            }
            let next = self.client.poll_timeout();
            let wake = next.map_or(give_up, |t| t.at.min(give_up));
            // Both branches are cancel-safe: losing the race drops no frame and no deadline.
            tokio::select! {
                frame = self.ws.next() => match frame {
                    Some(Ok(Message::Text(text))) => {
                        if let Err(e) = self.client.handle_text(text.as_str(), Instant::now()) {
                            println!("  skipped a bad frame: {e}");
                        }
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {
                        self.pings += 1;
                        self.client.handle_ping(Instant::now());
                        let _ = self.ws.flush().await; // sends the pong tungstenite queued
                    }
                    Some(Ok(_)) => {}
                    Some(Err(_)) | None => self.client.handle_close(Instant::now()),
                },
                () = sleep_until(wake.into()) => self.client.handle_timeout(Instant::now()),
            }
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    let mut settings = EmulatorConfig::default();
    settings.ping_interval = Duration::from_millis(200); // Binance pings every 20 s
    let emulator = Emulator::start(settings)?;
    let keys = emulator.demo_keys().ok_or("no demo account")?;
    let credentials = Credentials::hmac(keys.hmac_api_key.as_str(), keys.hmac_secret.as_str())?;
    let (ws, _) = tokio_tungstenite::connect_async(emulator.url()).await?;
    let unix = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let seed = RandomState::new().hash_one(unix); // keyed by the OS's random source
    let client =
        Client::new(Config::default(), Instant::now(), unix, seed)?.with_credentials(credentials);
    let mut driver = Driver {
        ws,
        client,
        pings: 0,
    };
    println!("connected to {}", emulator.url());

    driver.call(Request::new("time")).await?;
    let offset = driver.client.server_time_offset_us();
    println!("server clock offset learned: {offset} µs");
    let subscribe = Request::new("userDataStream.subscribe.signature");
    driver.call(subscribe).await?;

    let (price, quantity): (Decimal, Decimal) = ("29000.00".parse()?, "0.01000000".parse()?);
    let order = PlaceOrder::limit("BTCUSDT", Side::Buy, price, quantity, TimeInForce::Gtc);
    let placed: PlacedOrder = driver.call(order.into_request()?).await?.decode()?;
    let (order_id, client_id) = (placed.order_id, placed.client_order_id);
    let status = placed.status.ok_or("a reply without the order's status")?;
    println!("placed order {order_id} ({client_id}): {status}");
    let cancel = CancelOrder::new("BTCUSDT", OrderRef::Id(order_id)).into_request();
    let cancelled: CanceledOrder = driver.call(cancel).await?.decode()?;
    println!("cancelled order {order_id}: {}", cancelled.status);

    // A reply held back longer than the request's own timeout: the core ends the request at its
    // deadline (through handle_timeout), then hands the reply out as a late one (printed below).
    let mut faults = Faults::none();
    faults.reply_delay = Some(Duration::from_millis(300));
    emulator.set_faults(faults);
    let (sent_at, give_up) = (Instant::now(), Instant::now() + Duration::from_secs(1));
    let ping = Request::new("ping").timeout(Duration::from_millis(100));
    let id = driver.client.send(ping, sent_at)?.id;
    let done = driver.serve_until(Some(id), give_up).await?;
    let outcome = done.ok_or("no timeout")?.outcome;
    println!("ping {id}: {outcome:?} after {:?}", sent_at.elapsed());
    assert!(matches!(outcome, Outcome::TimedOut));
    emulator.set_faults(Faults::none());

    // Keep-alive: serve the connection for a second; the emulator pings every 200 ms.
    let one_second = Instant::now() + Duration::from_secs(1);
    driver.serve_until(None, one_second).await?;
    let (pings, pending) = (driver.pings, driver.client.pending_len());
    println!("answered {pings} pings; {pending} requests pending");

    driver.ws.close(None).await?;
    driver.client.handle_close(Instant::now());
    emulator.stop();
    println!("closed");
    Ok(())
}
