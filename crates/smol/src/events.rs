//! A buffer of deliveries as a `futures` stream, and an async handler run over such a stream on a
//! task of its own: what connections and hubs both offer over their buffers.

use std::future::Future;
use std::pin::Pin;

use binance_wsapi_blocking::StreamBuffer;
use futures_lite::Stream;

use crate::notice::Delivery;

/// A stream of everything a buffer receives (see [`crate::Connection::events`]).
pub type Events = Pin<Box<dyn Stream<Item = Delivery> + Send>>;

/// `buffer` as a stream; it ends when the buffer is closed and empty.
pub(crate) fn stream_of(buffer: StreamBuffer<Delivery>) -> Events {
    Box::pin(futures_lite::stream::unfold(buffer, |buffer| async move {
        let item = buffer.next().await?;
        Some((item, buffer))
    }))
}

/// Runs `handler` on every item of `events`, one at a time, on a new task that ends with the
/// stream.
pub(crate) fn spawn_handler<F, Fut>(mut events: Events, mut handler: F) -> smol::Task<()>
where
    F: FnMut(Delivery) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    smol::spawn(async move {
        while let Some(item) = futures_lite::StreamExt::next(&mut events).await {
            handler(item).await;
        }
    })
}
