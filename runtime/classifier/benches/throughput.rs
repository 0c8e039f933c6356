//! Throughput of the default models (tickets/s at batch 1 and 32, tokenization included) and
//! peak memory with both loaded. Run with `cargo bench -p triage-classifier`.
//!
//! Environment:
//! - `TRIAGE_BENCH_THREADS`: intra-op threads per model (default 2, the reference machine's cores);
//! - `TRIAGE_BENCH_MODELS`: extra model directories, comma-separated (e.g. an exported BERT);
//! - `TRIAGE_BENCH_SECONDS`: time per measurement (default 3);
//! - `TRIAGE_BENCH_SPIN=1`: let ONNX Runtime's idle threads spin.
//!
//! Prints figures, asserts nothing: timings belong in reports, not in pass/fail.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use triage_classifier::{Classifier, ClassifierOptions};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Held-out tickets from the default models' generator, text = subject + "\n\n" + body.
fn tickets() -> Vec<String> {
    let path = repo().join("models/train/bench_tickets.jsonl");
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["text"].as_str().unwrap().to_string()
        })
        .collect()
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Tickets per second, classifying `texts` repeatedly in slices of `batch` for about `budget`.
fn measure(c: &Classifier, texts: &[&str], batch: usize, budget: Duration) -> f64 {
    for chunk in texts.chunks(batch).take(4) {
        c.classify_batch(chunk).unwrap();
    }
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < budget {
        for chunk in texts.chunks(batch) {
            c.classify_batch(chunk).unwrap();
            done += chunk.len();
        }
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn proc_status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .map(|l| l[field.len()..].trim().to_string())
        })
        .unwrap_or_else(|| "n/a".into())
}

fn main() {
    // `cargo bench` passes `--bench`; this harness has no options of its own.
    let threads = env_or("TRIAGE_BENCH_THREADS", 2usize);
    let budget = Duration::from_secs_f64(env_or("TRIAGE_BENCH_SECONDS", 3.0));
    let texts = tickets();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let options = ClassifierOptions {
        intra_threads: threads,
        spin: env_or("TRIAGE_BENCH_SPIN", 0u8) == 1,
        ..ClassifierOptions::default()
    };
    println!(
        "{} tickets, {threads} intra-op threads, {:.1} s per figure",
        refs.len(),
        budget.as_secs_f64()
    );

    let mut dirs = vec![repo().join("models/queue"), repo().join("models/priority")];
    let baseline_rss = proc_status("VmRSS:");
    let mut loaded = Vec::new();
    for dir in &dirs {
        loaded.push(Classifier::load(dir, options.clone()).unwrap());
    }
    for c in &loaded {
        c.classify_batch(&refs[..32]).unwrap();
    }
    println!(
        "memory: before loading {baseline_rss}; both default models loaded and warm: VmRSS {}, peak VmHWM {}",
        proc_status("VmRSS:"),
        proc_status("VmHWM:")
    );

    if let Ok(extra) = std::env::var("TRIAGE_BENCH_MODELS") {
        for d in extra.split(',').filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(d);
            loaded.push(Classifier::load(&dir, options.clone()).unwrap());
            dirs.push(dir);
        }
    }
    println!(
        "{:<40} {:>14} {:>14}",
        "model", "batch 1 (t/s)", "batch 32 (t/s)"
    );
    for (dir, c) in dirs.iter().zip(&loaded) {
        let b1 = measure(c, &refs, 1, budget);
        let b32 = measure(c, &refs, 32, budget);
        let name = dir
            .components()
            .rev()
            .take(2)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<PathBuf>();
        println!("{:<40} {b1:>14.0} {b32:>14.0}", name.display());
    }
    println!("peak VmHWM at exit: {}", proc_status("VmHWM:"));
}
