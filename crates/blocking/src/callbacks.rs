//! Callbacks run from the user's own calls into the connection (`next_event`, `call`,
//! `pump_into`): one per request, and one handler for every event of the connection.

use std::collections::HashMap;
use std::fmt;

use binance_wsapi_proto::{Completion, Event, RequestId};

type RequestCallback = Box<dyn FnOnce(&Completion) + Send>;
type Handler = Box<dyn FnMut(Event) -> Option<Event> + Send>;

/// The callbacks of one connection.
#[derive(Default)]
pub(crate) struct Callbacks {
    per_request: HashMap<RequestId, RequestCallback>,
    handler: Option<Handler>,
}

impl fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Callbacks")
            .field("per_request", &self.per_request.len())
            .field("handler", &self.handler.is_some())
            .finish()
    }
}

impl Callbacks {
    pub(crate) fn on_completion(&mut self, id: RequestId, callback: RequestCallback) {
        self.per_request.insert(id, callback);
    }

    pub(crate) fn set_handler(&mut self, handler: Option<Handler>) {
        self.handler = handler;
    }

    /// Runs the callbacks an event has; returns the event if it is still to be queued. The
    /// completion `reserved` (the one `call` waits for) always goes to the queue.
    pub(crate) fn dispatch(&mut self, event: Event, reserved: Option<RequestId>) -> Option<Event> {
        if let Event::Completed(done) = &event {
            if Some(done.id) == reserved {
                return Some(event);
            }
            if let Some(callback) = self.per_request.remove(&done.id) {
                callback(done);
                return None;
            }
        }
        match self.handler.as_mut() {
            Some(handler) => handler(event),
            None => Some(event),
        }
    }
}
