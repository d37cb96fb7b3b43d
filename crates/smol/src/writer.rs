//! Writing one socket: frames move from the link's core into the socket in `send` order, from
//! whichever task gets there first (the sender itself, a reader, or the driver).

use std::collections::VecDeque;
use std::future::poll_fn;
use std::pin::Pin;
use std::sync::Mutex;

use async_tungstenite::tungstenite::Message;
use futures_util::stream::SplitSink;
use futures_util::Sink;

use crate::socket::Socket;
use crate::state::{lock, State};

/// The write half of one socket, with the frames taken from the core but not yet in the socket.
pub(crate) struct Writer {
    generation: u64,
    inner: smol::lock::Mutex<Half>,
}

struct Half {
    sink: SplitSink<Socket, Message>,
    queue: VecDeque<Message>,
    unflushed: bool,
    closed: bool,
}

impl Writer {
    pub(crate) fn new(generation: u64, sink: SplitSink<Socket, Message>) -> Self {
        Self {
            generation,
            inner: smol::lock::Mutex::new(Half {
                sink,
                queue: VecDeque::new(),
                unflushed: false,
                closed: false,
            }),
        }
    }

    /// The link this writer belongs to.
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }

    /// Moves every frame of the link's core into the socket and flushes it.
    ///
    /// One pass is enough: whoever queues a frame in a core calls this afterwards (the sender,
    /// the reader for frames its routing produced, the driver on every wake-up), so a frame
    /// queued while another task holds this writer is written by its own producer next.
    ///
    /// Cancel safety: a frame leaves the core only into this writer's queue, and leaves the queue
    /// only into the socket, so a dropped call loses nothing; the next call (the driver makes one
    /// on every wake-up) carries on.
    pub(crate) async fn pump(&self, state: &Mutex<State>) -> Result<(), String> {
        let mut guard = self.inner.lock().await;
        let half = &mut *guard;
        if half.closed {
            return Ok(());
        }
        {
            let mut state = lock(state);
            if let Some(link) = state.link_mut(self.generation) {
                while let Some(t) = link.client.poll_transmit() {
                    half.queue.push_back(Message::text(t.text));
                }
            }
        }
        if half.queue.is_empty() && !half.unflushed {
            return Ok(());
        }
        while !half.queue.is_empty() {
            poll_fn(|cx| Pin::new(&mut half.sink).poll_ready(cx))
                .await
                .map_err(|e| e.to_string())?;
            if let Some(message) = half.queue.pop_front() {
                Pin::new(&mut half.sink)
                    .start_send(message)
                    .map_err(|e| e.to_string())?;
                half.unflushed = true;
            }
        }
        poll_fn(|cx| Pin::new(&mut half.sink).poll_flush(cx))
            .await
            .map_err(|e| e.to_string())?;
        half.unflushed = false;
        Ok(())
    }

    /// Sends a close frame and stops writing.
    pub(crate) async fn close(&self) {
        let mut half = self.inner.lock().await;
        if !half.closed {
            half.closed = true;
            half.queue.clear();
            let _ = poll_fn(|cx| Pin::new(&mut half.sink).poll_close(cx)).await;
        }
    }
}
