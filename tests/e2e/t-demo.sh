#!/usr/bin/env bash
# 'jwg demo', the README quick start's first command: a full run exits 0 within 45 s with every
# step shown and leaves nothing behind (namespaces, links, daemons, sockets, key directory); it
# removes leftovers of an earlier run first; a second demo at the same time is refused; Ctrl-C
# (SIGINT) and SIGTERM in the middle, and a failing step, also leave nothing behind; without root
# it explains and exits 1.
E2E_PREFIX="${E2E_PREFIX:-wd}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"

T="$(mktemp -d /tmp/jwg-wd.XXXXXX)"
DEMO_PID=""
trap '[ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT

# nothing_left: no namespace, socket, daemon, root-namespace link or key directory of the demo
nothing_left() {
    local what=""
    ip netns list 2>/dev/null | grep -q '^jwg-demo-' && what+=" namespaces"
    ls /var/run/wireguard 2>/dev/null | grep -q '^jwgdemo' && what+=" sockets"
    pgrep -f '(JwgdMain -f|wireguard-go|iperf3 -s -1 -B) ' -a 2>/dev/null | grep -qE 'jwgdemo|10\.227\.0\.' && what+=" processes"
    ip -o link 2>/dev/null | grep -q 'jwgdemo' && what+=" links"
    [ "$(ls -d /tmp/jwg-demo-* 2>/dev/null | wc -l)" -gt "$TMP_BEFORE" ] && what+=" key-directory"
    [ -z "$what" ] || { echo "left behind:$what"; return 1; }
}
# start_demo LOG [env...]: the demo in the background with SIGINT at its default (a background job
# of a script would otherwise ignore it, unlike a demo run in a terminal)
start_demo() {
    local log="$1"; shift
    env --default-signal=INT "$@" "$JWG" demo >"$log" 2>&1 &
    DEMO_PID=$!
}
wait_output() { wait_for "$2" grep -q "$1" "$3" >/dev/null; }
wait_exit() { # PID TIMEOUT: sets RC
    local end=$((SECONDS + $2))
    while kill -0 "$1" 2>/dev/null && [ $SECONDS -lt $end ]; do sleep 0.2; done
    wait "$1" 2>/dev/null
    RC=$?
}

# The demo's names are fixed (jwg-demo-*, jwgdemo*) and it allows one run per machine: copies of
# this suite running at once (a CI clone and a worktree) take turns here.
exec 9>/run/jwg-e2e-demo.lock
flock -w 600 9 || { not_ok "waited 10 min for another t-demo.sh to finish"; finish; exit 1; }
TMP_BEFORE="$(ls -d /tmp/jwg-demo-* 2>/dev/null | wc -l)"
if ip netns list 2>/dev/null | grep -q '^jwg-demo-' || ls /var/run/wireguard 2>/dev/null | grep -q '^jwgdemo'; then
    echo "# another jwg demo seems to be running; waiting up to 60 s"
    wait_for 60 nothing_left >/dev/null
fi

echo "# --- without root"
if setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$JWG"; then
    out="$(cd /tmp && setpriv --reuid=65534 --regid=65534 --clear-groups env JWG_NO_BUILD=1 "$JWG" demo 2>&1)"
    rc=$?
    check_eq "as nobody: exit 1" "1" "$rc"
    check "as nobody: says it needs root and how to run it" grep -q 'needs root.*' <<<"$out"
    check "as nobody: created nothing" nothing_left
else
    # e.g. a checkout below a mode-0700 directory (mktemp -d): nobody cannot reach bin/jwg at all
    echo "# skipped: user nobody cannot execute $JWG (a parent directory is not searchable)"
fi

