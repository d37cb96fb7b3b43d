//! Every way the async client hands out replies: await one request, a callback per request, a
//! handler per connection, a global handler over several labelled connections, an event stream,
//! and a stream buffer drained by another thread at its own pace.
//!
//! Runs against the bundled emulator: `cargo run --example smol_reply_modes`.

#![allow(clippy::print_stdout)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use binance_wsapi::proto::{Event, Request};
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_smol::{Hub, Notice, Options, WhenFull};
use futures_lite::StreamExt as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start(EmulatorConfig::default())?;
    let url = emulator.url().to_owned();
    smol::block_on(async {
        // Two connections, told apart by label, filling one global buffer.
        let hub = Hub::with_global_buffer(1024, WhenFull::DropOldest);
        let mut options = Options::default();
        options.clock_sync_every = None;
        options.label = Some("market".into());
        let market = hub.connect(&url, options.clone()).await?;
        options.label = Some("account".into());
        let account = hub.connect(&url, options).await?;

        // 1. Await one request.
        let time = market.call(Request::new("time")).await?;
        println!("await:      time = {}", time.result_raw());

        // 2. A callback for one request.
        let (tx, rx) = smol::channel::bounded(1);
        market
            .send_with(Request::new("ping"), move |done| {
                let _ = tx.try_send(format!(
                    "{} ended: {}",
                    done.method,
                    done.response().is_some()
                ));
            })
            .await?;
        println!("callback:   {}", rx.recv().await?);

        // 3. A handler for one connection, 4. a global handler for all of them.
        let per_connection = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&per_connection);
        account.set_handler(move |notice| {
            counter.fetch_add(1, Ordering::Relaxed);
            Some(notice) // pass it on
        });
        let global = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&global);
        hub.set_handler(move |_connection, notice| {
            counter.fetch_add(1, Ordering::Relaxed);
            Some(notice)
        });
        account.post(Request::new("ping")).await?;
        market.post(Request::new("ping")).await?;
        account.call(Request::new("ping")).await?;
        market.call(Request::new("ping")).await?;
        println!(
            "handlers:   account handler saw {}, global handler saw {}",
            per_connection.load(Ordering::Relaxed),
            global.load(Ordering::Relaxed)
        );

        // 5. The event stream (here: the global buffer, through one connection's view).
        let mut events = market.events();
        for _ in 0..2 {
            if let Some(item) = events.next().await {
                let label = hub
                    .get(item.connection)
                    .and_then(|c| c.label().map(str::to_owned));
                if let Notice::Event(Event::Completed(done)) = &item.notice {
                    println!(
                        "stream:     {} from {:?}",
                        done.method,
                        label.unwrap_or_default()
                    );
                }
            }
        }

        // 6. The stream buffer, drained by another thread at its own pace.
        let buffer = hub.buffer().ok_or("no global buffer")?.clone();
        for _ in 0..5 {
            market.post(Request::new("ping")).await?;
        }
        market.call(Request::new("ping")).await?;
        let newest_first = std::thread::spawn(move || {
            let mut got = 0;
            while buffer.wait_fifo(Duration::from_millis(200)).is_some() {
                got += 1;
            }
            (got, buffer.dropped())
        })
        .join()
        .map_err(|_| "drain thread panicked")?;
        println!(
            "buffer:     another thread drained {} (dropped {})",
            newest_first.0, newest_first.1
        );
        hub.close_all().await;
        Ok(())
    })
}
