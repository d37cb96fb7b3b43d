//! The handle users hold: cheap to clone, usable from any task or thread.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use binance_wsapi_blocking::{CallError, Error, Reconciliation, StreamBuffer};
use binance_wsapi_proto::{
    ClientOrderId, Completion, OrderInfo, OrderRef, QueryOrder, Request, Response, Sent,
};
use serde::de::DeserializeOwned;

use crate::driver::{self, Shared};
use crate::events::{self, Events};
use crate::notice::RenewReason;
use crate::notice::{ConnectionId, Delivery, Notice};
use crate::options::{BufferChoice, Options};
use crate::reply::{reply_slot, Reply};
use crate::socket;
use crate::state::{lock, Accepted, GlobalSlot, Purpose, State, Waiter};
use crate::status::Status;

/// A connection to the Binance WS API (or the emulator), driven by tasks of its own.
///
/// Clones share the connection. A request is framed, signed and written by the task that sends
/// it; a reader task per socket handles what arrives; a driver task keeps time, reconnects and
/// renews. Every notice goes to, in order: the request's waiter or callback, the connection's
/// handler, the hub's handler, and the buffer (also readable as a stream). The connection closes
/// when [`Connection::close`] is called or the last handle is dropped.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
}

struct Inner {
    id: ConnectionId,
    label: Option<String>,
    url: String,
    shared: Arc<Shared>,
    buffer: StreamBuffer<Delivery>,
    waits_for_rate_limits: bool,
}

impl Drop for Inner {
    /// The last handle is gone: close the connection (the tasks hold no handle).
    fn drop(&mut self) {
        lock(&self.shared.state).closing = true;
        self.shared.wake();
    }
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("id", &self.inner.id)
            .field("label", &self.inner.label)
            .field("url", &self.inner.url)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Connects to `url` (`ws://` or `wss://`) and starts the connection's tasks on smol's global
    /// executor. The first connect is not retried: a wrong URL or key fails here.
    ///
    /// Cancel safety: dropping the future before it resolves drops the half-open socket; nothing
    /// was started.
    ///
    /// # Errors
    /// [`Error::Url`], [`Error::Connect`], [`Error::Config`].
    pub async fn connect(url: &str, options: Options) -> Result<Self, Error> {
        Self::connect_in(url, options, None).await
    }

    pub(crate) async fn connect_in(
        url: &str,
        options: Options,
        global: Option<GlobalSlot>,
    ) -> Result<Self, Error> {
        options.config.validate()?;
        let socket = socket::open(url, &options).await?;
        let (buffer, own_buffer) = match &options.buffer {
            BufferChoice::Own {
                capacity,
                when_full,
            } => (StreamBuffer::new(*capacity, *when_full), true),
            BufferChoice::Shared(buffer) => (buffer.clone(), false),
        };
        let id = ConnectionId::next();
        let label = options.label.clone();
        let waits_for_rate_limits = options.wait_for_rate_limits.is_some();
        let state = State::new(id, options, buffer.clone(), own_buffer, global);
        let shared = Arc::new(Shared::new(state));
        driver::start(&shared, socket, url.to_owned())?;
        Ok(Self {
            inner: Arc::new(Inner {
                id,
                label,
                url: url.to_owned(),
                shared,
                buffer,
                waits_for_rate_limits,
            }),
        })
    }

    /// The connection's id.
    pub fn id(&self) -> ConnectionId {
        self.inner.id
    }

    /// The label given in [`Options::label`].
    pub fn label(&self) -> Option<&str> {
        self.inner.label.as_deref()
    }

