//! `triage sim otobo`: serve a simulated OTOBO instance (GenericInterface REST, both route
//! styles) until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use chrono::FixedOffset;
use triage_sim::Faults;
use triage_sim::freshdesk::QUEUES;
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::otobo::{DEFAULT_LOGIN, DEFAULT_PASSWORD, OtoboSim, RouteStyle, SimConfig};
use triage_sim::ratelimit::RateLimitConfig;

use super::share;

#[derive(clap::Args)]
pub struct OtoboArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Generate this many sample tickets (in the queue "Raw").
    #[arg(long, default_value_t = 200, conflicts_with = "tickets_file")]
    tickets: usize,
    /// Load tickets from a JSON file instead (a `triage sim generate` output, or an array of
    /// `{"subject","description","queue","priority",…}` objects).
    #[arg(long)]
    tickets_file: Option<PathBuf>,
    /// Seed of the generated tickets.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of German tickets among the generated ones.
    #[arg(long, default_value_t = 0.35)]
    german_share: f64,
    /// The agent's login (`UserLogin`).
    #[arg(long, env = "TRIAGE_SIM_OTOBO_LOGIN", default_value = DEFAULT_LOGIN)]
    login: String,
    /// The agent's password.
    #[arg(long, env = "TRIAGE_SIM_OTOBO_PASSWORD", default_value = DEFAULT_PASSWORD)]
    password: String,
    /// The server's zone as an offset (`+01:00`, `-05:30`, `UTC`): API times are local to it.
    #[arg(long, default_value = "+01:00")]
    timezone: String,
    /// Render ids as JSON numbers instead of strings.
    #[arg(long)]
    numeric_ids: bool,
    /// Requests per window allowed by the simulated reverse proxy (0: unlimited).
    #[arg(long, default_value_t = 0)]
    rate_limit: u32,
    /// Rate-limit window in seconds.
    #[arg(long, default_value_t = 60)]
    window_secs: u64,
    /// Delay added to every reply, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Share of requests answered 500/503 (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    error_rate: f64,
    /// Share of requests whose connection is dropped without a reply (0.0–1.0).
    #[arg(long, default_value_t = 0.0)]
    drop_rate: f64,
    /// Seed of the fault decisions.
    #[arg(long, default_value_t = 0)]
    fault_seed: u64,
}

/// `+01:00`, `-0530`, `UTC` as a fixed offset.
fn offset(text: &str) -> anyhow::Result<FixedOffset> {
    let bad = || format!("--timezone must be an offset such as +01:00 or UTC, not {text:?}");
    let t = text.trim();
    if t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return Ok(FixedOffset::east_opt(0).expect("zero"));
    }
    let sign = match t.chars().next() {
        Some('+') => 1,
        Some('-') => -1,
        _ => anyhow::bail!(bad()),
    };
    let digits: String = t[1..].chars().filter(char::is_ascii_digit).collect();
    anyhow::ensure!(digits.len() == 4 || digits.len() == 2, bad());
    let hours: i32 = digits[..2].parse().with_context(bad)?;
    let minutes: i32 = match &digits[2..] {
        "" => 0,
        m => m.parse().with_context(bad)?,
    };
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60)).with_context(bad)
}

pub async fn run(args: OtoboArgs) -> anyhow::Result<()> {
    anyhow::ensure!(args.window_secs > 0, "--window-secs must be positive");
    let limit = match args.rate_limit {
        0 => RateLimitConfig::unlimited(),
        n => RateLimitConfig::per_minute(n),
    }
    .with_window(Duration::from_secs(args.window_secs));
    let data = match &args.tickets_file {
        Some(path) => {
            let queues: Vec<String> = QUEUES.iter().map(|q| (*q).to_owned()).collect();
            triage_sim::load::from_path(path, &queues)?
        }
        None => generate(&GenerateOptions {
            german_share: share("german-share", args.german_share)?,
            ..GenerateOptions::new(args.tickets, args.seed)
        }),
    };
    let count = data.tickets.len();
    let config = SimConfig {
        bind: SocketAddr::new(args.bind, args.port),
        agents: vec![(args.login.clone(), args.password.clone())],
        utc_offset: offset(&args.timezone)?,
        ids_as_strings: !args.numeric_ids,
        rate_limits: limit,
        faults: Faults {
            latency: Duration::from_millis(args.latency_ms),
            error_rate: share("error-rate", args.error_rate)?,
            drop_rate: share("drop-rate", args.drop_rate)?,
            seed: args.fault_seed,
            ..Faults::none()
        },
        ..SimConfig::default().with_data(data)
    };
    let sim = OtoboSim::start(config).await?;
    let generic = sim.webservice_url(RouteStyle::Generic);
    println!("base_url: {generic}");
    println!("otai_url: {}", sim.webservice_url(RouteStyle::Otai));
    println!("login: {}", sim.login());
    println!("password: {}", sim.password());
    println!("timezone: {}", sim.utc_offset());
    println!("tickets: {count}");
    eprintln!(
        "OTOBO simulator ready (route_style generic at base_url, otai at otai_url). Try:\n  curl '{generic}/Ticket?Limit=5&UserLogin={}&Password={}'\nCtrl-C to stop.",
        sim.login(),
        sim.password()
    );
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    let acc = sim.accuracy();
    let requests = sim.requests().len();
    sim.shutdown().await;
    println!("requests: {requests}");
    println!(
        "classified: {}/{} (queue correct {:.1}%, priority correct {:.1}%)",
        acc.classified,
        acc.labelled,
        acc.queue_rate() * 100.0,
        acc.priority_rate() * 100.0
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets() {
        for (text, secs) in [
            ("+01:00", 3600),
            ("-0530", -19800),
            ("UTC", 0),
            ("+02", 7200),
        ] {
            assert_eq!(offset(text).unwrap().local_minus_utc(), secs, "{text}");
        }
        for bad in ["CET", "01:00", "+1:0:0", "+99:00"] {
            assert!(offset(bad).is_err(), "{bad}");
        }
    }
}
