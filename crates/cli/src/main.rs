//! `wsapi`: the Binance Spot WebSocket API from the command line.
//!
//! Exit codes: 0 success, 1 the server answered with an error (or the outcome is unknown),
//! 2 bad input, 3 the connection failed.

#![allow(clippy::print_stdout)]

mod args;
mod demo;
mod documented;
mod keys;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use binance_wsapi_blocking::{CallError, Connection, Options};
use binance_wsapi_emulator::accounts::AccountsFile;
use binance_wsapi_emulator::{Emulator, EmulatorConfig};
use binance_wsapi_proto::{Client, Config, Request, RequestId};
use clap::{Parser, Subcommand};

use binance_wsapi_proto::endpoints::{LIVE, TESTNET};

#[derive(Debug, Parser)]
#[command(
    name = "wsapi",
    version,
    about = "The Binance Spot WebSocket API from the command line"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, clap::Args)]
struct Endpoint {
    /// WebSocket API URL.
    #[arg(long, env = "BINANCE_WSAPI_URL")]
    url: Option<String>,
    /// Binance's testnet.
    #[arg(long, conflicts_with_all = ["url", "live"])]
    testnet: bool,
    /// Binance's live endpoint.
    #[arg(long, conflicts_with_all = ["url", "testnet"])]
    live: bool,
}

