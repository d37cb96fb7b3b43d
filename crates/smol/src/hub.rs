//! Many connections at once: addressed by id or label, with one handler and optionally one
//! buffer for all of them.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use binance_wsapi_blocking::{Error, StreamBuffer, WhenFull};

use crate::connection::Connection;
use crate::events::{self, Events};
use crate::notice::{ConnectionId, Delivery, Notice};
use crate::options::{BufferChoice, Options};
use crate::state::GlobalSlot;

/// A set of connections with a global handler and, if asked, a global buffer. Clones share it.
#[derive(Clone, Default)]
pub struct Hub {
    connections: Arc<Mutex<Vec<Connection>>>,
    handler: GlobalSlot,
    buffer: Option<StreamBuffer<Delivery>>,
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("connections", &self.connections().len())
            .field("global_buffer", &self.buffer.is_some())
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// A hub whose connections keep their own buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// A hub whose connections all fill one buffer (items name their connection).
    pub fn with_global_buffer(capacity: usize, when_full: WhenFull) -> Self {
        Self {
            buffer: Some(StreamBuffer::new(capacity, when_full)),
            ..Self::default()
        }
    }

    /// The global buffer, if the hub has one.
    pub fn buffer(&self) -> Option<&StreamBuffer<Delivery>> {
        self.buffer.as_ref()
    }

    /// The global buffer as a stream (`None` without a global buffer). It does not end by itself.
    pub fn events(&self) -> Option<Events> {
        Some(events::stream_of(self.buffer.clone()?))
    }

    /// Runs an async `handler` on every item of the global buffer, one at a time, on a task of
    /// its own (`None` without a global buffer). Drop the task to stop it.
    pub fn spawn_handler<F, Fut>(&self, handler: F) -> Option<smol::Task<()>>
    where
        F: FnMut(Delivery) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        Some(events::spawn_handler(self.events()?, handler))
    }

    /// Connects and adds the connection (with the global buffer, if any, replacing the
    /// options' buffer choice).
    ///
    /// Cancel safety: as [`Connection::connect`]; a connection that was opened is also added.
    ///
    /// # Errors
    /// As [`Connection::connect`].
    pub async fn connect(&self, url: &str, mut options: Options) -> Result<Connection, Error> {
        if let Some(buffer) = &self.buffer {
            options.buffer = BufferChoice::Shared(buffer.clone());
        }
        let connection =
            Connection::connect_in(url, options, Some(Arc::clone(&self.handler))).await?;
        self.lock().push(connection.clone());
        Ok(connection)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Connection>> {
        self.connections
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The connection with this id.
    pub fn get(&self, id: ConnectionId) -> Option<Connection> {
        self.lock().iter().find(|c| c.id() == id).cloned()
    }

    /// The first connection with this label.
    pub fn by_label(&self, label: &str) -> Option<Connection> {
        self.lock()
            .iter()
            .find(|c| c.label() == Some(label))
            .cloned()
    }

    /// Every connection, oldest first.
    pub fn connections(&self) -> Vec<Connection> {
        self.lock().clone()
    }

    /// Sets the handler for every connection's notices (after each connection's own handler,
    /// before the buffers), run on the connection's task: `None` consumes, `Some` passes on.
    pub fn set_handler(
        &self,
        handler: impl FnMut(ConnectionId, Notice) -> Option<Notice> + Send + 'static,
    ) {
        *self.handler.lock().unwrap_or_else(PoisonError::into_inner) = Some(Box::new(handler));
    }

    /// Removes the global handler.
    pub fn clear_handler(&self) {
        *self.handler.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// Closes a connection and forgets it; `false` if the id is unknown.
    ///
    /// Cancel safety: the connection is forgotten and its close goes ahead when dropped.
    pub async fn remove(&self, id: ConnectionId) -> bool {
        let found = {
            let mut all = self.lock();
            let at = all.iter().position(|c| c.id() == id);
            at.map(|i| all.remove(i))
        };
        match found {
            Some(connection) => {
                connection.close().await;
                true
            }
            None => false,
        }
    }

    /// Closes every connection.
    ///
    /// Cancel safety: every connection is forgotten at once; the closes not yet awaited go ahead
    /// when their last handle is dropped.
    pub async fn close_all(&self) {
        let all = std::mem::take(&mut *self.lock());
        for connection in all {
            connection.close().await;
        }
    }
}
