#!/usr/bin/env bash
# jwgd's log in systemd's journal, against a real journald: the test re-runs itself in private
# mount and network namespaces with a tmpfs on /run and its own systemd-journald there (nothing of
# the host's /run, journal or network is touched), then checks, reading the journal back with
# journalctl -o json:
#  * a service (its output a journal stream, JOURNAL_STREAM naming it, as systemd runs units):
#    the backgrounded jwgd's errors land with PRIORITY=3 under the service's identifier, without
#    LOG_LEVEL; with LOG_LEVEL=verbose its debug lines with PRIORITY=7; 
#  * jwgd started from a shell, no LOG_LEVEL: errors still reach the journal, as "jwgd";
#  * a malformed private key sent over UAPI is refused without any of it reaching the log;
#  * with no journald, a background jwgd without LOG_LEVEL writes nothing (as wireguard-go).
E2E_PREFIX="${E2E_PREFIX:-wj}"
if [ -z "${JWG_JOURNAL_INNER:-}" ]; then
    command -v systemd-cat >/dev/null && command -v journalctl >/dev/null && [ -x /lib/systemd/systemd-journald ] \
        || { echo "t-journal: needs systemd-journald, systemd-cat and journalctl (package systemd)" >&2; exit 1; }
    E2E_ROOT="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
    "$E2E_ROOT/bin/jwg" --version >/dev/null || { echo "e2e: jwg does not build" >&2; exit 1; }
    exec env JWG_JOURNAL_INNER=1 JWG_NO_BUILD=1 unshare --mount --net --propagation private bash "$(readlink -f "$0")"
fi
mount -t tmpfs "${E2E_PREFIX}-run" /run || { echo "t-journal: cannot mount a private /run" >&2; exit 1; }
mkdir -p /run/systemd/journal /run/log/journal /run/wireguard
ip link set lo up
source "$(dirname "$(readlink -f "$0")")/lib.sh"
T="$(mktemp -d /tmp/jwg-journal.XXXXXX)"
JOURNALD=""
PIDS=()
finish_up() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    [ -n "$JOURNALD" ] && kill "$JOURNALD" 2>/dev/null
    rm -rf "$T"
}
trap finish_up EXIT
TAG="$(run_tag "${E2E_PREFIX}")"
S="${E2E_PREFIX}s$TAG" V="${E2E_PREFIX}v$TAG" I="${E2E_PREFIX}i$TAG" N="${E2E_PREFIX}n$TAG"

/lib/systemd/systemd-journald >"$T/journald.log" 2>&1 &
JOURNALD=$!
check "journald listens" wait_for 20 test -S /run/systemd/journal/stdout

# entries FIELD=VALUE: the journal's JSON entries matching a field
entries() { journalctl -D /run/log/journal -o json --no-pager "$@" 2>/dev/null; }
# has IDENTIFIER PRIORITY TEXT: an entry of IDENTIFIER at PRIORITY whose message contains TEXT
has() {
    entries "SYSLOG_IDENTIFIER=$1" | python3 -c '
import json, sys
ident, prio, text = sys.argv[1:4]
for line in sys.stdin:
    e = json.loads(line)
    m = e.get("MESSAGE")
    if isinstance(m, list):
        m = bytes(m).decode("utf-8", "replace")
    if e.get("PRIORITY") == prio and text in (m or ""):
        sys.exit(0)
sys.exit(1)' "$1" "$2" "$3"
}
bogus() { printf 'bogus_operation=1\n\n' | socat -t 2 - "UNIX-CONNECT:/var/run/wireguard/$1.sock" >/dev/null 2>&1; true; }
pid_of() { daemon_pid "$1"; }

# 1. As a systemd service: the output is a journal stream and JOURNAL_STREAM names it.
service() { # service IDENTIFIER IFNAME [ENV...]
    local id="$1" ifn="$2"
    shift 2
    systemd-cat -t "$id" env "$@" bash -c 'export JOURNAL_STREAM="$(stat -L -c %d:%i /proc/$$/fd/1)"; exec "$0" "$1"' \
        "$JWGD" "$ifn"
}
check "jwgd starts as a service would run it" service opsvc-e "$S"
PIDS+=("$(pid_of "$S")")
bogus "$S"
check "an error reaches the journal at priority 3 without LOG_LEVEL" wait_for 20 has opsvc-e 3 "ERROR: ($S) invalid UAPI operation"
check "no time stamp in journal lines (the journal keeps its own)" sh -c "! journalctl -D /run/log/journal -o cat SYSLOG_IDENTIFIER=opsvc-e | grep -Eq '[0-9]{4}/[0-9]{2}/[0-9]{2}'"
check "no debug line without LOG_LEVEL=verbose" sh -c "! journalctl -D /run/log/journal -o cat SYSLOG_IDENTIFIER=opsvc-e | grep -q DEBUG"

check "jwgd starts as a service with LOG_LEVEL=verbose" service opsvc-v "$V" LOG_LEVEL=verbose
PIDS+=("$(pid_of "$V")")
check "debug lines reach the journal at priority 7" wait_for 20 has opsvc-v 7 "DEBUG: ($V) Device started"
key="$(wg genkey | base64 -d | od -An -tx1 | tr -d ' \n')"
printf 'set=1\nprivate_key=%s\n\n' "${key:0:63}" | socat -t 2 - "UNIX-CONNECT:/var/run/wireguard/$V.sock" >"$T/answer" 2>&1
check_eq "a malformed private key is refused" "errno=-22" "$(head -n 1 "$T/answer")"
check "the refusal is logged" wait_for 20 has opsvc-v 3 "invalid private_key"
check "no part of the key reaches the journal" sh -c "! journalctl -D /run/log/journal -o cat | grep -qF '${key:8:24}'"

# 2. From a shell, no LOG_LEVEL, journald running: errors go to the journal as "jwgd".
check "jwgd starts from a shell" sh -c "'$JWGD' '$I' >'$T/shell.out' 2>&1 </dev/null"
PIDS+=("$(pid_of "$I")")
bogus "$I"
check "its errors reach the journal as jwgd" wait_for 20 has jwgd 3 "ERROR: ($I) invalid UAPI operation"
check "and nothing is written to the terminal" test ! -s "$T/shell.out"

# 3. No journald: as wireguard-go, a background jwgd without LOG_LEVEL writes nowhere.
kill "$JOURNALD"
wait "$JOURNALD" 2>/dev/null
JOURNALD=""
rm -f /run/systemd/journal/stdout /run/systemd/journal/socket
check "jwgd starts without a journal" sh -c "'$JWGD' '$N' >'$T/none.out' 2>&1 </dev/null"
PIDS+=("$(pid_of "$N")")
bogus "$N"
check "the daemon lives on and answers" sh -c "printf 'get=1\n\n' | socat -t 2 - UNIX-CONNECT:/var/run/wireguard/$N.sock | grep -q errno=0"
check "nothing is written to the terminal" test ! -s "$T/none.out"
finish