    /// The URL connected to.
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        lock(&self.inner.shared.state)
    }

    async fn submit(&self, request: Request, waiter: Waiter) -> Result<Sent, Error> {
        let shared = &self.inner.shared;
        // A channel for the answer is needed only when a request may wait for a rate limit.
        let waits = self.inner.waits_for_rate_limits;
        let (ack, acked) = waits.then(|| smol::channel::bounded(1)).unzip();
        let (accepted, wake) = {
            let now = Instant::now();
            let mut state = lock(&shared.state);
            let accepted = state.send(request, waiter, ack.as_ref(), now)?;
            (accepted, shared.driver_needed_at(&state, now))
        };
        if wake {
            shared.wake();
        }
        match accepted {
            Accepted::Sent(sent, writer) => {
                // If this future is dropped mid-write, the driver finishes the write.
                let finish_on_drop = WakeOnDrop(shared);
                shared.write(&writer).await;
                std::mem::forget(finish_on_drop);
                Ok(sent)
            }
            // Waiting for a rate-limit window: the driver sends it and answers here.
            Accepted::Deferred => match acked {
                Some(acked) => acked.recv().await.map_err(|_| Error::Closed)?,
                None => Err(Error::Closed),
            },
        }
    }

    /// Sends `request`; await the returned [`Reply`] for its completion.
    ///
    /// Cancel safety: if this future is dropped before it resolves, the request may still have
    /// been sent; its completion then goes to the handlers and buffer.
    ///
    /// # Errors
    /// [`Error::Send`] when the core refuses it (nothing sent), [`Error::Reconnecting`] while a
    /// lost socket is being replaced, [`Error::Closed`] after the end.
    pub async fn send(&self, request: Request) -> Result<Reply, Error> {
        let (tx, cell) = reply_slot();
        let sent = self.submit(request, Waiter::Reply(tx)).await?;
        Ok(Reply::new(
            sent.id,
            sent.client_order_id,
            cell,
            Arc::clone(&self.inner.shared),
        ))
    }

    /// Sends `request` and leaves its completion to the handlers and buffer (fire and forget,
    /// but never lost).
    ///
    /// Cancel safety: as [`Self::send`].
    ///
    /// # Errors
    /// As [`Self::send`].
    pub async fn post(&self, request: Request) -> Result<Sent, Error> {
        self.submit(request, Waiter::Events).await
    }

    /// Sends `request` and runs `callback` with its completion, on whichever of the connection's
    /// tasks handles it, with its state locked (keep it short; it must not block or call into
    /// this connection).
    ///
    /// Cancel safety: as [`Self::send`]; the callback still runs.
    ///
    /// # Errors
    /// As [`Self::send`].
    pub async fn send_with(
        &self,
        request: Request,
        callback: impl FnOnce(&Completion) + Send + 'static,
    ) -> Result<Sent, Error> {
        self.submit(request, Waiter::Callback(Box::new(callback)))
            .await
    }

    /// Sends `request` and waits for its response (raw text, JSON value or typed through
    /// [`Response`]'s methods).
    ///
    /// Cancel safety: as [`Self::send`]; dropping the future after the request left does not
    /// cancel it.
    ///
    /// # Errors
    /// [`CallError`] for every outcome but success: an API error, an unknown outcome (orders),
    /// a timeout, a lost connection, a refusal before sending.
    pub async fn call(&self, request: Request) -> Result<Response, CallError> {
        self.send(request).await?.response().await
    }

    /// [`Self::call`], with the result decoded into `T`.
    ///
    /// Cancel safety: as [`Self::call`].
    ///
    /// # Errors
    /// As [`Self::call`]; [`CallError::MalformedReply`] when the result does not fit `T`.
    pub async fn call_typed<T: DeserializeOwned>(&self, request: Request) -> Result<T, CallError> {
        let response = self.call(request).await?;
        response
            .decode::<T>()
            .map_err(|e| CallError::MalformedReply(e.to_string()))
    }

    /// Finds out what happened to an order whose outcome is unknown, by asking `order.status`
    /// with its client order id. Never resends anything.
    ///
    /// Cancel safety: dropping it loses nothing; the question may be asked again.
    ///
    /// # Errors
    /// [`CallError`] when the question itself fails (it may be asked again).
    pub async fn reconcile_order(
        &self,
        symbol: &str,
        client_order_id: &ClientOrderId,
    ) -> Result<Reconciliation, CallError> {
        let request = QueryOrder::new(symbol, OrderRef::Client(*client_order_id)).into_request();
        match self.call_typed::<OrderInfo>(request).await {
            Ok(info) => Ok(Reconciliation::Placed(Box::new(info))),
            Err(CallError::Api(e)) if e.code == -2013 => Ok(Reconciliation::NotPlaced),
            Err(e) => Err(e),
        }
    }

    /// Sets a handler for this connection's notices, run on the connection's task before the
    /// hub's handler and the buffer: return `None` to consume a notice, `Some` to pass it on.
    /// It runs with the connection's state locked: keep it short, do not block, and do not call
    /// this connection's methods from inside it (spawn a task for that, or read
    /// [`Self::events`]).
    pub fn set_handler(&self, handler: impl FnMut(Notice) -> Option<Notice> + Send + 'static) {
        self.state().set_handler(Some(Box::new(handler)));
    }

    /// Removes the handler.
    pub fn clear_handler(&self) {
        self.state().set_handler(None);
    }

    /// The buffer the connection fills: drain it at your own pace (FIFO or LIFO), put items back,
    /// watch its length and drop count. Shared with other connections when built with
    /// [`BufferChoice::Shared`].
    pub fn buffer(&self) -> &StreamBuffer<Delivery> {
        &self.inner.buffer
    }

    /// The buffer as a stream; it ends when the connection is closed for good and the buffer
    /// is empty (never, for a shared buffer).
    pub fn events(&self) -> Events {
        events::stream_of(self.inner.buffer.clone())
    }

    /// Runs `handler` on every item of [`Self::events`], one at a time, on a task of its own
    /// (an async handler; it may await). The task ends with the stream.
    pub fn spawn_handler<F, Fut>(&self, handler: F) -> smol::Task<()>
    where
        F: FnMut(Delivery) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        events::spawn_handler(self.events(), handler)
    }

    /// A snapshot of the connection's state.
    pub fn status(&self) -> Status {
        self.state().status()
    }

    /// Drops the socket and reconnects (as after a loss): requests in flight on it end at once.
    pub fn reconnect(&self) {
        let mut state = self.state();
        if let Some(generation) = state.current.as_ref().map(|l| l.generation) {
            state.kill(generation, "reconnect asked by the user".to_owned());
        } else {
            state.request_connect(Purpose::Reconnect);
        }
        drop(state);
        self.inner.shared.wake();
    }

    /// Opens a new socket and moves over, keeping the old one until its replies are in.
    pub fn renew(&self) {
        self.state()
            .request_connect(Purpose::Renew(RenewReason::Asked));
        self.inner.shared.wake();
    }

    /// Whether the connection is closed for good.
    pub fn is_closed(&self) -> bool {
        self.state().finished
    }

    /// Closes the connection for good: pending requests end (lost, or unknown for orders) and a
    /// last [`Notice::Closed`] is delivered. Closing twice is fine.
    ///
    /// Cancel safety: the close goes ahead when the future is dropped; only the wait for it
    /// ends.
    pub async fn close(&self) {
        let shared = &self.inner.shared;
        lock(&shared.state).closing = true;
        shared.wake();
        loop {
            let listener = shared.done.listen();
            if lock(&shared.state).finished {
                return;
            }
            listener.await;
        }
    }
}

/// Wakes the driver when dropped (forgotten on the normal path).
struct WakeOnDrop<'a>(&'a Shared);

impl Drop for WakeOnDrop<'_> {
    fn drop(&mut self) {
        self.0.wake();
    }
}
