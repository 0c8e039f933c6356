//! The integration tests in one binary, so that wasmtime, ONNX Runtime and the simulators
//! are linked once (as wasmtime's own `tests/all/main.rs`). One module a suite; run one
//! with `cargo test -p triage-tests --test all -- SUITE::`. Suites that capture the
//! process's log (one global subscriber, one filter a process) live in `tests/logged`
//! (trace) and `tests/output` (info, the level output budgets are charged at).

mod conformance_freshdesk;
mod conformance_gitlab;
mod conformance_otobo;
mod conformance_redmine;
mod conformance_redmine_real;
mod conformance_rt;
mod conformance_zammad;
mod conformance_zendesk;
mod pipeline_drain;
mod sandbox;
mod sandbox_budget;
mod service_e2e;
