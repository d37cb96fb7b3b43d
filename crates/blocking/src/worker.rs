//! Worker-thread mode: one thread owns the connection; any number of threads call through a
//! cloneable handle and read events from a channel.

use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;

use binance_wsapi_proto::{Event, Outcome, Request, Response};

use crate::connection::{Connection, Options};
use crate::error::{CallError, Error};

type Reply = Sender<Result<Response, CallError>>;

enum Command {
    Call(Request, Reply),
    Stop,
}

/// A connection served by its own thread. Calls block the calling thread only.
#[derive(Debug)]
pub struct Worker {
    handle: WorkerHandle,
    events: Receiver<Event>,
    thread: Option<JoinHandle<()>>,
}

/// A cloneable, `Send` handle for calling through a [`Worker`] from any thread.
#[derive(Debug, Clone)]
pub struct WorkerHandle {
    commands: Sender<Command>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Call(r, _) => write!(f, "Call({})", r.method()),
            Self::Stop => f.write_str("Stop"),
        }
    }
}

impl Worker {
    /// Connects and starts the thread that serves the connection.
    ///
    /// # Errors
    /// As [`Connection::connect`].
    pub fn spawn(url: &str, options: Options) -> Result<Self, Error> {
        let conn = Connection::connect(url, options)?;
        let (commands, inbox) = mpsc::channel();
        let (events_tx, events) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("wsapi-worker".into())
            .spawn(move || serve(conn, &inbox, &events_tx))
            .map_err(Error::Io)?;
        Ok(Self {
            handle: WorkerHandle { commands },
            events,
            thread: Some(thread),
        })
    }

    /// A handle for other threads.
    pub fn handle(&self) -> WorkerHandle {
        self.handle.clone()
    }

    /// Sends `request` and waits for its outcome (see [`Connection::call`]).
    ///
    /// # Errors
    /// As [`Connection::call`]; [`Error::Closed`] once the worker has stopped.
    pub fn call(&self, request: Request) -> Result<Response, CallError> {
        self.handle.call(request)
    }

    /// The next event (user data, late replies, notices), waiting at most `timeout`.
    pub fn next_event(&self, timeout: Duration) -> Option<Event> {
        self.events.recv_timeout(timeout).ok()
    }

    /// Stops the thread and closes the connection.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.handle.commands.send(Command::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shutdown();
    }
}

impl WorkerHandle {
    /// Sends `request` through the worker and waits for its outcome.
    ///
    /// # Errors
    /// As [`Connection::call`]; [`Error::Closed`] once the worker has stopped.
    pub fn call(&self, request: Request) -> Result<Response, CallError> {
        let (tx, rx) = mpsc::channel();
        self.commands
            .send(Command::Call(request, tx))
            .map_err(|_| CallError::Connection(Error::Closed))?;
        rx.recv()
            .map_err(|_| CallError::Connection(Error::Closed))?
    }
}

/// The worker thread: takes commands, serves the socket, forwards events. A blocking socket cannot
/// wait for a command and a frame at once, so it reads with a 1 ms timeout between command checks:
/// calls wait at most about a millisecond to be sent.
fn serve(mut conn: Connection, inbox: &Receiver<Command>, events: &Sender<Event>) {
    loop {
        loop {
            match inbox.try_recv() {
                Ok(Command::Stop) | Err(TryRecvError::Disconnected) => {
                    let _ = conn.close();
                    return;
                }
                Ok(Command::Call(request, reply)) => match conn.send(request) {
                    Ok(sent) => conn.on_completion(sent.id, move |done| {
                        let result = match &done.outcome {
                            Outcome::Success(response) => Ok(response.clone()),
                            other => {
                                Err(CallError::from_outcome(other.clone(), done.client_order_id))
                            }
                        };
                        let _ = reply.send(result);
                    }),
                    Err(e) => {
                        let _ = reply.send(Err(CallError::Connection(e)));
                    }
                },
                Err(TryRecvError::Empty) => break,
            }
        }
        match conn.next_event(Duration::from_millis(1)) {
            Ok(Some(event)) => {
                // If nobody reads events any more, keep serving calls anyway.
                let _ = events.send(event);
            }
            Ok(None) => {}
            Err(_) => return,
        }
    }
}
