//! Prometheus metrics, fed by pass observers and the metered adapter.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use triage_pipeline::{Outcome, PassObserver, TicketRecord};

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TicketLabels {
    pipeline: String,
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PipelineLabels {
    pipeline: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RunLabels {
    pipeline: String,
    result: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    connection: String,
    call: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FaultLabels {
    connection: String,
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ModelLabels {
    model: String,
}

type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

fn seconds_histogram() -> Histogram {
    // 1 ms … ~65 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 17))
}

/// Every metric the service exports.
pub struct Metrics {
    registry: Registry,
    tickets: Family<TicketLabels, Counter>,
    runs: Family<RunLabels, Counter>,
    decision_seconds: Histograms<PipelineLabels>,
    adapter_call_seconds: Histograms<CallLabels>,
    sandbox_faults: Family<FaultLabels, Counter>,
    inference_seconds: Histograms<ModelLabels>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("triage");
        let tickets = Family::<TicketLabels, Counter>::default();
        registry.register(
            "tickets",
            "Tickets by pipeline and what happened: fetched, classified, updated, unchanged, dry_run, skipped, failed",
            tickets.clone(),
        );
        let runs = Family::<RunLabels, Counter>::default();
        registry.register("pipeline_runs", "Pipeline passes by result", runs.clone());
        let decision_seconds =
            Histograms::<PipelineLabels>::new_with_constructor(seconds_histogram);
        registry.register(
            "decision_seconds",
            "From classifying a ticket to recording its outcome",
            decision_seconds.clone(),
        );
        let adapter_call_seconds =
            Histograms::<CallLabels>::new_with_constructor(seconds_histogram);
        registry.register(
            "adapter_call_seconds",
            "Adapter calls through the sandbox, by connection and call",
            adapter_call_seconds.clone(),
        );
        let sandbox_faults = Family::<FaultLabels, Counter>::default();
        registry.register(
            "sandbox_faults",
            "Adapter faults the sandbox stopped or contained, by kind (deadline, memory, trap, bad-output, instantiate, denied, log_flood)",
            sandbox_faults.clone(),
        );
        let inference_seconds = Histograms::<ModelLabels>::new_with_constructor(seconds_histogram);
        registry.register(
            "model_inference_seconds",
            "One batch through a model, tokenisation included",
            inference_seconds.clone(),
        );
        Self {
            registry,
            tickets,
            runs,
            decision_seconds,
            adapter_call_seconds,
            sandbox_faults,
            inference_seconds,
        }
    }
}

impl Metrics {
    /// A shared instance.
    pub fn shared() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The text exposition format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)
            .expect("writing to a String cannot fail");
        out
    }

    fn count(&self, pipeline: &str, outcome: &str, n: u64) {
        self.tickets
            .get_or_create(&TicketLabels {
                pipeline: pipeline.to_owned(),
                outcome: outcome.to_owned(),
            })
            .inc_by(n);
    }

    /// A pass ended: `ok`, `error` or `stopped`.
    pub fn run_finished(&self, pipeline: &str, result: &str, skipped: usize) {
        self.runs
            .get_or_create(&RunLabels {
                pipeline: pipeline.to_owned(),
                result: result.to_owned(),
            })
            .inc();
        self.count(pipeline, "skipped", skipped as u64);
    }

    /// An adapter call took `took`; `fault` is the sandbox fault kind, if any.
    pub fn adapter_call(&self, connection: &str, call: &str, took: Duration, fault: Option<&str>) {
        self.adapter_call_seconds
            .get_or_create(&CallLabels {
                connection: connection.to_owned(),
                call: call.to_owned(),
            })
            .observe(took.as_secs_f64());
        if let Some(kind) = fault {
            self.sandbox_fault(connection, kind);
        }
    }

    /// The sandbox stopped or contained something an adapter did (`kind` as in
    /// `SandboxFault::as_str`); also for faults that did not fail a call (`log_flood`).
    pub fn sandbox_fault(&self, connection: &str, kind: &str) {
        self.sandbox_faults
            .get_or_create(&FaultLabels {
                connection: connection.to_owned(),
                kind: kind.to_owned(),
            })
            .inc();
    }
}

impl PassObserver for Metrics {
    fn listed(&self, pipeline: &str, tickets: usize, _to_decide: usize) {
        self.count(pipeline, "fetched", tickets as u64);
    }

    fn classified(&self, model: &str, _tickets: usize, took: Duration) {
        self.inference_seconds
            .get_or_create(&ModelLabels {
                model: model.to_owned(),
            })
            .observe(took.as_secs_f64());
    }

    fn ticket_done(&self, pipeline: &str, record: &TicketRecord, took: Duration) {
        self.count(pipeline, "classified", 1);
        let outcome = match record.outcome {
            Outcome::Updated => "updated",
            Outcome::Unchanged => "unchanged",
            Outcome::DryRun => "dry_run",
            Outcome::Failed(_) => "failed",
        };
        self.count(pipeline, outcome, 1);
        self.decision_seconds
            .get_or_create(&PipelineLabels {
                pipeline: pipeline.to_owned(),
            })
            .observe(took.as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exposition_names_pipelines_faults_and_models() {
        let m = Metrics::default();
        m.listed("inbox", 3, 3);
        m.classified("queue", 3, Duration::from_millis(4));
        m.adapter_call(
            "helpdesk",
            "find-tickets",
            Duration::from_millis(2),
            Some("deadline"),
        );
        m.run_finished("inbox", "ok", 2);
        let text = m.encode();
        assert!(
            text.contains(r#"triage_tickets_total{pipeline="inbox",outcome="fetched"} 3"#),
            "{text}"
        );
        assert!(text.contains(r#"triage_tickets_total{pipeline="inbox",outcome="skipped"} 2"#));
        assert!(
            text.contains(
                r#"triage_sandbox_faults_total{connection="helpdesk",kind="deadline"} 1"#
            )
        );
        assert!(text.contains(r#"triage_model_inference_seconds_count{model="queue"} 1"#));
        assert!(text.contains(r#"triage_pipeline_runs_total{pipeline="inbox",result="ok"} 1"#));
    }
}
