//! Prometheus metrics, fed by pass observers and the metered adapter.

use std::sync::Arc;
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use triage_pipeline::{Outcome, PassObserver, TicketRecord};
use triage_state::{Correction, TicketKey};

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
struct FieldLabels {
    pipeline: String,
    field: String,
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
    written: Family<FieldLabels, Counter>,
    corrections: Family<FieldLabels, Counter>,
    shadow_written: Family<FieldLabels, Counter>,
    shadow_corrections: Family<FieldLabels, Counter>,
    shadow_agreements: Family<FieldLabels, Counter>,
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
        // Accuracy in production: corrections / written per field. Dry runs (shadow) are
        // counted apart so that switching writes on does not mix the two.
        let written = Family::<FieldLabels, Counter>::default();
        registry.register("written", "Field values written by triage", written.clone());
        let corrections = Family::<FieldLabels, Counter>::default();
        registry.register(
            "corrections",
            "Field values triage wrote that an agent later changed (each counted once)",
            corrections.clone(),
        );
        let shadow_written = Family::<FieldLabels, Counter>::default();
        registry.register(
            "shadow_written",
            "Field values a dry-run pipeline would have written",
            shadow_written.clone(),
        );
        let shadow_corrections = Family::<FieldLabels, Counter>::default();
        registry.register(
            "shadow_corrections",
            "Field values a dry-run pipeline would have written that an agent set otherwise",
            shadow_corrections.clone(),
        );
        // Shadow accuracy = agreements / (agreements + corrections): only values an agent
        // has set since triage decided are settled.
        let shadow_agreements = Family::<FieldLabels, Counter>::default();
        registry.register(
            "shadow_agreements",
            "Field values a dry-run pipeline would have written that an agent then set the same",
            shadow_agreements.clone(),
        );
        Self {
            registry,
            written,
            corrections,
            shadow_written,
            shadow_corrections,
            shadow_agreements,
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

fn field_labels(pipeline: &str, field: &str) -> FieldLabels {
    FieldLabels {
        pipeline: pipeline.to_owned(),
        field: field.to_owned(),
    }
}

impl PassObserver for Metrics {
    fn written(&self, pipeline: &str, field: &str, shadow: bool) {
        let family = if shadow {
            &self.shadow_written
        } else {
            &self.written
        };
        family.get_or_create(&field_labels(pipeline, field)).inc();
    }

    fn corrected(&self, correction: &Correction) {
        let family = if correction.shadow {
            &self.shadow_corrections
        } else {
            &self.corrections
        };
        family
            .get_or_create(&field_labels(&correction.key.pipeline, &correction.field))
            .inc();
    }

    fn agreed(&self, key: &TicketKey, field: &str, _value: &str) {
        self.shadow_agreements
            .get_or_create(&field_labels(&key.pipeline, field))
            .inc();
    }

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

    #[test]
    fn written_and_corrected_values_per_field_live_and_shadow_apart() {
        let m = Metrics::default();
        m.written("inbox", "queue", false);
        m.written("inbox", "queue", false);
        m.written("inbox", "priority", true);
        let at = chrono::Utc::now();
        let correction = |shadow| Correction {
            key: triage_state::TicketKey::new("inbox", "helpdesk", "7"),
            field: "queue".into(),
            written: "Billing".into(),
            current: Some("Sales".into()),
            shadow,
            written_at: at,
            observed_at: at,
        };
        m.corrected(&correction(false));
        m.corrected(&correction(true));
        m.agreed(
            &triage_state::TicketKey::new("inbox", "helpdesk", "8"),
            "queue",
            "Sales",
        );
        let text = m.encode();
        for line in [
            r#"triage_shadow_agreements_total{pipeline="inbox",field="queue"} 1"#,
            r#"triage_written_total{pipeline="inbox",field="queue"} 2"#,
            r#"triage_corrections_total{pipeline="inbox",field="queue"} 1"#,
            r#"triage_shadow_written_total{pipeline="inbox",field="priority"} 1"#,
            r#"triage_shadow_corrections_total{pipeline="inbox",field="queue"} 1"#,
        ] {
            assert!(text.contains(line), "{line} missing from\n{text}");
        }
        assert!(!text.contains(r#"triage_written_total{pipeline="inbox",field="priority"}"#));
    }
}
