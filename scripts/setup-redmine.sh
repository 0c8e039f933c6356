#!/usr/bin/env bash
# Installs Redmine from Debian (`redmine` 5.0 with `redmine-sqlite`, Rails 6.1) and builds
# the template database the tests against a real Redmine copy for each server they start
# (tests/support/redmine_real.rs). Needs root (or sudo) for apt and for the template's
# directory.
#
# The template is Redmine's schema and English default data plus what the tests need,
# mirroring the simulator's instance (scripts/redmine-template.rb has the details): the
# REST API enabled and login required, the inbox project `helpdesk` with a category per
# queue, a private project per queue, the generator's issue custom fields, and the API keys
# of `admin` and `onlooker`. scripts/redmine-app.rb boots Redmine from /usr/share/redmine on
# a directory of its own (Debian's default instance is not touched) to build it, and the
# tests use the same launcher to serve it (WEBrick, which ruby-webrick brings along).
#
# Idempotent and quiet: a second run does nothing unless this script, the launcher or the
# template data changed. Where: $TRIAGE_REDMINE_HOME, default /var/lib/triage-redmine (the
# tests look there too).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"
cd "$(dirname "$0")"

REDMINE_ROOT=/usr/share/redmine
REDMINE_HOME="${TRIAGE_REDMINE_HOME:-/var/lib/triage-redmine}"
PACKAGES=(redmine redmine-sqlite ruby-webrick)

sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"

installed() {
    [[ -f $REDMINE_ROOT/config/application.rb ]] || return 1
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
}

if ! installed; then
    apt_install setup-redmine "Redmine" "${PACKAGES[@]}"
fi

stamp=$(cat setup-redmine.sh redmine-app.rb redmine-template.rb | sha256sum | cut -d' ' -f1)
if [[ -f $REDMINE_HOME/template.sqlite && "$(cat "$REDMINE_HOME/template.stamp" 2>/dev/null)" == "$stamp" ]]; then
    exit 0
fi

# On tmpfs where there is one: the ~300 migrations each commit to SQLite.
work=$(mktemp -d -p "$( [[ -d /dev/shm && -w /dev/shm ]] && echo /dev/shm || echo "${TMPDIR:-/tmp}")")
trap 'rm -rf "$work"' EXIT
if ! ruby redmine-app.rb setup "$work" >"$work/setup.out" 2>&1; then
    cat "$work/setup.out" >&2
    echo "setup-redmine: building the Redmine template database failed" >&2
    exit 1
fi
$sudo mkdir -p "$REDMINE_HOME"
$sudo install -m 0644 "$work/redmine.sqlite" "$REDMINE_HOME/template.sqlite"
echo "$stamp" | $sudo tee "$REDMINE_HOME/template.stamp" >/dev/null
