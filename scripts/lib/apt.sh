# Sourced by the setup-*.sh scripts: install Debian packages quietly, showing apt's output
# only when it fails. Usage: apt_install WHO DESCRIPTION PACKAGE...
apt_install() {
    local who=$1 what=$2
    shift 2
    local sudo=""
    [[ $(id -u) -eq 0 ]] || sudo="sudo"
    if ! command -v apt-get >/dev/null; then
        echo "$who: install $what ($*) with your package manager" >&2
        exit 1
    fi
    local log
    log=$(mktemp)
    if ! { $sudo apt-get update -qq \
        && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"; } \
        >"$log" 2>&1; then
        cat "$log" >&2
        echo "$who: installing $* failed" >&2
        exit 1
    fi
    rm -f "$log"
}
