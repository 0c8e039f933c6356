//! Suites that read the log at trace level (secrets must not reach it, planted cache files
//! are warned about): one binary, one process-wide capture (`triage_tests::capture`).

/// The capture's filter for every suite of this binary.
const LOG_FILTER: &str =
    "triage_gateway=trace,triage_host=trace,triage_service=trace,triage_config=trace";

mod sandbox_cache;
mod sandbox_gateway;
