//! The tasks behind a connection. Requests are framed and written by the task that sends them;
//! a reader task per socket feeds what arrives into the core and routes the events; the driver
//! task keeps time (deadlines, rate-limit waits, clock samples, drained sockets), opens new
//! sockets (reconnects, renewals) and finishes writes that a dropped future left behind. All of
//! them share the connection's [`State`] behind a lock held only for short, synchronous steps.

use std::sync::{Arc, Mutex};
use std::time::Instant;

use async_tungstenite::tungstenite::Message;
use binance_wsapi_blocking::Error;
use futures_lite::StreamExt as _;
use futures_util::stream::SplitStream;
use smol::channel::{Receiver, Sender};
use smol::{Task, Timer};

use crate::options::Options;
use crate::socket::{self, Socket};
use crate::state::{lock, random_seed, DriverPlan, Inbound, Purpose, State};
use crate::writer::Writer;

/// What the tasks of one connection share.
pub(crate) struct Shared {
    pub(crate) state: Mutex<State>,
    wake_tx: Sender<()>,
    wake_rx: Receiver<()>,
    /// Fires when the connection has finished.
    pub(crate) done: event_listener::Event,
}

impl Shared {
    pub(crate) fn new(state: State) -> Self {
        let (wake_tx, wake_rx) = smol::channel::bounded(1);
        Self {
            state: Mutex::new(state),
            wake_tx,
            wake_rx,
            done: event_listener::Event::new(),
        }
    }

    /// Wakes the driver (at most one wake-up is queued).
    pub(crate) fn wake(&self) {
        let _ = self.wake_tx.try_send(());
    }

    /// Whether the driver must look at `state` now (`now` read by the caller): something for
    /// it to do, or a deadline earlier than the one it sleeps towards.
    pub(crate) fn driver_needed_at(&self, state: &State, now: Instant) -> bool {
        if state.want_connect.is_some()
            || !state.graveyard.is_empty()
            || (state.closing && !state.finished)
            || state.draining.iter().any(|l| l.client.pending_len() == 0)
        {
            return true;
        }
        match state.driver_plan {
            DriverPlan::Starting => false,
            DriverPlan::Until(planned) => {
                state.next_deadline_at(now).is_some_and(|at| at < planned)
            }
            DriverPlan::NoDeadline => state.next_deadline_at(now).is_some(),
        }
    }

    /// Writes the frames of `writer`'s link; a failed write ends the link.
    pub(crate) async fn write(&self, writer: &Writer) {
        if let Err(reason) = writer.pump(&self.state).await {
            let mut state = lock(&self.state);
            state.kill(writer.generation(), format!("write failed: {reason}"));
            state.collect();
            drop(state);
            self.wake();
        }
    }

    /// Writes every link: frames still in a core, and frames a dropped sender left in a
    /// writer's queue or unflushed.
    async fn write_all(&self) {
        let writers = lock(&self.state).all_writers();
        for writer in writers {
            self.write(&writer).await;
        }
    }
}

/// A new socket and the attempts it took, or why none could be opened.
type Connected = Result<(Box<Socket>, u32), Error>;

/// Connects with retries: the first attempt at once (or at `not_before`, just after an IP ban
/// ends), then the waits of `Backoff::waits`.
async fn connect_with_backoff(
    url: String,
    options: Options,
    not_before: Option<Instant>,
) -> Connected {
    if let Some(at) = not_before {
        Timer::at(at).await;
    }
    let backoff = options.backoff;
    let mut waits = backoff.waits(random_seed());
    let mut attempt = 0;
    loop {
        attempt += 1;
        match socket::open(&url, &options).await {
            Ok(socket) => return Ok((Box::new(socket), attempt)),
            Err(e) if attempt >= backoff.attempts.max(1) => return Err(e),
            Err(_) => {
                Timer::after(waits.next().unwrap_or(backoff.max)).await;
            }
        }
    }
}

