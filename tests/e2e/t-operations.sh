#!/usr/bin/env bash
# What an operator meets (issue 13), each against wireguard-go too where it applies:
#  * a control-socket client that stalls mid-request blocks no other client (jwgd), and how long
#    wireguard-go keeps the next `wg set` waiting;
#  * bin/jwgd logs to whatever its standard output is: a socket (what systemd's journal gives a
#    service), a file opened for appending (appended, not overwritten), a pipe; it starts with any
#    LOG_LEVEL;
#  * `jwg show` as a user who is not root says what `wg show` says, with the same exit status;
#  * `jwg up` after the daemon was killed with SIGKILL brings the interface up again, undoing what
#    the dead instance left first; a state left in a namespace that was deleted blocks nothing.
# Runs in a private mount namespace with its own /var/run/wireguard, so that "show all" lists only
# this test's interfaces, whatever other daemons run on the machine.
if [ -z "${OP_PRIVATE_MOUNTS:-}" ]; then
    exec env OP_PRIVATE_MOUNTS=1 unshare -m --propagation private bash "$(readlink -f "$0")" "$@"
fi
E2E_PREFIX="${E2E_PREFIX:-op}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"
mkdir -p /var/run/wireguard
mount -t tmpfs -o mode=0755 tmpfs /var/run/wireguard

TAG="$(run_tag "$E2E_PREFIX")"
NS="${E2E_PREFIX}-ops-$TAG"
T="$(mktemp -d /tmp/jwg-ops.XXXXXX)"
chmod 755 "$T"
BGPIDS=()
trap 'for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; done; cleanup; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
netns_add "$NS"
J="${E2E_PREFIX}${TAG}j" G="${E2E_PREFIX}${TAG}g"
start_daemon jwgd "$NS" "$J"
start_daemon wireguard-go "$NS" "$G"
wg_key >"$T/key"

echo "# --- a control-socket client stalled mid-request"
for ifn in "$J" "$G"; do
    impl="$([ "$ifn" = "$J" ] && echo jwgd || echo wireguard-go)"
    perl -MIO::Socket::UNIX -e '$| = 1; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!";
        syswrite($s, "set=1\nlisten_port="); print "stalled\n"; sleep 20' "/var/run/wireguard/$ifn.sock" >"$T/stall.$ifn" 2>&1 &
    BGPIDS+=($!)
    wait_for 10 grep -q stalled "$T/stall.$ifn" >/dev/null
    start=$(date +%s%N)
    timeout 15 wg set "$ifn" listen-port 51931 private-key "$T/key"; rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "    # $impl: wg set while another client stalls mid-request: exit $rc after $ms ms"
    if [ "$impl" = jwgd ]; then
        check_eq "jwgd: wg set succeeds while another client stalls mid-request" 0 "$rc"
        check_eq "jwgd: and it was applied" 51931 "$(wg show "$ifn" listen-port)"
    fi
    kill "${BGPIDS[-1]}" 2>/dev/null
    wg set "$ifn" listen-port 0 2>/dev/null
done

echo "# --- logging: to a socket, a file opened for appending, a pipe; any LOG_LEVEL"
# run_logged KIND LEVEL IF CMD...: starts the daemon with its standard output of the KIND given,
# makes it log (a UAPI error and a bind update), stops it, and prints what was logged
cat >"$T/logged.py" <<'EOF_PY'
import os, socket, subprocess, sys, time
kind, level, ifname, out = sys.argv[1:5]
cmd = sys.argv[5:]
env = dict(os.environ, LOG_LEVEL=level)
if kind == "socket":
    a, b = socket.socketpair()
    rc = subprocess.run(cmd, stdout=b, stderr=b, stdin=subprocess.DEVNULL, env=env).returncode
    b.close()
elif kind == "pipe":
    r, w = os.pipe()
    rc = subprocess.run(cmd, stdout=w, stderr=w, stdin=subprocess.DEVNULL, env=env).returncode
    os.close(w)
else:  # append: the file already holds a line
    with open(out, "a") as f:
        rc = subprocess.run(cmd, stdout=f, stderr=f, stdin=subprocess.DEVNULL, env=env).returncode
print("exit", rc, flush=True)
if rc == 0:
    sock = "/var/run/wireguard/%s.sock" % ifname
    for req in (b"set=1\nlisten_port=abc\n\n", b"set=1\nlisten_port=51932\n\n"):
        s = socket.socket(socket.AF_UNIX); s.connect(sock); s.sendall(req); s.recv(100); s.close()
    s = socket.socket(socket.AF_UNIX); s.connect(sock); s.sendall(b"get=1\n\n"); s.recv(4096); s.close()
    time.sleep(0.5)
    os.unlink(sock)  # the daemon exits when its socket goes
if kind == "socket":
    a.settimeout(10)
    data = b""
    try:
        while True:
            d = a.recv(65536)
            if not d: break
            data += d
    except socket.timeout:
        pass
    open(out, "wb").write(data)
