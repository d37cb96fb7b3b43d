//! The one-shot hand-over of a completion to the task awaiting it: a slot with a waker, lighter
//! than a channel, that never loses a completion (one nobody takes goes to the connection's
//! handlers and buffer).

use std::future::poll_fn;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Poll, Waker};

use binance_wsapi_proto::{ClientOrderId, Completion, Event, RequestId};

use crate::driver::Shared;
use crate::notice::Notice;
use crate::state::lock;

pub(crate) enum Slot {
    /// Not there yet; the waker of the task awaiting it.
    Waiting(Option<Waker>),
    /// There, not taken yet.
    Done(Box<Completion>),
    /// Taken by the awaiting task.
    Taken,
    /// The awaiting side went away first.
    Abandoned,
    /// The connection went away without a completion (it does not: every request ends once).
    Closed,
}

pub(crate) type Cell = Arc<Mutex<Slot>>;

fn slot(cell: &Cell) -> std::sync::MutexGuard<'_, Slot> {
    cell.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The connection's side: hands the completion over once.
pub(crate) struct ReplySender(Cell);

impl ReplySender {
    /// Hands `done` over; gives it back if the awaiting side is gone. `Ok(true)` when a task
    /// was waiting for it and has been woken.
    pub(crate) fn send(self, done: Completion) -> Result<bool, Box<Completion>> {
        let waker = {
            let mut s = slot(&self.0);
            match &mut *s {
                Slot::Waiting(waker) => {
                    let waker = waker.take();
                    *s = Slot::Done(Box::new(done));
                    waker
                }
                _ => return Err(Box::new(done)),
            }
        };
        let woke = waker.is_some();
        if let Some(waker) = waker {
            waker.wake();
        }
        Ok(woke)
    }
}

impl Drop for ReplySender {
    fn drop(&mut self) {
        let waker = {
            let mut s = slot(&self.0);
            match &mut *s {
                Slot::Waiting(waker) => {
                    let waker = waker.take();
                    *s = Slot::Closed;
                    waker
                }
                _ => None,
            }
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// The completion of one sent request, to await (see [`crate::Connection::send`]).
///
/// Cancel safety: dropping a `Reply` does not cancel the request (it was sent); its completion,
/// whether it already came or comes later, then goes to the connection's handlers and buffer,
/// so it is never lost.
pub struct Reply {
    /// The request id.
    pub id: RequestId,
    /// The client order id of an order-changing request (generated when none was given).
    pub client_order_id: Option<ClientOrderId>,
    cell: Cell,
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reply")
            .field("id", &self.id)
            .field("client_order_id", &self.client_order_id)
            .finish_non_exhaustive()
    }
}

/// A new slot: the sender for the connection, the parts of the [`Reply`] for the caller.
pub(crate) fn reply_slot() -> (ReplySender, Cell) {
    let cell = Arc::new(Mutex::new(Slot::Waiting(None)));
    (ReplySender(Arc::clone(&cell)), cell)
}

impl Reply {
    pub(crate) fn new(
        id: RequestId,
        client_order_id: Option<ClientOrderId>,
        cell: Cell,
        shared: Arc<Shared>,
    ) -> Self {
        Self {
            id,
            client_order_id,
            cell,
            shared,
        }
    }

    /// Waits for the completion.
    ///
    /// Cancel safety: dropping the future drops the reply; the completion then goes to the
    /// connection's handlers and buffer.
    ///
    /// # Errors
    /// [`binance_wsapi_blocking::Error::Closed`] if the connection ended without one (it does
    /// not: every request ends exactly once).
    pub async fn completion(self) -> Result<Completion, binance_wsapi_blocking::Error> {
        poll_fn(|cx| {
            let mut s = slot(&self.cell);
            match std::mem::replace(&mut *s, Slot::Taken) {
                Slot::Done(done) => Poll::Ready(Ok(*done)),
                Slot::Waiting(_) => {
                    *s = Slot::Waiting(Some(cx.waker().clone()));
                    Poll::Pending
                }
                Slot::Closed | Slot::Taken | Slot::Abandoned => {
                    *s = Slot::Closed;
                    Poll::Ready(Err(binance_wsapi_blocking::Error::Closed))
                }
            }
        })
        .await
    }

    /// Waits for the response.
    ///
    /// Cancel safety: as [`Self::completion`].
    ///
    /// # Errors
    /// [`binance_wsapi_blocking::CallError`] for every outcome but success.
    pub async fn response(
        self,
    ) -> Result<binance_wsapi_proto::Response, binance_wsapi_blocking::CallError> {
        use binance_wsapi_blocking::CallError;
        let done = self
            .completion()
            .await
            .map_err(|_| CallError::ConnectionLost)?;
        match done.outcome {
            binance_wsapi_proto::Outcome::Success(response) => Ok(response),
            other => Err(CallError::from_outcome(other, done.client_order_id)),
        }
    }
}

impl Drop for Reply {
    fn drop(&mut self) {
        let unclaimed = {
            let mut s = slot(&self.cell);
            match std::mem::replace(&mut *s, Slot::Abandoned) {
                Slot::Done(done) => Some(done),
                Slot::Waiting(_) => None,
                other => {
                    *s = other;
                    None
                }
            }
        };
        // Taken by nobody: to the handlers and buffer, like a completion nobody waited for.
        if let Some(done) = unclaimed {
            lock(&self.shared.state).deliver(Notice::Event(Event::Completed(*done)));
        }
    }
}
