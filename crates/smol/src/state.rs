//! The state of one connection behind a lock: its sockets' protocol cores, who waits for what,
//! and what a reconnect must redo. Everything here is synchronous; the async parts (reading,
//! writing, timers, connecting) live in `driver.rs` and only take the lock for short moments.

use std::collections::hash_map::RandomState;
use std::collections::VecDeque;
use std::fmt;
use std::hash::BuildHasher as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use async_tungstenite::tungstenite::Utf8Bytes;
use binance_wsapi_blocking::{CallError, Error, StreamBuffer};
use binance_wsapi_proto::{
    Backoff, Client, Completion, Event, Outcome, Request, RequestMap, Resume, SendError, Sent,
};
use smol::channel::Sender;
use smol::Task;

use crate::notice::{ConnectionId, Delivery, Notice, RenewReason};
use crate::options::Options;
use crate::reply::ReplySender;
use crate::status::Status;
use crate::writer::Writer;

/// A handler for one connection's notices: `None` consumes, `Some` passes on.
pub(crate) type Handler = Box<dyn FnMut(Notice) -> Option<Notice> + Send>;
/// A handler for every connection of a hub.
pub(crate) type GlobalHandler = Box<dyn FnMut(ConnectionId, Notice) -> Option<Notice> + Send>;
/// The hub's handler slot, shared by its connections.
pub(crate) type GlobalSlot = Arc<Mutex<Option<GlobalHandler>>>;
/// A callback for one request.
pub(crate) type Callback = Box<dyn FnOnce(&Completion) + Send>;

/// Who gets a request's completion.
pub(crate) enum Waiter {
    /// The connection's handlers and buffer.
    Events,
    /// An awaiting [`crate::Reply`]; if it is gone, the handlers and buffer.
    Reply(ReplySender),
    /// A callback, run where the completion is handled.
    Callback(Callback),
    /// The connection itself.
    Internal(Internal),
}

/// Requests the connection sends on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Internal {
    Logon,
    Subscribe,
    ClockSync,
}

/// What a reader task hands over.
pub(crate) enum Inbound {
    Text(Utf8Bytes),
    Ping,
    Binary,
    Closed(String),
}

/// Why a connect is under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    Reconnect,
    Renew(RenewReason),
}

/// One socket's protocol core and its writer.
pub(crate) struct Link {
    pub(crate) generation: u64,
    pub(crate) client: Client,
    pub(crate) writer: Arc<Writer>,
    pub(crate) reader: Option<Task<()>>,
    /// Set once the link was replaced: it closes when its replies are in or at this instant.
    pub(crate) drain_until: Option<Instant>,
}

/// A request waiting for a rate-limit window to pass; `ack` learns when it was sent.
pub(crate) struct Deferred {
    request: Request,
    waiter: Waiter,
    ack: Sender<Result<Sent, Error>>,
    give_up: Instant,
}

/// How [`State::send`] went.
pub(crate) enum Accepted {
    /// Queued on this link's core.
    Sent(Sent, Arc<Writer>),
    /// Waiting for a rate-limit window; the answer comes on the ack channel.
    Deferred,
}

pub(crate) struct State {
    pub(crate) id: ConnectionId,
    pub(crate) options: Options,
    pub(crate) current: Option<Link>,
    pub(crate) draining: Vec<Link>,
    next_generation: u64,
    /// Who waits for which reply (a ring for the connection's own consecutive ids).
    waiters: RequestMap<Waiter>,
    deferred: VecDeque<Deferred>,
    handler: Option<Handler>,
    global: Option<GlobalSlot>,
    buffer: StreamBuffer<Delivery>,
    own_buffer: bool,
    /// A connect the driver must start (or has under way).
    pub(crate) want_connect: Option<Purpose>,
    /// What a new socket must redo.
    resume: Resume,
    next_clock_sync: Option<Instant>,
    clock_sync_pending: bool,
    offset_us: Option<i64>,
    next_number: i64,
    reconnects: u32,
    renewals: u32,
    protocol_errors: u64,
    /// Close asked (by `close` or the last handle going away).
    pub(crate) closing: bool,
    pub(crate) finished: bool,
    /// Links and tasks to close or drop outside the lock.
    pub(crate) graveyard: Vec<Link>,
    /// A task awaiting a reply was woken since the reader last looked.
    pub(crate) woke_waiter: bool,
    /// What the driver sleeps towards, so that others wake it only for something earlier.
    pub(crate) driver_plan: DriverPlan,
    /// The back-off (429 or 418) a lost socket was under. The next socket honours it, and
    /// after a ban the reconnect waits for [`Backoff::reconnect_not_before`]: connecting during
    /// a ban is refused, and knocking then is what a client must not do.
    pub(crate) lost_backoff: Option<Backoff>,
}