elif kind == "pipe":
    data = b""
    deadline = time.time() + 10
    while time.time() < deadline:
        import select
        if select.select([r], [], [], max(0, deadline - time.time()))[0]:
            d = os.read(r, 65536)
            if not d: break
            data += d
    open(out, "wb").write(data)
EOF_PY
for impl in jwgd wireguard-go; do
    for kind in socket append pipe; do
        ifn="${E2E_PREFIX}${TAG}l${kind:0:1}${impl:0:1}"
        INTERFACES+=("$NS:$ifn")
        echo "a line that was there before" >"$T/log.$ifn"
        if [ "$impl" = jwgd ]; then cmd=(ip netns exec "$NS" "$JWGD" "$ifn"); else cmd=(ip netns exec "$NS" env -u WG_PROCESS_FOREGROUND wireguard-go "$ifn"); fi
        res="$(python3 "$T/logged.py" "$kind" verbose "$ifn" "$T/log.$ifn" "${cmd[@]}")"
        wait_for 10 bash -c "! ip netns exec $NS ip link show $ifn" >/dev/null
        check_eq "$impl, stdout a $kind, LOG_LEVEL=verbose: starts (exit 0)" "exit 0" "$res"
        check "$impl, stdout a $kind: the UAPI error is logged" grep -qa "^ERROR: ($ifn) " "$T/log.$ifn"
        check "$impl, stdout a $kind: debug lines are logged" grep -qa "^DEBUG: ($ifn) " "$T/log.$ifn"
        if [ "$kind" = append ]; then
            check_eq "$impl, appended file: the earlier line is still the first" "a line that was there before" "$(head -n 1 "$T/log.$ifn")"
        fi
        if [ "$kind" = append ] && [ "$impl" = jwgd ]; then
            check "$impl, appended file: every line whole (no overwritten start)" \
                bash -c "tail -n +2 '$T/log.$ifn' | grep -qavE '^(DEBUG|ERROR): \\($ifn\\) |^$' && exit 1 || exit 0"
        fi
    done
done
for level in error silent bogus ""; do
    ifn="${E2E_PREFIX}${TAG}v${#level}"
    INTERFACES+=("$NS:$ifn")
    res="$(python3 "$T/logged.py" socket "$level" "$ifn" "$T/lv.$ifn" ip netns exec "$NS" "$JWGD" "$ifn")"
    check_eq "jwgd with stdout a socket and LOG_LEVEL='$level': starts" "exit 0" "$res"
    wait_for 10 bash -c "! ip netns exec $NS ip link show $ifn" >/dev/null
done
# A peer in the log, under the POSIX locale (a service's usual one): peer(AbCd…WxYz) with U+2026.
ifn="${E2E_PREFIX}${TAG}u"
INTERFACES+=("$NS:$ifn")
LC_ALL=C LANG=C LOG_LEVEL=verbose nsx "$NS" "$JWGD" "$ifn" >>"$T/utf8.log" 2>&1
ku="$(wg_key)" kg="$(wg_key)"
# wireguard-go's G initiates a handshake with it: the daemon logs the peer it came from
wg set "$ifn" private-key <(echo "$ku") listen-port 51942 peer "$(pub_of "$kg")" allowed-ips 10.194.0.2/32
wg set "$G" private-key <(echo "$kg") listen-port 51941 peer "$(pub_of "$ku")" endpoint 127.0.0.1:51942 \
    allowed-ips 10.194.0.1/32 persistent-keepalive 1
nsx "$NS" ip link set "$ifn" up
nsx "$NS" ip link set "$G" up
check "LC_ALL=C: the log shows peer(xxxx…yyyy) with U+2026, not '?'" \
    wait_for 15 grep -qaP 'peer\([A-Za-z0-9+/]{4}\x{2026}[A-Za-z0-9+/=]{4}\)' "$T/utf8.log"
nsx "$NS" ip link del "$ifn"

echo "# --- jwg show as a user who is not root (same messages and exit status as wg)"
# reading bin/jwg and the jars needs no root; connecting to a root-owned 0600 socket does
asuser() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+dac_read_search --ambient-caps=+dac_read_search -- "$@"; }
if asuser test -x "$JWG"; then
    for args in "show" "show $J" "show $G" "showconf $J" "showconf $G" "show $J dump" "show all"; do
        w="$(asuser wg $args 2>&1; echo "exit $?")"
        a="$(asuser "$JWG" $args 2>&1; echo "exit $?")"
        check_eq "as nobody: jwg $args = wg $args ($(echo "$w" | tr '\n' '|' | cut -c1-70))" "$w" "$a"
    done
else
    echo "# skipped: setpriv cannot run $JWG as nobody here"
fi

