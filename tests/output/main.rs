//! Suites whose adapters' output is charged at the level the service logs at (info, as
//! `triage serve` by default): one binary, one process-wide capture (`triage_tests::capture`).

/// The capture's filter for every suite of this binary.
const LOG_FILTER: &str = "info";

/// Tests of this binary run one at a time: each reads the log written since it started,
/// which another test's adapters would add to.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

mod sandbox_output;
mod sandbox_service;
