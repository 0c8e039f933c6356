#!/usr/bin/env bash
# The project's test command: builds the adapters the tests load, then runs every
# test in the workspace. Requires scripts/setup.sh to have run once.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo xtask adapters
(cd adapters && cargo test --workspace --lib)
cargo test --workspace "$@"
# The RT adapter against a real RT 5 server (tests/all/conformance_rt.rs, ignored by default):
# run when RT is installed here, and required where TRIAGE_RT=required (CI), so that a
# missing RT fails loudly instead of skipping. scripts/setup-rt.sh sets RT up.
if [[ -x "${TRIAGE_RT_SERVER:-/usr/share/request-tracker5/libexec/rt-server}" \
    || "${TRIAGE_RT:-}" == required ]]; then
    cargo test --workspace --test all -- --ignored conformance_rt::
fi
# The Python Redmine adapter against a real Redmine 5.0 (tests/all/conformance_redmine_real.rs,
# ignored by default): run when Redmine is set up here, and required where
# TRIAGE_REDMINE=required (CI). scripts/setup-redmine.sh sets Redmine up.
if [[ -f "${TRIAGE_REDMINE_HOME:-/var/lib/triage-redmine}/template.sqlite" \
    || "${TRIAGE_REDMINE:-}" == required ]]; then
    cargo test --workspace --test all -- --ignored conformance_redmine_real::
fi
