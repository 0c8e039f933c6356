//! Accuracy in production: per field and label, the share of values triage wrote over a
//! window that agents left standing (live), and the same for what a dry run would have
//! written (shadow), for `GET /v1/pipelines/{name}` and `triage history --corrections`.
//!
//! The window selects writes by when triage decided them; their corrections count
//! whenever they were observed. Values written in the last hours have had little time to
//! be corrected, so a short window reads high.
//!
//! Shadow agreement counts only settled values — fields an agent set after triage
//! decided: agreed / (agreed + corrected). An untouched ticket says nothing about a value
//! that never reached it. So shadow `agreement` is what live accuracy would have been on
//! the tickets agents routed, the figure to read before switching writes on.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;
use triage_state::{StateError, StateStore};

/// The window used when none is asked for.
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(30 * 24 * 3600);

/// Agreement of one pipeline over a window.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AgreementReport {
    /// Writes decided at or after this time are counted.
    pub since: DateTime<Utc>,
    /// Written values, by field.
    pub live: BTreeMap<String, FieldAgreement>,
    /// Values a dry run would have written, by field.
    pub shadow: BTreeMap<String, FieldAgreement>,
}

/// One field's figures.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct FieldAgreement {
    /// Values written.
    pub written: u64,
    /// Of those, changed by an agent.
    pub corrected: u64,
    /// Shadow only: of those, set by an agent to the same value.
    pub agreed: u64,
    /// Live: 1 − corrected / written; shadow: agreed / (agreed + corrected); `null` when
    /// there is nothing to divide by.
    pub agreement: Option<f64>,
    /// Per written value (the label in the system's native name).
    pub labels: Vec<LabelAgreement>,
}

/// One written value's figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LabelAgreement {
    /// The value written.
    pub label: String,
    /// How often it was written.
    pub written: u64,
    /// How often an agent changed it.
    pub corrected: u64,
    /// Shadow only: how often an agent set the same value.
    pub agreed: u64,
    /// As [`FieldAgreement::agreement`].
    pub agreement: Option<f64>,
}

fn rate(shadow: bool, written: u64, corrected: u64, agreed: u64) -> Option<f64> {
    if shadow {
        let settled = agreed + corrected;
        (settled > 0).then(|| agreed as f64 / settled as f64)
    } else {
        (written > 0).then(|| 1.0 - corrected as f64 / written as f64)
    }
}

/// The report for `pipeline` over the `window` before `now`.
pub async fn report(
    store: &dyn StateStore,
    pipeline: &str,
    window: Duration,
    now: DateTime<Utc>,
) -> Result<AgreementReport, StateError> {
    let since = now - chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let mut report = AgreementReport {
        since,
        live: BTreeMap::new(),
        shadow: BTreeMap::new(),
    };
    for row in store.agreement(pipeline, since).await? {
        let mode = if row.shadow {
            &mut report.shadow
        } else {
            &mut report.live
        };
        let field = mode.entry(row.field.clone()).or_default();
        field.written += row.written;
        field.corrected += row.corrected;
        field.agreed += row.agreed;
        field.labels.push(LabelAgreement {
            label: row.value,
            written: row.written,
            corrected: row.corrected,
            agreed: row.agreed,
            agreement: rate(row.shadow, row.written, row.corrected, row.agreed),
        });
    }
    for (shadow, mode) in [(false, &mut report.live), (true, &mut report.shadow)] {
        for field in mode.values_mut() {
            field.agreement = rate(shadow, field.written, field.corrected, field.agreed);
        }
    }
    Ok(report)
}
