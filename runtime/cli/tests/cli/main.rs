//! The `triage` binary run as a user runs it, in one test binary (one link of its
//! dependencies). One module a suite; run one with `cargo test -p triage-cli --test cli -- SUITE::`.

mod check_expect;
mod config_check;
mod demo_systems;
mod serve_process;
mod train_history;
