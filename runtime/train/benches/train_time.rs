//! Training time and peak memory for simulator histories of 10k and 50k tickets (goal from
//! issue 12: 50k in ≤ 60 s on 2 cores, ≤ 1 GB). Run with `cargo bench -p triage-train`;
//! `TRIAGE_BENCH_SIZES=10000,50000` (default) chooses the sizes. Each size runs in a child
//! process so that its peak RSS (`VmHWM`) is its own; `TRIAGE_BENCH_THREADS` sets the
//! training threads (default: all cores). Prints figures, asserts nothing.

use std::time::Instant;

use triage_classifier::text::{TextForm, ticket_text};
use triage_train::{Example, Options, train};

fn examples(count: usize) -> Vec<Example> {
    let data =
        triage_sim::generate::generate(&triage_sim::generate::GenerateOptions::new(count, 4242));
    data.tickets
        .iter()
        .map(|t| Example {
            text: ticket_text(
                &t.subject,
                Some(&t.description_text),
                Some(&t.description),
                TextForm::Clean,
            ),
            label: data.truth[&t.id].queue.clone(),
            time: t.created_at.timestamp(),
            weight: 1.0,
        })
        .collect()
}

fn peak_rss_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|v| v.parse::<f64>().ok())
            })
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// User + system CPU seconds of this process so far (`/proc/self/stat`, 100 ticks a second):
/// unlike wall time, barely moved by other processes on a shared machine.
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the parenthesised command name; utime and stime are 14 and 15.
            let rest = s.rsplit_once(')')?.1.split_whitespace().collect::<Vec<_>>();
            let tick = |i: usize| rest.get(i)?.parse::<f64>().ok();
            Some((tick(11)? + tick(12)?) / 100.0)
        })
        .unwrap_or(f64::NAN)
}

fn one(count: usize) {
    let ex = examples(count);
    let opts = Options {
        threads: std::env::var("TRIAGE_BENCH_THREADS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0),
        ..Options::default()
    };
    let cpu = cpu_seconds();
    let started = Instant::now();
    let t = train(ex, &opts).unwrap_or_else(|e| panic!("{e}"));
    let secs = started.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu;
    let dir = tempfile::tempdir().expect("temporary directory");
    let exported = Instant::now();
    t.write(&dir.path().join("queue"))
        .unwrap_or_else(|e| panic!("{e}"));
    let export_secs = exported.elapsed().as_secs_f64();
    println!(
        "{count:>6} tickets: {secs:>6.1} s wall, {cpu:>6.1} s CPU ({:.2}× the 60 s goal at 50k scaled), peak RSS {:>6.0} MiB; validation accuracy {:.3}, macro-F1 {:.3}, C {}, ECE {:.3} → {:.3}",
        secs / (60.0 * count as f64 / 50_000.0),
        peak_rss_mib(),
        t.report.validation.accuracy,
        t.report.validation.macro_f1,
        t.report.c,
        t.report.ece_before,
        t.report.ece_after,
    );
    let stages: Vec<String> = t
        .report
        .stages
        .iter()
        .map(|s| match s.iterations {
            Some(it) => format!("{} {:.1} s/{it} it", s.name, s.seconds),
            None => format!("{} {:.1} s", s.name, s.seconds),
        })
        .collect();
    let grid: Vec<String> = t
        .report
        .c_grid
        .iter()
        .map(|(c, acc, f1)| format!("C={c} {acc:.4}/{f1:.4}"))
        .collect();
    println!(
        "        stages: {}; export {export_secs:.1} s\n        C grid (accuracy/macro-F1): {}",
        stages.join(", "),
        grid.join(", ")
    );
}

fn main() {
    if let Ok(n) = std::env::var("TRIAGE_BENCH_ONE") {
        one(n.parse().expect("a count"));
        return;
    }
    let sizes = std::env::var("TRIAGE_BENCH_SIZES").unwrap_or_else(|_| "10000,50000".into());
    let exe = std::env::current_exe().expect("own path");
    for size in sizes.split(',') {
        let status = std::process::Command::new(&exe)
            .env("TRIAGE_BENCH_ONE", size.trim())
            .arg("--bench")
            .status()
            .expect("child runs");
        assert!(status.success(), "size {size} failed");
    }
}
