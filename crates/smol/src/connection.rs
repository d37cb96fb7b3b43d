//! The handle users hold: cheap to clone, usable from any task or thread.

use std::fmt;
use std::pin::Pin;
use std::sync::Arc;

use binance_wsapi_blocking::{CallError, Error, Reconciliation, StreamBuffer};
use binance_wsapi_proto::{
    ClientOrderId, Completion, OrderInfo, OrderRef, Outcome, QueryOrder, Request, RequestId,
    Response, Sent,
};
use futures_lite::Stream;
use serde::de::DeserializeOwned;
use smol::channel::{Receiver, Sender};

use crate::driver::{Command, Driver, GlobalSlot, Setup, Waiter};
use crate::notice::{ConnectionId, Delivery, Notice};
use crate::options::{BufferChoice, Options};
use crate::socket;
use crate::status::Status;

/// A stream of everything a connection's buffer receives (see [`Connection::events`]).
pub type Events = Pin<Box<dyn Stream<Item = Delivery> + Send>>;

/// A connection to the Binance WS API (or the emulator), driven by a task of its own.
///
/// Clones share the connection. The task answers pings, fires deadlines, reconnects, renews and
/// routes every notice to, in order: the request's waiter or callback, the connection's handler,
/// the hub's handler, and the buffer (also readable as a stream). The connection closes when
/// [`Connection::close`] is called or the last handle is dropped.
#[derive(Clone)]
pub struct Connection {
    inner: Arc<Inner>,
}

struct Inner {
    id: ConnectionId,
    label: Option<String>,
    url: String,
    commands: Sender<Command>,
    buffer: StreamBuffer<Delivery>,
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

/// The completion of one sent request, to await (see [`Connection::send`]).
///
/// Cancel safety: dropping a `Reply` does not cancel the request (it was sent); its completion
/// then goes to the connection's handlers and buffer instead, so it is never lost.
#[derive(Debug)]
pub struct Reply {
    /// The request id.
    pub id: RequestId,
    /// The client order id of an order-changing request (generated when none was given).
    pub client_order_id: Option<ClientOrderId>,
    rx: Receiver<Completion>,
}

impl Reply {
    /// Waits for the completion.
    ///
    /// # Errors
    /// [`Error::Closed`] if the connection task ended without one (it does not: every request
    /// ends exactly once).
    pub async fn completion(self) -> Result<Completion, Error> {
        self.rx.recv().await.map_err(|_| Error::Closed)
    }

    /// Waits for the response.
    ///
    /// # Errors
    /// [`CallError`] for every outcome but success.
    pub async fn response(self) -> Result<Response, CallError> {
        let done = self
            .completion()
            .await
            .map_err(|_| CallError::ConnectionLost)?;
        match done.outcome {
            Outcome::Success(response) => Ok(response),
            other => Err(CallError::from_outcome(other, done.client_order_id)),
        }
    }
}

impl Connection {
    /// Connects to `url` (`ws://` or `wss://`) and starts the connection's task on smol's global
    /// executor. The first connect is not retried: a wrong URL or key fails here.
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
        let (commands_tx, commands_rx) = smol::channel::unbounded();
        let id = ConnectionId::next();
        let label = options.label.clone();
        let driver = Driver::new(Setup {
            id,
            url: url.to_owned(),
            options,
            socket,
            commands: commands_rx,
            buffer: buffer.clone(),
            own_buffer,
            global,
        })?;
        smol::spawn(driver.run()).detach();
        Ok(Self {
            inner: Arc::new(Inner {
                id,
                label,
                url: url.to_owned(),
                commands: commands_tx,
                buffer,
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

    async fn command(&self, command: Command) -> Result<(), Error> {
        self.inner
            .commands
            .send(command)
            .await
            .map_err(|_| Error::Closed)
    }

    async fn submit(&self, request: Request, waiter: Waiter) -> Result<Sent, Error> {
        let (ack, acked) = smol::channel::bounded(1);
        self.command(Command::Send {
            request,
            waiter,
            ack,
        })
        .await?;
        acked.recv().await.map_err(|_| Error::Closed)?
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
        let (tx, rx) = smol::channel::bounded(1);
        let sent = self.submit(request, Waiter::Reply(tx)).await?;
        Ok(Reply {
            id: sent.id,
            client_order_id: sent.client_order_id,
            rx,
        })
    }

    /// Sends `request` and leaves its completion to the handlers and buffer (fire and forget,
    /// but never lost).
    ///
    /// # Errors
    /// As [`Self::send`].
    pub async fn post(&self, request: Request) -> Result<Sent, Error> {
        self.submit(request, Waiter::Events).await
    }

    /// Sends `request` and runs `callback` with its completion, on the connection's task (keep
    /// it short; it must not block).
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
    /// Keep it short; it must not block (spawn a task for slow work, or read [`Self::events`]).
    ///
    /// # Errors
    /// [`Error::Closed`] after the end.
    pub async fn set_handler(
        &self,
        handler: impl FnMut(Notice) -> Option<Notice> + Send + 'static,
    ) -> Result<(), Error> {
        self.command(Command::SetHandler(Some(Box::new(handler))))
            .await
    }

    /// Removes the handler.
    ///
    /// # Errors
    /// [`Error::Closed`] after the end.
    pub async fn clear_handler(&self) -> Result<(), Error> {
        self.command(Command::SetHandler(None)).await
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
        let buffer = self.inner.buffer.clone();
        Box::pin(futures_lite::stream::unfold(buffer, |buffer| async move {
            let item = buffer.next().await?;
            Some((item, buffer))
        }))
    }

    /// Runs `handler` on every item of [`Self::events`], one at a time, on a task of its own
    /// (an async handler; it may await). The task ends with the stream.
    pub fn spawn_handler<F, Fut>(&self, mut handler: F) -> smol::Task<()>
    where
        F: FnMut(Delivery) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let mut events = self.events();
        smol::spawn(async move {
            while let Some(item) = futures_lite::StreamExt::next(&mut events).await {
                handler(item).await;
            }
        })
    }

    /// A snapshot of the connection's state.
    ///
    /// # Errors
    /// [`Error::Closed`] after the end.
    pub async fn status(&self) -> Result<Status, Error> {
        let (tx, rx) = smol::channel::bounded(1);
        self.command(Command::Status(tx)).await?;
        rx.recv().await.map_err(|_| Error::Closed)
    }

    /// Drops the socket and reconnects (as after a loss): requests in flight end at once.
    ///
    /// # Errors
    /// [`Error::Closed`] after the end.
    pub async fn reconnect(&self) -> Result<(), Error> {
        self.command(Command::Reconnect).await
    }

    /// Opens a new socket and moves over, keeping the old one until its replies are in.
    ///
    /// # Errors
    /// [`Error::Closed`] after the end.
    pub async fn renew(&self) -> Result<(), Error> {
        self.command(Command::Renew).await
    }

    /// Closes the connection for good: pending requests end (lost, or unknown for orders) and a
    /// last [`Notice::Closed`] is delivered. Closing twice is fine.
    pub async fn close(&self) {
        let (tx, rx) = smol::channel::bounded(1);
        if self.command(Command::Close(tx)).await.is_ok() {
            let _ = rx.recv().await;
        }
    }
}