impl Endpoint {
    fn url(&self) -> Option<String> {
        if self.live {
            Some(LIVE.to_owned())
        } else if self.testnet {
            Some(TESTNET.to_owned())
        } else {
            self.url.clone()
        }
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// A guided tour against the embedded emulator (or, read-only, against --url/--testnet/--live).
    Demo {
        #[command(flatten)]
        endpoint: Endpoint,
        #[command(flatten)]
        keys: keys::KeyArgs,
    },
    /// Send any method and print the reply as JSON.
    Call {
        /// The method, e.g. `order.place`.
        method: String,
        /// Parameters as name=value (integers, true/false and ["a","b"] lists are typed).
        params: Vec<String>,
        #[command(flatten)]
        endpoint: Endpoint,
        #[command(flatten)]
        keys: keys::KeyArgs,
        /// Print the reply's result exactly as received.
        #[arg(long)]
        raw: bool,
        /// Seconds to wait for the reply.
        #[arg(long, default_value_t = 15)]
        timeout: u64,
    },
    /// Build and sign a request frame offline and print it as one JSON line (nothing is sent).
    Frame {
        /// The method.
        method: String,
        /// Parameters as name=value.
        params: Vec<String>,
        #[command(flatten)]
        keys: keys::KeyArgs,
        /// The timestamp to sign (ms); the current time when absent.
        #[arg(long)]
        timestamp: Option<i64>,
        /// The request id (integer or up to 36 characters).
        #[arg(long)]
        id: Option<String>,
    },
    /// Run the local emulator until interrupted.
    Emulator {
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1:0")]
        listen: SocketAddr,
        /// Accounts file (JSON); without it a demo account is created.
        #[arg(long)]
        accounts: Option<PathBuf>,
        /// Settings file (JSON): seed, limits, ping timing, faults.
        #[arg(long)]
        config: Option<PathBuf>,
        /// Seed for generated ids and the demo Ed25519 key.
        #[arg(long)]
        seed: Option<u64>,
    },
}

/// A failure with the exit code it maps to.
struct Failure {
    code: u8,
    message: String,
}

fn usage(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

fn request_from(method: &str, words: &[String]) -> Result<Request, Failure> {
    if binance_wsapi_proto::method_info(method).is_none() {
        let hint = args::suggest(method)
            .map(|s| format!(" (did you mean {s}?)"))
            .unwrap_or_default();
        eprintln!("note: {method} is not a known method{hint}; sending it as is, unsigned");
    }
    let mut request = Request::new(method.to_owned());
    let mut names = Vec::with_capacity(words.len());
    for word in words {
        let (name, value) = args::parse_param(word).map_err(usage)?;
        names.push(name.clone());
        request = request.param(name, value);
    }
    for note in documented::check(method, &names).map_err(usage)? {
        eprintln!("note: {note}");
    }
    Ok(request)
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Demo { endpoint, keys } => {
            let target = match endpoint.url() {
                None => demo::Target::Embedded,
                Some(url) => demo::Target::Remote {
                    url,
                    credentials: keys.credentials().map_err(usage)?,
                },
            };
            demo::run(target).map_err(|message| Failure { code: 1, message })
        }
        Command::Call {
            method,
            params,
            endpoint,
            keys,
            raw,
            timeout,
        } => {
            let url = endpoint.url().ok_or_else(|| {
                usage("no endpoint: give --url, --testnet or --live (or set BINANCE_WSAPI_URL)")
            })?;
            let request = request_from(&method, &params)?.timeout(Duration::from_secs(timeout));
            let mut options = Options::default();
            options.credentials = keys.credentials().map_err(usage)?;
            let mut conn = Connection::connect(&url, options).map_err(|e| Failure {
                code: 3,
                message: e.to_string(),
            })?;
            let result = conn.call(request);
            let _ = conn.close();
            match result {
                Ok(response) if raw => println!("{}", response.result_raw()),
                Ok(response) => {
                    let value = response.result_value().map_err(|e| Failure {
                        code: 1,
                        message: e.to_string(),
                    })?;
                    println!(
                        "{}",
                        serde_json::to_string_pretty(&value).unwrap_or_default()
                    );
                }
                Err(CallError::Connection(e)) => {
                    return Err(Failure {
                        code: 3,
                        message: e.to_string(),
                    })
                }
                Err(e) => {
                    return Err(Failure {
                        code: 1,
                        message: e.to_string(),
                    })
                }
            }
            Ok(())
        }
        Command::Frame {
            method,
            params,
            keys,
            timestamp,
            id,
        } => {
            let mut request = request_from(&method, &params)?;
            if let Some(ts) = timestamp {
                request = request.timestamp(ts);
            }
            if let Some(id) = id {
                let id = match id.parse::<i64>() {
                    Ok(n) => RequestId::Int(n),
                    Err(_) => RequestId::text(&id).map_err(|e| usage(format!("--id: {e}")))?,
                };
                request = request.id(id);
            }
            let now = Instant::now();
            let unix = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default();
            let mut config = Config::default();
            config.auto_client_order_id = false;
            let mut client = Client::new(config, now, unix, 0).map_err(|e| usage(e.to_string()))?;
            client.set_credentials(keys.credentials().map_err(usage)?);
            client
                .send(request, now)
                .map_err(|e| usage(e.to_string()))?;
            let frame = client
                .poll_transmit()
                .ok_or_else(|| usage("nothing was framed"))?;
            if !client.last_signed_payload().is_empty() {
                eprintln!("signed payload: {}", client.last_signed_payload());
            }
            println!("{}", frame.text);
            Ok(())
        }
        Command::Emulator {
            listen,
            accounts,
            config: settings,
            seed,
        } => {
            let mut config = EmulatorConfig::default();
            if let Some(path) = settings {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
                config
                    .apply_json(&text)
                    .map_err(|e| usage(format!("{}: {e}", path.display())))?;
            }
            if let Some(seed) = seed {
                config.seed = seed;
            }
            if let Some(path) = accounts {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
                let file: AccountsFile = serde_json::from_str(&text)
                    .map_err(|e| usage(format!("{}: {e}", path.display())))?;
                config.accounts = Some(file);
            }
            let emu = Emulator::start_on(listen, config).map_err(|e| Failure {
                code: 3,
                message: e.to_string(),
            })?;
            println!("Binance WS API emulator listening at {}", emu.url());
            if let Some(keys) = emu.demo_keys() {
                println!("demo account (local test keys only):");
                println!("  HMAC     api key {}", keys.hmac_api_key);
                println!("           secret  {}", keys.hmac_secret);
                println!("  Ed25519  api key {}", keys.ed25519_api_key);
                println!("{}", keys.ed25519_private_pem.trim_end());
            }
            println!("Press Ctrl-C to stop.");
            loop {
                std::thread::park();
            }
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
