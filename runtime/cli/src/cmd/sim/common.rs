//! What every `triage sim <system>` command shares: the listen address, the sample data's
//! seed and language mix, the rate limit and the injected faults, and serving until Ctrl-C.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;
use std::time::Duration;

use anyhow::Context;
use triage_sim::freshdesk::{Accuracy, Dataset};
use triage_sim::generate::{GenerateOptions, generate};
use triage_sim::ratelimit::RateLimitConfig;
use triage_sim::{Faults, Handle, HasTraffic};

/// The flags every simulator takes (flattened into each system's arguments).
#[derive(clap::Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to bind.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST))]
    bind: IpAddr,
    /// Seed of the generated tickets.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of German tickets among the generated ones.
    #[arg(long, default_value_t = 0.35)]
    german_share: f64,
    /// Requests per window in total (0: unlimited; for Freshdesk it overrides --plan's total,
    /// elsewhere it is the reverse proxy in front of the system).
    #[arg(long, default_value_t = 0)]
    rate_limit: u32,
    /// Rate-limit window in seconds (60 on the real services).
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

impl ServeArgs {
    /// Where to listen.
    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.bind, self.port)
    }

    /// `base` (a plan's limits, or unlimited) with `--rate-limit` as its total and the window.
    pub fn limits(&self, base: RateLimitConfig) -> anyhow::Result<RateLimitConfig> {
        anyhow::ensure!(self.window_secs > 0, "--window-secs must be positive");
        let mut limits = base;
        if self.rate_limit > 0 {
            limits.total = self.rate_limit;
        }
        Ok(limits.with_window(Duration::from_secs(self.window_secs)))
    }

    /// The random faults to start with.
    pub fn faults(&self) -> anyhow::Result<Faults> {
        Ok(Faults {
            latency: Duration::from_millis(self.latency_ms),
            error_rate: share("error-rate", self.error_rate)?,
            drop_rate: share("drop-rate", self.drop_rate)?,
            seed: self.fault_seed,
            ..Faults::none()
        })
    }

    /// `count` generated tickets, or the tickets of `file` (whose queues name `queues`).
    pub fn data(
        &self,
        count: usize,
        file: Option<&Path>,
        queues: &[String],
    ) -> anyhow::Result<Dataset> {
        Ok(match file {
            Some(path) => triage_sim::load::from_path(path, queues)?,
            None => generate(&GenerateOptions {
                german_share: share("german-share", self.german_share)?,
                ..GenerateOptions::new(count, self.seed)
            }),
        })
    }
}

/// Checks a `--NAME` share flag.
pub fn share(name: &str, v: f64) -> anyhow::Result<f64> {
    anyhow::ensure!((0.0..=1.0).contains(&v), "--{name} must be between 0 and 1");
    Ok(v)
}

/// Serves until Ctrl-C, stops the simulator and prints how many requests it answered and, where
/// `accuracy` measures one, how the visible queue/priority compare with the true labels.
pub async fn serve<S: HasTraffic>(
    sim: Handle<S>,
    accuracy: impl FnOnce(&Handle<S>) -> Option<Accuracy>,
) -> anyhow::Result<()> {
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    let acc = accuracy(&sim);
    let requests = sim.requests().len();
    sim.shutdown().await;
    println!("requests: {requests}");
    if let Some(acc) = acc {
        println!(
            "classified: {}/{} (queue correct {:.1}%, priority correct {:.1}%)",
            acc.classified,
            acc.labelled,
            acc.queue_rate() * 100.0,
            acc.priority_rate() * 100.0
        );
    }
    Ok(())
}