/// When the driver task next wakes up by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DriverPlan {
    /// It has not slept yet: it looks at everything before it does.
    Starting,
    /// At this instant.
    Until(Instant),
    /// Only when woken.
    NoDeadline,
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("id", &self.id)
            .field("connected", &self.current.is_some())
            .field("draining", &self.draining.len())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

pub(crate) fn random_seed() -> u64 {
    RandomState::new().hash_one(SystemTime::now())
}

/// Locks a state mutex, ignoring poisoning (a panicking handler must not wedge the connection).
pub(crate) fn lock(state: &Mutex<State>) -> std::sync::MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl State {
    pub(crate) fn new(
        id: ConnectionId,
        options: Options,
        buffer: StreamBuffer<Delivery>,
        own_buffer: bool,
        global: Option<GlobalSlot>,
    ) -> Self {
        Self {
            id,
            options,
            current: None,
            draining: Vec::new(),
            next_generation: 0,
            waiters: RequestMap::new(),
            deferred: VecDeque::new(),
            handler: None,
            global,
            buffer,
            own_buffer,
            want_connect: None,
            resume: Resume::default(),
            next_clock_sync: None,
            clock_sync_pending: false,
            offset_us: None,
            next_number: 1,
            reconnects: 0,
            renewals: 0,
            protocol_errors: 0,
            closing: false,
            finished: false,
            graveyard: Vec::new(),
            woke_waiter: false,
            driver_plan: DriverPlan::Starting,
            lost_backoff: None,
        }
    }

    /// A new link's generation number.
    pub(crate) fn next_generation(&mut self) -> u64 {
        self.next_generation += 1;
        self.next_generation
    }

    /// Makes a new socket's link current, with a fresh core that keeps the clock offset and the
    /// request numbering of the previous one; the replaced link (if any) drains. Redoes the
    /// log-on and subscription, and samples the clock.
    pub(crate) fn attach(
        &mut self,
        generation: u64,
        writer: Arc<Writer>,
        purpose: Option<(Purpose, u32)>,
    ) -> Result<(), Error> {
        let now = Instant::now();
        let unix = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let seed = self.options.seed.map_or_else(random_seed, |s| {
            s.wrapping_add(u64::from(self.reconnects + self.renewals + 1))
        });
        let mut client = Client::new(self.options.config.clone(), now, unix, seed)?;
        client.set_credentials(self.options.credentials.clone());
        client.continue_numbering_from(self.next_number);
        if let Some(offset) = self.offset_us {
            client.set_server_time_offset_us(offset);
        }
        // The server's windows are per IP and account: a back-off outlives the socket.
        let inherited = self.current.as_ref().and_then(|l| l.client.backoff(now));
        let lost = self.lost_backoff.take().filter(|b| b.until > now);
        for backoff in inherited.into_iter().chain(lost) {
            client.honour_backoff(backoff);
        }
        if let Some(mut old) = self.current.take() {
            let drain = self
                .options
                .drain_timeout
                .unwrap_or(self.options.config.request_timeout);
            old.drain_until = Some(now + drain);
            self.draining.push(old);
        }
        self.current = Some(Link {
            generation,
            client,
            writer,
            reader: None,
            drain_until: None,
        });
        if let Some((purpose, attempts)) = purpose {
            let user_data_gap = self.resume.subscription().is_some();
            let notice = match purpose {
                Purpose::Reconnect => {
                    self.reconnects += 1;
                    Notice::Reconnected {
                        attempts,
                        user_data_gap,
                    }
                }
                Purpose::Renew(reason) => {
                    self.renewals += 1;
                    Notice::Renewed {
                        reason,
                        user_data_gap,
                    }
                }
            };
            self.deliver(notice);
        }
        let logon = self.resume.logged_on()
            || (self.options.auto_logon && self.options.credentials.is_some());
        if logon {
            self.send_internal(Request::new("session.logon"), Internal::Logon);
        } else if let Some(method) = self.resume.subscription() {
            self.send_internal(Request::new(method), Internal::Subscribe);
        }
        if self.options.clock_sync_every.is_some() {
            self.next_clock_sync = Some(now);
        }
        self.sync_clock_if_due(now);
        Ok(())
    }

    pub(crate) fn link_mut(&mut self, generation: u64) -> Option<&mut Link> {
        self.current
            .iter_mut()
            .chain(self.draining.iter_mut())
            .find(|l| l.generation == generation)
    }

    /// The writers of every link.
    pub(crate) fn all_writers(&self) -> Vec<Arc<Writer>> {
        self.current
            .iter()
            .chain(&self.draining)
            .map(|l| Arc::clone(&l.writer))
            .collect()
    }

    /// The writers of every link with frames waiting.
    pub(crate) fn writers_with_frames(&self) -> Vec<Arc<Writer>> {
        self.current
            .iter()
            .chain(&self.draining)
            .filter(|l| l.client.has_transmits())
            .map(|l| Arc::clone(&l.writer))
            .collect()
    }

    /// The earliest instant something must happen.
    pub(crate) fn next_deadline(&self) -> Option<Instant> {
        self.next_deadline_at(Instant::now())
    }

    /// [`Self::next_deadline`], with the time already read. Runs after every send and received
    /// frame, so it is a plain loop over the (one or two) links.
    pub(crate) fn next_deadline_at(&self, now: Instant) -> Option<Instant> {
        let mut earliest = self.next_clock_sync.filter(|_| self.current.is_some());
        let mut consider = |at: Option<Instant>| {
            if let Some(at) = at {
                earliest = Some(earliest.map_or(at, |e| e.min(at)));
            }
        };
        if let Some(waiting) = self.deferred.front() {
            let window = self
                .current
                .as_ref()
                .and_then(|l| l.client.backoff(now).map(|b| b.until))
                .unwrap_or(now + Duration::from_millis(10));
            consider(Some(waiting.give_up.min(window)));
        }
        for link in self.current.iter().chain(&self.draining) {
            consider(link.client.poll_timeout().map(|t| t.at));
            consider(link.drain_until);
        }
        earliest
    }

    pub(crate) fn status(&self) -> Status {
        let current = self.current.as_ref();
        Status {
            connected: current.is_some(),
            reconnects: self.reconnects,
            renewals: self.renewals,
            pending: self
                .current
                .iter()
                .chain(&self.draining)
                .map(|l| l.client.pending_len())
                .sum(),
            draining: self.draining.len(),
            rate_limits: current
                .map(|l| l.client.rate_limits().to_vec())
                .unwrap_or_default(),
            server_time_offset_us: self.offset_us,
            session: current.map(|l| l.client.session()),
            subscriptions: current
                .map(|l| l.client.subscriptions().to_vec())
                .unwrap_or_default(),
            protocol_errors: self.protocol_errors,
            waiting_for_rate_limits: self.deferred.len(),
        }
    }

    pub(crate) fn set_handler(&mut self, handler: Option<Handler>) {
        self.handler = handler;
    }

    /// Queues `request` on the current link's core.
    pub(crate) fn send(
        &mut self,
        request: Request,
        waiter: Waiter,
        ack: Option<&Sender<Result<Sent, Error>>>,
        now: Instant,
    ) -> Result<Accepted, Error> {
        if self.finished || self.closing {
            return Err(Error::Closed);
        }
        let Some(link) = self.current.as_mut() else {
            return Err(Error::Reconnecting);
        };
        let patience = self.options.wait_for_rate_limits.zip(ack);
        let Some((patience, ack)) = patience else {
            let sent = link.client.send(request, now)?;
            return Ok(self.accepted(sent, waiter));
        };
        let defer = |state: &mut Self, request, waiter| {
            state.deferred.push_back(Deferred {
                request,
                waiter,
                ack: ack.clone(),
                give_up: now + patience,
            });
            Ok(Accepted::Deferred)
        };
        if !self.deferred.is_empty() {
            // Keep the order: wait behind the requests already waiting.
            return defer(self, request, waiter);
        }
        // Asked first, so the request is kept (not copied) when it must wait.
        match link.client.check_limits(&request, now) {
            Err(
                SendError::WouldExceedLimit { until, .. } | SendError::RateLimited { until, .. },
            ) if until <= now + patience => defer(self, request, waiter),
            _ => {
                let sent = link.client.send(request, now)?;
                Ok(self.accepted(sent, waiter))
            }
        }
    }

    fn accepted(&mut self, sent: Sent, waiter: Waiter) -> Accepted {
        self.note_sent(sent, waiter);
        let link = self.current.as_ref().expect("sent on the current link");
        Accepted::Sent(sent, Arc::clone(&link.writer))
    }

    /// Books a request the current link's core took: the numbering to continue from, and who
    /// gets its completion.
    fn note_sent(&mut self, sent: Sent, waiter: Waiter) {
        if let Some(link) = self.current.as_ref() {
            self.next_number = link.client.next_request_number();
        }
        if !matches!(waiter, Waiter::Events) {
            self.waiters.insert(sent.id, waiter);
        }
    }

    /// Sends requests that waited out a rate limit, in order, until one must wait again.
    fn retry_deferred(&mut self, now: Instant) {
        while let Some(next) = self.deferred.pop_front() {
            let Some(link) = self.current.as_mut() else {
                let _ = next.ack.try_send(Err(Error::Reconnecting));
                continue;
            };
            match link.client.check_limits(&next.request, now) {
                Err(
                    e @ (SendError::WouldExceedLimit { until, .. }
                    | SendError::RateLimited { until, .. }),
                ) => {
                    if until > next.give_up {
                        let _ = next.ack.try_send(Err(Error::Send(e)));
                        continue;
                    }
                    self.deferred.push_front(next);
                    return;
                }
                _ => match link.client.send(next.request, now) {
                    Ok(sent) => {
                        self.accepted(sent, next.waiter);
                        let _ = next.ack.try_send(Ok(sent));
                    }
                    Err(e) => {
                        let _ = next.ack.try_send(Err(Error::Send(e)));
                    }
                },
            }
        }
    }

    fn send_internal(&mut self, request: Request, kind: Internal) {
        let Some(link) = self.current.as_mut() else {
            return;
        };
        match link.client.send(request, Instant::now()) {
            Ok(sent) => {
                self.note_sent(sent, Waiter::Internal(kind));
                if kind == Internal::ClockSync {
                    self.clock_sync_pending = true;
                }
            }
            Err(e) => self.internal_failed(kind, CallError::Connection(Error::Send(e))),
        }
    }

    fn internal_failed(&mut self, kind: Internal, error: CallError) {
        match kind {
            Internal::Logon => {
                self.deliver(Notice::Relogon(Err(error)));
                if let Some(method) = self.resume.subscription() {
                    self.send_internal(Request::new(method), Internal::Subscribe);
                }
            }
            Internal::Subscribe => self.deliver(Notice::Resubscribed(Err(error))),
            Internal::ClockSync => self.clock_sync_pending = false,
        }
    }

    fn internal_done(&mut self, kind: Internal, done: Completion) {
        if let Outcome::Success(_) = done.outcome {
            match kind {
                Internal::Logon => {
                    self.deliver(Notice::Relogon(Ok(())));
                    if let Some(method) = self.resume.subscription() {
                        self.send_internal(Request::new(method), Internal::Subscribe);
                    }
                }
                Internal::Subscribe => self.deliver(Notice::Resubscribed(Ok(()))),
                Internal::ClockSync => self.clock_sync_pending = false,
            }
        } else {
            let error = CallError::from_outcome(done.outcome, done.client_order_id);
            self.internal_failed(kind, error);
        }
    }

    fn sync_clock_if_due(&mut self, now: Instant) {
        let due = self.next_clock_sync.is_some_and(|at| at <= now);
        if !due || self.clock_sync_pending || self.current.is_none() {
            return;
        }
        self.next_clock_sync = self.options.clock_sync_every.map(|every| now + every);
        self.send_internal(Request::new("time"), Internal::ClockSync);
    }

    /// What a reader task received on the link `generation`.
    pub(crate) fn on_inbound(&mut self, generation: u64, inbound: Inbound, now: Instant) {
        let Some(link) = self.link_mut(generation) else {
            return; // a link already gone
        };
        match inbound {
            Inbound::Text(text) => {
                if link.client.handle_text(text.as_str(), now).is_err() {
                    self.protocol_errors += 1;
                }
            }
            Inbound::Ping => link.client.handle_ping(now),
            Inbound::Binary => self.protocol_errors += 1,
            Inbound::Closed(reason) => self.kill(generation, reason),
        }
        self.collect();
    }

    /// Fires deadlines, sends what waited for a rate limit, samples the clock, closes drained
    /// links.
    pub(crate) fn on_timer(&mut self) {
        let now = Instant::now();
        for link in self.current.iter_mut().chain(self.draining.iter_mut()) {
            link.client.handle_timeout(now);
        }
        self.collect();
        self.retry_deferred(now);
        self.sync_clock_if_due(now);
        let mut i = 0;
        while i < self.draining.len() {
            let link = &self.draining[i];
            if link.client.pending_len() == 0 {
                let link = self.draining.swap_remove(i);
                self.graveyard.push(link);
            } else if link.drain_until.is_some_and(|at| at <= now) {
                let generation = link.generation;
                self.kill(generation, "drain time over".to_owned());
            } else {
                i += 1;
            }
        }
        self.collect();
    }

    /// Routes every event of every link.
    pub(crate) fn collect(&mut self) {
        loop {
            let mut got = None;
            for link in self.current.iter_mut().chain(self.draining.iter_mut()) {
                if let Some(event) = link.client.poll_event() {
                    got = Some((link.generation, event));
                    break;
                }
            }
            let Some((generation, event)) = got else {
                return;
            };
            let is_current = self.current.as_ref().map(|l| l.generation) == Some(generation);
            if let Some(link) = self.current.as_ref().filter(|_| is_current) {
                if link.client.is_clock_synced() {
                    self.offset_us = Some(link.client.server_time_offset_us());
                }
            }
            self.on_event(generation, is_current, event);
        }
    }

    fn on_event(&mut self, generation: u64, is_current: bool, event: Event) {
        match event {
            Event::Completed(done) => self.on_completion(done),
            Event::Idle { silent_for } => {
                self.deliver(Notice::Event(Event::Idle { silent_for }));
                self.kill(generation, format!("nothing heard for {silent_for:?}"));
            }
            Event::ServerShutdown { event_time_ms } => {
                self.deliver(Notice::Event(Event::ServerShutdown { event_time_ms }));
                if is_current {
                    self.request_connect(Purpose::Renew(RenewReason::ServerShutdown));
                }
            }
            Event::RenewDue { age } => {
                self.deliver(Notice::Event(Event::RenewDue { age }));
                if is_current {
                    self.request_connect(Purpose::Renew(RenewReason::Age));
                }
            }
            other => self.deliver(Notice::Event(other)),
        }
    }

    fn on_completion(&mut self, done: Completion) {
        match &done.outcome {
            Outcome::Success(_) => {
                let left = self
                    .current
                    .as_ref()
                    .map_or(0, |l| l.client.subscriptions().len());
                self.resume.note_success(&done.method, left);
            }
            Outcome::Error(e) if e.code == -1021 => {
                // Timestamp outside recvWindow: the clock offset is stale; sample it now.
                self.next_clock_sync = Some(Instant::now());
            }
            _ => {}
        }
        match self.waiters.remove(&done.id) {
            Some(Waiter::Reply(tx)) => match tx.send(done) {
                Ok(woke) => self.woke_waiter |= woke,
                // The awaiting side was dropped: the completion is not lost.
                Err(done) => self.deliver(Notice::Event(Event::Completed(*done))),
            },
            Some(Waiter::Callback(callback)) => callback(&done),
            Some(Waiter::Internal(kind)) => self.internal_done(kind, done),
            Some(Waiter::Events) | None => self.deliver(Notice::Event(Event::Completed(done))),
        }
    }

    /// Hands a notice to the connection's handler, then the hub's, then the buffer.
    pub(crate) fn deliver(&mut self, notice: Notice) {
        let mut notice = notice;
        if let Some(handler) = self.handler.as_mut() {
            match handler(notice) {
                Some(n) => notice = n,
                None => return,
            }
        }
        if let Some(slot) = &self.global {
            let mut slot = slot.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(handler) = slot.as_mut() {
                match handler(self.id, notice) {
                    Some(n) => notice = n,
                    None => return,
                }
            }
        }
        self.buffer.push(Delivery::new(self.id, notice));
    }

    /// Ends a link: its pending requests end as the core decides; a lost current link is
    /// replaced (or the connection ends).
    pub(crate) fn kill(&mut self, generation: u64, reason: String) {
        let now = Instant::now();
        let link = if self.current.as_ref().map(|l| l.generation) == Some(generation) {
            self.current.take()
        } else {
            let at = self
                .draining
                .iter()
                .position(|l| l.generation == generation);
            at.map(|i| self.draining.swap_remove(i))
        };
        let Some(mut link) = link else {
            return;
        };
        let was_current = link.drain_until.is_none();
        if let Some(backoff) = link.client.backoff(now) {
            self.lost_backoff = Some(backoff);
        }
        link.client.handle_close(now);
        while let Some(event) = link.client.poll_event() {
            self.on_event(generation, false, event);
        }
        self.graveyard.push(link);
        if !was_current {
            return;
        }
        if let Some(mut previous) = self.draining.pop() {
            // A renewal was half done: the replaced link is still alive; use it again.
            previous.drain_until = None;
            self.current = Some(previous);
            return;
        }
        let will_reconnect = self.options.reconnect && !self.closing && !self.finished;
        self.deliver(Notice::Disconnected {
            reason,
            will_reconnect,
        });
        if will_reconnect {
            self.want_connect = Some(Purpose::Reconnect);
        } else {
            self.closing = true;
        }
    }

    /// Asks the driver for a new socket (a reconnect wins over a renewal).
    pub(crate) fn request_connect(&mut self, purpose: Purpose) {
        if self.finished || self.closing {
            return;
        }
        match self.want_connect {
            Some(Purpose::Reconnect) => {}
            _ => self.want_connect = Some(purpose),
        }
    }

    /// A connect failed for good.
    pub(crate) fn connect_failed(&mut self, purpose: Purpose, error: Error) {
        if self.current.is_some() && purpose != Purpose::Reconnect {
            self.deliver(Notice::RenewFailed(error));
        } else {
            self.deliver(Notice::GaveUp(error));
            self.closing = true;
        }
    }

    /// Ends every link (pending requests end: lost, or unknown for orders), refuses what waits
    /// and delivers the last notice. The links go to the graveyard to be closed.
    pub(crate) fn finish(&mut self) {
        if self.finished {
            return;
        }
        self.closing = true;
        let now = Instant::now();
        let links: Vec<Link> = self
            .current
            .take()
            .into_iter()
            .chain(self.draining.drain(..))
            .collect();
        for mut link in links {
            link.client.handle_close(now);
            let generation = link.generation;
            while let Some(event) = link.client.poll_event() {
                self.on_event(generation, false, event);
            }
            self.graveyard.push(link);
        }
        self.finished = true;
        self.want_connect = None;
        for deferred in self.deferred.drain(..) {
            let _ = deferred.ack.try_send(Err(Error::Closed));
        }
        self.deliver(Notice::Closed);
        if self.own_buffer {
            self.buffer.close();
        }
    }
}