echo "# --- kill -9, then jwg up again"
C="${E2E_PREFIX}-opc-$TAG"
netns_add "$C"
K="${E2E_PREFIX}${TAG}k"
INTERFACES+=("$C:$K")
cat >"$T/$K.conf" <<EOF_CONF
[Interface]
PrivateKey = $(cat "$T/key")
Address = 10.193.0.2/24
[Peer]
PublicKey = $(wg genkey | wg pubkey)
AllowedIPs = 0.0.0.0/0
Endpoint = 192.0.2.1:51820
EOF_CONF
chmod 600 "$T/$K.conf"
rules() { nsx "$C" ip rule | sort; }
rules_before="$(rules)"
nsx "$C" "$JWG" up "$T/$K.conf" >"$T/up1" 2>&1
check "jwg up (full tunnel: policy rules, nft table)" nsx "$C" ip link show "$K"
rules_up="$(rules)"
kill -9 "$(daemon_pid "$K")"
check "kill -9: the interface went with the daemon" wait_for 10 bash -c "! ip netns exec $C ip link show $K"
check "kill -9: its policy rules stayed behind" test "$(rules)" == "$rules_up"
out="$(nsx "$C" "$JWG" up "$T/$K.conf" 2>&1)"; rc=$?
echo "$out" | sed 's/^/    # /' | head -n 8
check_eq "jwg up again: exit 0, no manual step" 0 "$rc"
check "and says it undid what the dead instance left ([!] line)" grep -q '^\[!\] .*remains from a .jwg up. whose daemon is gone' <<<"$out"
check "the interface is up again and its daemon answers" bash -c "ip netns exec $C ip link show $K | grep -q UP && wg show $K >/dev/null"
check_eq "the policy rules are there once, not twice" "$rules_up" "$(rules)"
nsx "$C" "$JWG" down "$K" >/dev/null 2>&1
check_eq "jwg down: the rules are gone" "$rules_before" "$(rules)"

D="${E2E_PREFIX}-opd-$TAG"
netns_add "$D"
nsx "$D" "$JWG" up "$T/$K.conf" >/dev/null 2>&1
kill -9 "$(daemon_pid "$K")"
wait_for 10 bash -c "! ip netns exec $D ip link show $K" >/dev/null
ip netns pids "$D" | xargs -r kill -9 2>/dev/null
ip netns del "$D"
out="$(nsx "$C" "$JWG" up "$T/$K.conf" 2>&1)"; rc=$?
check_eq "a state left in a namespace that was deleted does not block jwg up elsewhere" 0 "$rc"
check "and jwg says so ([!] line)" grep -q '^\[!\] .*network namespace that no longer exists' <<<"$out"
nsx "$C" "$JWG" down "$K" >/dev/null 2>&1
check "jwg down after it: nothing left" bash -c "! ip netns exec $C ip link show $K 2>/dev/null && [ ! -e /run/jwg/$K.state ]"

echo "# --- two jwg up of one interface at once: the second waits for the first, then finds it up"
# The first one's PreUp holds it after its state file exists and before the interface does (the
# moment a second up used to take the half-written state for a stale one and undo it); it goes on
# when the test creates $T/go, after the second one has said it waits.
mkdir -p "$T/hold"
sed "s|^\[Interface\]|[Interface]\nPreUp = while [ ! -e $T/go ]; do sleep 0.1; done|" "$T/$K.conf" >"$T/hold/$K.conf"
chmod 600 "$T/hold/$K.conf"
nsx "$C" "$JWG" up "$T/hold/$K.conf" >"$T/first" 2>&1 &
first=$!
BGPIDS+=("$first")
check "the first up is inside its PreUp, its state written" wait_for 30 test -e "/run/jwg/$K.state"
nsx "$C" "$JWG" up "$T/hold/$K.conf" >"$T/second" 2>&1 &
second=$!
BGPIDS+=("$second")
check "the second up says it waits for the first" \
    wait_for 30 grep -q "^\[!\] another jwg command (pid [0-9]*) is changing $K; waiting for it to finish" "$T/second"
touch "$T/go"
wait "$first"; rc1=$?
wait "$second"; rc2=$?
sed 's/^/    # first: /' "$T/first" | tail -n 3
sed 's/^/    # second: /' "$T/second" | tail -n 3
check_eq "the first up succeeds" 0 "$rc1"
check_eq "the second fails: the interface exists (nothing of the first undone)" \
    "1 jwg: \`$K' already exists" "$rc2 $(tail -n 1 "$T/second")"
check "the interface is up and its daemon answers" bash -c "ip netns exec $C ip link show $K | grep -q UP && wg show $K >/dev/null"
check "its state is whole (complete)" grep -qx complete "/run/jwg/$K.state"
nsx "$C" "$JWG" down "$K" >/dev/null 2>&1
check "jwg down: nothing left" bash -c "! ip netns exec $C ip link show $K 2>/dev/null && [ ! -e /run/jwg/$K.state ]"

finish
