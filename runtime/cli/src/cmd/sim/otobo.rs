//! `triage sim otobo`: serve a simulated OTOBO instance (GenericInterface REST, both route
//! styles) until Ctrl-C.

use std::path::PathBuf;

use anyhow::Context;
use chrono::FixedOffset;
use triage_sim::freshdesk::QUEUES;
use triage_sim::otobo::{DEFAULT_LOGIN, DEFAULT_PASSWORD, OtoboSim, RouteStyle, SimConfig};
use triage_sim::ratelimit::RateLimitConfig;

use super::common::{ServeArgs, serve};

#[derive(clap::Args)]
pub struct OtoboArgs {
    #[command(flatten)]
    serve: ServeArgs,
    /// Generate this many sample tickets (in the queue "Raw").
    #[arg(long, default_value_t = 200, conflicts_with = "tickets_file")]
    tickets: usize,
    /// Load tickets from a JSON file instead (a `triage sim generate` output, or an array of
    /// `{"subject","description","queue","priority",…}` objects).
    #[arg(long)]
    tickets_file: Option<PathBuf>,
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
    let queues: Vec<String> = QUEUES.iter().map(|q| (*q).to_owned()).collect();
    let data = args
        .serve
        .data(args.tickets, args.tickets_file.as_deref(), &queues)?;
    let count = data.tickets.len();
    let config = SimConfig {
        bind: args.serve.addr(),
        agents: vec![(args.login.clone(), args.password.clone())],
        utc_offset: offset(&args.timezone)?,
        ids_as_strings: !args.numeric_ids,
        rate_limits: args.serve.limits(RateLimitConfig::unlimited())?,
        faults: args.serve.faults()?,
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
    serve(sim, |sim| Some(sim.accuracy())).await
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