echo "# --- a full run (with a leftover namespace from an 'earlier run')"
ip netns add jwg-demo-b
start=$SECONDS
start_demo "$T/full.log"
# while it runs: a second demo is refused
wait_output 'Step 3 of' 30 "$T/full.log"
out="$("$JWG" demo 2>&1)"; rc=$?
check_eq "a second demo at the same time: exit 1" "1" "$rc"
check "a second demo at the same time: says another one is running" grep -q 'Another jwg demo is running' <<<"$out"
wait_exit "$DEMO_PID" 90
DEMO_PID=""
took=$((SECONDS - start))
check_eq "jwg demo exits 0" "0" "$RC"
check "jwg demo takes at most 45 s (took ${took} s)" test "$took" -le 45
check "it removed the leftover first" grep -q 'An earlier demo left things behind' "$T/full.log"
check "it checked the prerequisites" grep -q '^Checked: running as root; ip present; /dev/net/tun present' "$T/full.log"
for s in 'Three "hosts" joined' 'Keys' 'Start jwgd in A and in B' 'Configure the tunnel' 'Ping through the tunnel' 'What jwg show says'; do
    check "a step: $s" bash -c "grep '^== Step [0-9] of [0-9]: ' $T/full.log | grep -qF '$s'"
done
check "it shows the commands it runs, like wg-quick" grep -q '^\[#\] ip netns exec jwg-demo-a .*/bin/jwgd jwgdemo0$' "$T/full.log"
check "it configures with jwg set" grep -q '^\[#\] .*/bin/jwg set jwgdemo0 private-key ' "$T/full.log"
check "ping replies through the tunnel are shown" grep -q '64 bytes from 10.227.0.2' "$T/full.log"
check "IPv6 too" grep -q '64 bytes from fd00:227::2' "$T/full.log"
check "the wg show output is shown, with a handshake" grep -q 'latest handshake:' "$T/full.log"
if command -v wireguard-go >/dev/null; then
    check "jwgd <-> wireguard-go step ran" grep -q '64 bytes from 10.227.0.1' "$T/full.log"
    check "jwgd learned wireguard-go's endpoint" grep -q 'endpoint: 192.168.228.2:51822' "$T/full.log"
fi
if command -v iperf3 >/dev/null; then
    check "iperf3 throughput printed ($(grep -o '=> [0-9]* Mbit/s' "$T/full.log"))" grep -q '=> [0-9]* Mbit/s through jwgd' "$T/full.log"
fi
check "it says it cleaned up" grep -q 'Nothing left behind' "$T/full.log"
check "nothing left behind after a full run" nothing_left
if [ "$RC" != 0 ]; then sed 's/^/    # /' "$T/full.log" | tail -n 40; fi

echo "# --- interrupted"
for sig in INT TERM; do
    start_demo "$T/$sig.log"
    wait_output 'Step 5 of' 60 "$T/$sig.log"
    kill -"$sig" "$DEMO_PID"
    wait_exit "$DEMO_PID" 30
    DEMO_PID=""
    check "SIG$sig during the pings: the demo stops (exit $RC)" test "$RC" -ne 0
    check "SIG$sig: it says so and cleans up" bash -c "grep -q 'Interrupted' $T/$sig.log && grep -q 'Nothing left behind' $T/$sig.log"
    check "SIG$sig: nothing left behind" nothing_left
done

echo "# --- a failing step"
mkdir -p "$T/bin"
printf '#!/bin/sh\necho "wireguard-go: simulated failure" >&2\nexit 1\n' >"$T/bin/wireguard-go"
chmod +x "$T/bin/wireguard-go"
start_demo "$T/fail.log" PATH="$T/bin:$PATH"
wait_exit "$DEMO_PID" 90
DEMO_PID=""
check_eq "a failing step: exit 1" "1" "$RC"
check "a failing step: it names the command and shows its output" \
    bash -c "grep -q 'FAILED: ip netns exec jwg-demo-c wireguard-go jwgdemo2 failed' $T/fail.log && grep -q 'simulated failure' $T/fail.log"
check "a failing step: it cleans up" grep -q 'Nothing left behind' "$T/fail.log"
check "a failing step: nothing left behind" nothing_left

finish