/// Feeds what a socket receives into the core and routes the events, until the socket ends.
async fn read_loop(shared: Arc<Shared>, generation: u64, mut stream: SplitStream<Socket>) {
    loop {
        let inbound = match stream.next().await {
            Some(Ok(Message::Text(text))) => Inbound::Text(text),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => Inbound::Ping,
            Some(Ok(Message::Binary(_))) => Inbound::Binary,
            Some(Ok(Message::Frame(_))) => continue,
            Some(Ok(Message::Close(frame))) => Inbound::Closed(frame.map_or_else(
                || "closed by the server".to_owned(),
                |f| format!("closed by the server ({}: {})", f.code, f.reason),
            )),
            Some(Err(e)) => Inbound::Closed(e.to_string()),
            None => Inbound::Closed("the socket ended".to_owned()),
        };
        let last = matches!(inbound, Inbound::Closed(_));
        let (writers, wake, woke_waiter) = {
            let now = Instant::now();
            let mut state = lock(&shared.state);
            state.on_inbound(generation, inbound, now);
            let woke_waiter = std::mem::take(&mut state.woke_waiter);
            (
                state.writers_with_frames(),
                shared.driver_needed_at(&state, now),
                woke_waiter,
            )
        };
        if wake {
            shared.wake();
        }
        for writer in writers {
            shared.write(&writer).await;
        }
        if last {
            return;
        }
        // Let a task this frame woke (an awaited reply) run before reading again: the next read
        // is usually the one that finds the socket empty and re-arms it, and a caller that sends
        // its next request first keeps that off the round trip. Frames nobody waited for are
        // read on without yielding.
        if woke_waiter {
            futures_lite::future::yield_now().await;
        }
    }
}

/// Splits `socket`, makes it the current link and starts its reader.
fn attach(
    shared: &Arc<Shared>,
    socket: Socket,
    purpose: Option<(Purpose, u32)>,
) -> Result<(), Error> {
    let (sink, stream) = futures_util::StreamExt::split(socket);
    let mut state = lock(&shared.state);
    let generation = state.next_generation();
    state.attach(generation, Arc::new(Writer::new(generation, sink)), purpose)?;
    let reader = smol::spawn(read_loop(Arc::clone(shared), generation, stream));
    if let Some(link) = state.link_mut(generation) {
        link.reader = Some(reader);
    }
    Ok(())
}

/// Starts a connection on its first socket: its driver and its reader.
pub(crate) fn start(shared: &Arc<Shared>, socket: Socket, url: String) -> Result<(), Error> {
    attach(shared, socket, None)?;
    let options = lock(&shared.state).options.clone();
    smol::spawn(run(Arc::clone(shared), url, options)).detach();
    Ok(())
}

/// What woke the driver.
enum Wake {
    Asked,
    Timer,
    Connected(Connected),
}

/// The driver task: runs until the connection is finished.
async fn run(shared: Arc<Shared>, url: String, options: Options) {
    let mut connecting: Option<(Purpose, Task<Connected>)> = None;
    loop {
        let (deadline, finished, graveyard) = {
            let mut state = lock(&shared.state);
            state.on_timer();
            if state.closing && !state.finished {
                state.finish();
            }
            match (state.want_connect.take(), connecting.as_mut()) {
                (Some(purpose), None) => {
                    let not_before = state.lost_backoff.and_then(|b| b.reconnect_not_before());
                    let task = smol::spawn(connect_with_backoff(
                        url.clone(),
                        options.clone(),
                        not_before,
                    ));
                    connecting = Some((purpose, task));
                }
                (Some(Purpose::Reconnect), Some((current, _))) => *current = Purpose::Reconnect,
                _ => {}
            }
            if state.finished {
                connecting = None;
            }
            let deadline = state.next_deadline();
            state.driver_plan = deadline.map_or(DriverPlan::NoDeadline, DriverPlan::Until);
            (
                deadline,
                state.finished,
                std::mem::take(&mut state.graveyard),
            )
        };
        for link in graveyard {
            link.writer.close().await;
            drop(link.reader);
        }
        shared.write_all().await;
        if finished {
            shared.done.notify(usize::MAX);
            return;
        }
        let asked = async {
            let _ = shared.wake_rx.recv().await;
            Wake::Asked
        };
        let timer = async {
            match deadline {
                Some(at) => Timer::at(at).await,
                None => Timer::never().await,
            };
            Wake::Timer
        };
        let connected = async {
            match connecting.as_mut() {
                Some((_, task)) => Wake::Connected(task.await),
                None => std::future::pending().await,
            }
        };
        let wake =
            futures_lite::future::or(asked, futures_lite::future::or(connected, timer)).await;
        if let Wake::Connected(result) = wake {
            let Some((purpose, _)) = connecting.take() else {
                continue;
            };
            let outcome = result
                .and_then(|(socket, attempts)| attach(&shared, *socket, Some((purpose, attempts))));
            if let Err(e) = outcome {
                lock(&shared.state).connect_failed(purpose, e);
            }
        }
    }
}
