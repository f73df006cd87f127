# Shared helpers for jwg's end-to-end tests: network namespaces joined by veth pairs, daemons
# (jwgd or wireguard-go) started inside them, and TAP-like checks. Sourced by each t-*.sh.
# Everything a test creates is named with $E2E_PREFIX and removed on exit, also on failure.

set -uo pipefail
E2E_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
JWGD="$E2E_ROOT/bin/jwgd"
JWG="$E2E_ROOT/bin/jwg"
E2E_PREFIX="${E2E_PREFIX:-jwge2e}"
# Build once (if sources changed) before any daemon starts, then never check again: replacing the
# jar running daemons use would break them, and JWG_NO_BUILD spares every start the check.
if [ -z "${JWG_NO_BUILD:-}" ]; then
    "$E2E_ROOT/bin/jwg" build || { echo "e2e: jwg does not build" >&2; exit 1; }
    export JWG_NO_BUILD=1
fi
E2E_LOGS="${E2E_LOGS:-/tmp/jwg-e2e-logs}"
mkdir -p "$E2E_LOGS"
PASSED=0
FAILED=0
NAMESPACES=()
INTERFACES=()

ok() { PASSED=$((PASSED + 1)); echo "ok - $*"; }
not_ok() { FAILED=$((FAILED + 1)); echo "not ok - $*"; }

# check "description" command...: passes when the command succeeds.
check() {
    local what="$1"
    shift
    local out
    if out="$("$@" 2>&1)"; then
        ok "$what"
    else
        not_ok "$what"
        echo "$out" | sed 's/^/    # /' | tail -n 20
    fi
}

# check_eq "description" expected actual
check_eq() {
    if [ "$2" == "$3" ]; then
        ok "$1"
    else
        not_ok "$1"
        echo "    # expected: $(printf '%q' "$2")"
        echo "    #   actual: $(printf '%q' "$3")"
    fi
}

# nsx NS command...: run in a namespace
nsx() { local ns="$1"; shift; ip netns exec "$ns" "$@"; }

netns_add() {
    local ns="$1"
    ip netns del "$ns" 2>/dev/null || true
    ip netns add "$ns"
    NAMESPACES+=("$ns")
    nsx "$ns" ip link set lo up
    nsx "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0
}

# veth NS1 IF1 NS2 IF2: a veth pair between two namespaces, up.
veth() {
    ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
    nsx "$1" ip link set "$2" up
    nsx "$3" ip link set "$4" up
}

# start_daemon IMPL NS IFNAME: IMPL is jwgd or wireguard-go; the TUN appears in NS.
start_daemon() {
    local impl="$1" ns="$2" ifname="$3"
    INTERFACES+=("$ns:$ifname")
    rm -f "/var/run/wireguard/$ifname.sock"
    case "$impl" in
        jwgd) LOG_LEVEL="${E2E_LOG_LEVEL:-error}" nsx "$ns" "$JWGD" "$ifname" >>"$E2E_LOGS/$ifname.log" 2>&1 ;;
        wireguard-go) nsx "$ns" env -u WG_PROCESS_FOREGROUND wireguard-go "$ifname" >/dev/null 2>&1 ;;
        *) echo "unknown implementation $impl" >&2; return 1 ;;
    esac
}

# run_tag PREFIX...: three hex digits for this run's interface and namespace names, chosen so that
# no /var/run/wireguard/PREFIX<tag>*.sock exists yet. The socket directory is shared by all
# namespaces, so two copies of the suite running at once (a CI clone and a worktree) must not
# pick the same names.
run_tag() {
    local tag p taken
    for _ in $(seq 1 50); do
        tag="$(od -An -N2 -tx2 /dev/urandom | tr -d ' \n' | cut -c1-3)"
        taken=""
        for p in "$@"; do
            compgen -G "/var/run/wireguard/$p$tag*.sock" >/dev/null && taken=1
        done
        [ -z "$taken" ] && break
    done
    echo "$tag"
}

# wg_key: a fresh private key
wg_key() { wg genkey; }
pub_of() { echo "$1" | wg pubkey; }

# wait_for timeout_s command...: retry until the command succeeds, then return at once. The
# timeout only bounds how long a failing check takes to report, so it is never shorter than
# E2E_MIN_WAIT (20 s): a loaded CI machine must not turn a slow success into a failure.
wait_for() {
    local timeout="$1"
    shift
    [ "$timeout" -ge "${E2E_MIN_WAIT:-20}" ] || timeout="${E2E_MIN_WAIT:-20}"
    local end=$((SECONDS + timeout))
    while [ $SECONDS -lt $end ]; do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    "$@"
}

daemon_pid() { # the pid of the daemon serving interface IF (jwgd or wireguard-go)
    pgrep -f -- "(JwgdMain -f|wireguard-go) $1\$" | head -n 1
}

cleanup() {
    local entry
    for entry in "${INTERFACES[@]}"; do
        ip netns exec "${entry%%:*}" ip link del "${entry#*:}" 2>/dev/null || true
    done
    for ns in "${NAMESPACES[@]}"; do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
        ip netns del "$ns" 2>/dev/null || true
    done
    sleep 0.3
    for entry in "${INTERFACES[@]}"; do
        local pid
        pid="$(daemon_pid "${entry#*:}")"
        [ -n "$pid" ] && kill "$pid" 2>/dev/null
        rm -f "/var/run/wireguard/${entry#*:}.sock"
    done
}
trap cleanup EXIT

finish() {
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}
