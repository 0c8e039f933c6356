#!/usr/bin/env bash
# Installs Request Tracker 5 from Debian (SQLite backend, standalone Starlet server) and
# builds the template database the RT conformance tests copy for each server they start
# (tests/support/rt.rs). Needs root (or sudo) for apt and for /var/lib/triage-rt.
#
# The template holds RT's initial data plus what the tests need:
# - queues named like the generator's (runtime/sim: Technical Support, ... General Inquiry);
# - ticket custom fields on every queue: "Triage Category" (free text), "Language"
#   (select: en, de) and "Order Number" (six digits, so RT itself refuses "abc");
# - users: `triage` (the adapter's login, with only the ticket rights it needs),
#   `onlooker` (privileged, no rights: for 403 checks) and RT's own `root`, all with the
#   password `triage-rt-test`, except root's, which stays RT's default `password`.
# Passwords are hashed with bcrypt cost 4 instead of RT's 12, so the tests do not spend
# ~0.2 s of CPU on every Basic-authenticated request; the test servers set the same cost.
#
# Idempotent and quiet: a second run does nothing unless this script changed.
# Where: $TRIAGE_RT_HOME, default /var/lib/triage-rt (the tests look there too).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/apt.sh"

RT_SERVER=/usr/share/request-tracker5/libexec/rt-server
RT_HOME="${TRIAGE_RT_HOME:-/var/lib/triage-rt}"
PACKAGES=(request-tracker5 rt5-db-sqlite rt5-standalone nullmailer)

sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"

installed() {
    [[ -x $RT_SERVER ]] || return 1
    local p
    for p in rt5-db-sqlite rt5-standalone; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || return 1
    done
}

if ! installed; then
    apt_install setup-rt "Request Tracker 5" "${PACKAGES[@]}"
fi

stamp=$(sha256sum "$0" | cut -d' ' -f1)
if [[ -f $RT_HOME/template.sqlite && "$(cat "$RT_HOME/template.stamp" 2>/dev/null)" == "$stamp" ]]; then
    exit 0
fi

$sudo mkdir -p "$RT_HOME"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site.d"

cat >"$work/site.pm" <<EOF
Set(\$rtname, 'triage-test');
Set(\$Organization, 'triage.test');
Set(\$DatabaseType, 'SQLite');
Set(\$DatabaseName, '$work/template.sqlite');
Set(\$BcryptCost, 4);
Set(\$LogToSyslog, undef);
Set(\$LogToSTDERR, 'error');
Set(\$Timezone, 'UTC');
1;
EOF

cat >"$work/initialdata.pl" <<'EOF'
@Users = (
    { Name => 'triage', Password => 'triage-rt-test', EmailAddress => 'triage@triage.test',
      RealName => 'triage adapter', Privileged => 1 },
    { Name => 'onlooker', Password => 'triage-rt-test', EmailAddress => 'onlooker@triage.test',
      RealName => 'no ticket rights', Privileged => 1 },
);
@Queues = map { { Name => $_, Description => 'triage test queue',
                  CorrespondAddress => '', CommentAddress => '' } } (
    'Technical Support', 'Product Support', 'Customer Service', 'IT Support',
    'Billing and Payments', 'Returns and Exchanges', 'Service Outages and Maintenance',
    'Sales and Pre-Sales', 'Human Resources', 'General Inquiry',
);
@CustomFields = (
    { Name => 'Triage Category', Type => 'FreeformSingle', LookupType => 'RT::Queue-RT::Ticket',
      ApplyTo => 0, Description => 'set by triage' },
    { Name => 'Language', Type => 'SelectSingle', LookupType => 'RT::Queue-RT::Ticket',
      ApplyTo => 0, Description => 'the customer language',
      Values => [ { Name => 'en', SortOrder => 1 }, { Name => 'de', SortOrder => 2 } ] },
    { Name => 'Order Number', Type => 'FreeformSingle', LookupType => 'RT::Queue-RT::Ticket',
      ApplyTo => 0, Description => 'six digits', Pattern => '(?#six digits)^\d{6}$' },
);
# What the adapter's login needs, granted globally: read, change, comment. CreateTicket
# only because the tests seed tickets through the same login.
@ACL = map { { UserId => 'triage', Right => $_ } } qw(
    SeeQueue ShowTicket ShowTicketComments ModifyTicket CommentOnTicket CreateTicket
    SeeCustomField ModifyCustomField
);
1;
EOF

run_setup() {
    RT_SITE_CONFIG="$work/site.pm" RT_SITE_CONFIG_DIR="$work/site.d" \
        /usr/sbin/rt-setup-database --skip-create "$@" >>"$work/setup.log" 2>&1
}
if ! run_setup --action init || ! run_setup --action insert --datafile "$work/initialdata.pl"; then
    cat "$work/setup.log" >&2
    echo "setup-rt: building the RT template database failed" >&2
    exit 1
fi
if grep -qiE '\[(error|critical)\]' "$work/setup.log"; then
    cat "$work/setup.log" >&2
    echo "setup-rt: RT reported errors while inserting the test data" >&2
    exit 1
fi

$sudo install -m 0644 "$work/template.sqlite" "$RT_HOME/template.sqlite"
echo "$stamp" | $sudo tee "$RT_HOME/template.stamp" >/dev/null
