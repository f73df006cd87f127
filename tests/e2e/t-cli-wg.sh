#!/usr/bin/env bash
# bin/jwg as a drop-in for the stock wg: every show form, showconf, set/setconf/addconf/syncconf and
# the key commands, compared byte for byte with wg on live jwgd and wireguard-go interfaces (after a
# real handshake, so handshake times and transfer counters are non-zero) and on a fake daemon that
# reports values hard to produce live (clock wound backward, TiB counters, scoped endpoints, odd
# IPv6 forms). Runs in a private mount namespace with its own /var/run/wireguard, so only its own
# interfaces are listed and other tests' daemons cannot disturb "show all".
if [ -z "${WC_PRIVATE_MOUNTS:-}" ]; then
    exec env WC_PRIVATE_MOUNTS=1 unshare -m --propagation private bash "$(readlink -f "$0")" "$@"
fi
E2E_PREFIX="${E2E_PREFIX:-wce2e}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"

A="${E2E_PREFIX}a" B="${E2E_PREFIX}b"
DATA="$(mktemp -d)"
FAKE_PID=""
trap 'cleanup; [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$DATA"' EXIT

mkdir -p /var/run/wireguard
mount -t tmpfs -o mode=0755 tmpfs /var/run/wireguard
# Host names for endpoint resolution: one name with IPv6 listed first, one IPv4-only.
printf '127.0.0.1 localhost\nfd77::2 dual.wce2e.test\n192.168.77.2 dual.wce2e.test\n192.168.77.1 v4.wce2e.test\n' >"$DATA/hosts"
mount --bind "$DATA/hosts" /etc/hosts
export WG_ENDPOINT_RESOLUTION_RETRIES=0
unset WG_COLOR_MODE WG_HIDE_KEYS

# ago_close A B: the two texts are equal except for "… ago" handshake ages (plain or coloured) that
# differ by at most 3 seconds: the clock ticking between the wg and the jwg run (a JVM start takes
# a while on a loaded machine).
cat >"$DATA/ago_close.py" <<'EOF_PY'
import re, sys
esc = re.compile(r'\x1b\[[0-9;]*m')
units = {'year': 31536000, 'day': 86400, 'hour': 3600, 'minute': 60, 'second': 1}
age = re.compile(r'(?:\d+ (?:\x1b\[[0-9;]*m)?(?:year|day|hour|minute|second)s?(?:\x1b\[[0-9;]*m)?(?:, )?)+ ago|Now')
def split(s):
    values = []
    def seconds(m):
        t = esc.sub('', m.group(0))
        values.append(0 if t == 'Now' else sum(int(n) * units[u] for n, u in re.findall(r'(\d+) (year|day|hour|minute|second)', t)))
        return 'AGO'
    return age.sub(seconds, s), values
(ta, va), (tb, vb) = split(sys.argv[1]), split(sys.argv[2])
sys.exit(0 if ta == tb and len(va) == len(vb) and all(abs(x - y) <= 3 for x, y in zip(va, vb)) else 1)
EOF_PY
ago_close() { python3 "$DATA/ago_close.py" "$1" "$2"; }

# same "description" [--sorted] [--drop TEXT] ARGS...: `jwg ARGS` prints exactly what `wg ARGS`
# prints (stdout and exit status). wg runs before and after jwg: when both wg runs agree (up to
# handshake ages), the daemon's counters, which only grow, held still while jwg ran, so a
# difference is jwg's; otherwise (a keepalive went out meanwhile) all three run again, up to 10
# times. A remaining difference in handshake ages of a few seconds is accepted (ago_close).
# --sorted compares sorted lines, for wireguard-go, whose get lists peers in random order; --drop
# removes TEXT from both first (wg's "show all endpoints" names an interface before its first peer
# only, which for wireguard-go is a random one).
same() {
    local what="$1" sorted="" drop="" a b try
    shift
    while [ "${1:-}" == "--sorted" ] || [ "${1:-}" == "--drop" ]; do
        if [ "$1" == "--sorted" ]; then sorted=1; shift; else drop="$2"; shift 2; fi
    done
    local after
    for try in $(seq 10); do
        b="$(wg "$@" 2>/dev/null; echo "exit $?")"
        a="$("$JWG" "$@" 2>/dev/null; echo "exit $?")"
        after="$(wg "$@" 2>/dev/null; echo "exit $?")"
        if [ -n "$drop" ]; then a="${a//"$drop"/}"; b="${b//"$drop"/}"; after="${after//"$drop"/}"; fi
        if [ -n "$sorted" ]; then a="$(sort <<<"$a")"; b="$(sort <<<"$b")"; after="$(sort <<<"$after")"; fi
        [ "$a" == "$b" ] && break
        { [ "$b" == "$after" ] || ago_close "$b" "$after"; } && break
    done
    if [ "$a" != "$b" ] && ago_close "$a" "$b"; then
        ok "$what (handshake ages within 3 s)"
        return
    fi
    check_eq "$what" "$b" "$a"
}

# stable IF: wait until the transfer counters of IF stop moving (passive keepalives are done).
stable() {
    local before after
    after="$(wg show "$1" transfer | sort)"
    for _ in $(seq 30); do
        before="$after"
        sleep 2
        after="$(wg show "$1" transfer | sort)"
        [ "$before" == "$after" ] && return 0
    done
    return 1
}

# same_err "description" ARGS...: stderr and exit status equal too (stdout must be empty for both).
same_err() {
    local what="$1" a b
    shift
    b="$(wg "$@" 2>&1; echo "exit $?")"
    a="$("$JWG" "$@" 2>&1; echo "exit $?")"
    check_eq "$what" "$b" "${a//jwg/wg}"
}

FIELDS=(public-key private-key listen-port fwmark peers preshared-keys endpoints allowed-ips latest-handshakes
    persistent-keepalive transfer dump)

# ---------------------------------------------------------------------------------------------
echo "# --- keys"
k="$("$JWG" genkey)"
check_eq "jwg genkey | wg pubkey == jwg pubkey of the same key" "$(wg pubkey <<<"$k")" "$("$JWG" pubkey <<<"$k")"
k="$(wg genkey)"
check_eq "wg genkey | jwg pubkey == wg pubkey" "$(wg pubkey <<<"$k")" "$("$JWG" pubkey <<<"$k")"
check "jwg genkey output is accepted by wg pubkey" bash -c "'$JWG' genkey | wg pubkey >/dev/null"
psk="$("$JWG" genpsk)"
check "jwg genpsk is a key wg accepts" bash -c "wg pubkey <<<'$psk' >/dev/null"
check_eq "jwg genkey and genpsk print one 44-character line" "45 45" \
    "$("$JWG" genkey | wc -c) $("$JWG" genpsk | wc -c)"
for bad in "" "short" "$(printf '%044d' 0)" "$k trailing" "$k"x; do
    out="$("$JWG" pubkey <<<"$bad" 2>"$DATA/err")"
    status=$?
    check_eq "jwg pubkey refuses $(printf %q "$bad" | cut -c1-24)…: exit 1, nothing on stdout, wg's message" \
        "1||$(wg pubkey <<<"$bad" 2>&1 >/dev/null)" "$status|$out|$(sed 's/^jwg:/wg:/' "$DATA/err")"
done
for mask in 022 077; do
    (umask $mask; wg genkey >"$DATA/k1" 2>"$DATA/e1"; "$JWG" genkey >"$DATA/k2" 2>"$DATA/e2")
    check_eq "genkey to a file under umask $mask warns exactly as wg" "$(cat "$DATA/e1")" "$(cat "$DATA/e2")"
    (umask $mask; wg genpsk >"$DATA/k1" 2>"$DATA/e1"; "$JWG" genpsk >"$DATA/k2" 2>"$DATA/e2")
    check_eq "genpsk to a file under umask $mask warns exactly as wg" "$(cat "$DATA/e1")" "$(cat "$DATA/e2")"
done
"$JWG" genkey 2>"$DATA/e2" | cat >/dev/null
check_eq "no warning when writing to a pipe" "" "$(cat "$DATA/e2")"

# ---------------------------------------------------------------------------------------------
echo "# --- live interfaces: wceg0 (wireguard-go, ns A) <-> wcej0 (jwgd, ns B)"
netns_add "$A"
netns_add "$B"
veth "$A" wcva "$B" wcvb
nsx "$A" ip addr add 192.168.77.1/24 dev wcva
nsx "$A" ip addr add fd77::1/64 dev wcva nodad
nsx "$B" ip addr add 192.168.77.2/24 dev wcvb
nsx "$B" ip addr add fd77::2/64 dev wcvb nodad
start_daemon wireguard-go "$A" wceg0
start_daemon jwgd "$B" wcej0
start_daemon jwgd "$B" wcej9        # left unconfigured: no keys, no port, no peers
start_daemon wireguard-go "$A" wceg9
ka="$(wg genkey)" kb="$(wg genkey)"
pa="$(pub_of "$ka")" pb="$(pub_of "$kb")"
wg genpsk >"$DATA/psk"
# Long keepalives on the connected peers only: the one keepalive sent when it is switched on goes out
# before the comparisons, and no peer that cannot connect is ever prodded into handshake attempts, so
# the counters stay still while comparing.
wg set wceg0 listen-port 52001 private-key <(echo "$ka") peer "$pb" preshared-key "$DATA/psk" \
    endpoint 192.168.77.2:52002 allowed-ips 10.77.0.2/32,fd10:77::2/128 persistent-keepalive 7200 \
    peer "$(wg genkey | wg pubkey)" allowed-ips 10.88.0.0/16,fd88::/48
wg set wcej0 listen-port 52002 fwmark 0x1234 private-key <(echo "$kb") peer "$pa" preshared-key "$DATA/psk" \
    endpoint '[fd77::1]:52001' allowed-ips 10.77.0.1/32,fd10:77::1/128 persistent-keepalive 3661 \
    peer "$(wg genkey | wg pubkey)" endpoint '[fd77::9]:9' allowed-ips 10.99.0.0/16,fd99::/48 \
    peer "$(wg genkey | wg pubkey)" \
    peer "$(wg genkey | wg pubkey)" allowed-ips 10.98.0.0/16 endpoint 192.168.77.98:98
nsx "$A" ip addr add 10.77.0.1/24 dev wceg0
nsx "$A" ip addr add fd10:77::1/64 dev wceg0 nodad
nsx "$A" ip link set wceg0 up
nsx "$B" ip addr add 10.77.0.2/24 dev wcej0
nsx "$B" ip addr add fd10:77::2/64 dev wcej0 nodad
nsx "$B" ip link set wcej0 up
check "handshake and traffic between the two (ping both ways, IPv4 and IPv6)" \
    bash -c "ip netns exec $A ping -c 3 -i 0.3 -W 5 10.77.0.2 && ip netns exec $B ping -6 -c 2 -W 5 fd10:77::1"
check "latest handshake and transfer are non-zero on both" bash -c \
    "[ \"\$(wg show wceg0 latest-handshakes | sort -k2 -n | tail -n1 | cut -f2)\" -gt 0 ] &&
     [ \"\$(wg show wcej0 transfer | sort -k2 -n | tail -n1 | cut -f2)\" -gt 0 ]"
check "transfer counters settle" bash -c "$(declare -f stable); stable wceg0 && stable wcej0"

for ifc in wcej0 wceg0; do
    sort=""
    [ "$ifc" == wceg0 ] && sort=--sorted
    same "show $ifc (pretty)" show "$ifc"
    for f in "${FIELDS[@]}"; do
        same "show $ifc $f" $sort show "$ifc" "$f"
    done
    same "showconf $ifc" $sort showconf "$ifc"
    export WG_COLOR_MODE=always
    same "show $ifc with WG_COLOR_MODE=always" show "$ifc"
    export WG_HIDE_KEYS=never
    same "show $ifc with colour and WG_HIDE_KEYS=never" show "$ifc"
    unset WG_COLOR_MODE WG_HIDE_KEYS
done
export WG_COLOR_MODE=auto
same "show wcej0 with WG_COLOR_MODE=auto on a pipe: no colour" show wcej0
unset WG_COLOR_MODE
for ifc in wcej9 wceg9; do
    script -qc "wg show $ifc" /dev/null >"$DATA/tty-wg"
    script -qc "$JWG show $ifc" /dev/null >"$DATA/tty-jwg"
    check "show $ifc on a terminal: coloured exactly as wg" cmp "$DATA/tty-wg" "$DATA/tty-jwg"
done
check "on a terminal the output is coloured" grep -q $'\e\\[32m' "$DATA/tty-jwg"
same "show interfaces" show interfaces
same "show (no arguments)" show
same "show all" show all
same "jwg alone = wg alone = show all" --sorted
for f in "${FIELDS[@]}"; do
    # endpoints: below, without the interface name wg puts before wireguard-go's random first peer
    [ "$f" == endpoints ] && continue
    same "show all $f" --sorted show all "$f"
done
same "show all endpoints: wg's interface name before the first peer only, dangling without peers" \
    --sorted --drop "wceg0	" show all endpoints
count="$("$JWG" show wcej0 --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["peers"]))')"
check_eq "show wcej0 --json is valid JSON with every peer" "$(wg show wcej0 peers | wc -l)" "$count"
check "show --json lists every interface" bash -c \
    "[ \"\$('$JWG' show --json | python3 -c 'import json,sys; print(\" \".join(sorted(d[\"interface\"] for d in json.load(sys.stdin))))')\" == \"wceg0 wceg9 wcej0 wcej9\" ]"

echo "# --- syncconf keeps sessions: resync wcej0 and wceg0 from their own showconf"
for ifc in wcej0 wceg0; do
    before="$(wg show "$ifc" latest-handshakes | sort)"
    "$JWG" showconf "$ifc" >"$DATA/self.conf"
    check "jwg syncconf $ifc from its own showconf" "$JWG" syncconf "$ifc" "$DATA/self.conf"
    check_eq "$ifc: handshakes untouched by syncconf" "$before" "$(wg show "$ifc" latest-handshakes | sort)"
done
check "traffic still flows after syncconf" nsx "$A" ping -c 1 -W 3 10.77.0.2
check_eq "no new handshake was needed" "$before" "$(wg show wceg0 latest-handshakes | sort)"

# ---------------------------------------------------------------------------------------------
echo "# --- a fake daemon reporting values hard to produce live (wcef0)"
now="$(date +%s)"
hex() { wg pubkey <<<"$1" >/dev/null; echo "$1" | base64 -d | od -An -tx1 | tr -d ' \n'; }
f1="$(wg genkey | wg pubkey)" f2="$(wg genkey | wg pubkey)" f3="$(wg genkey | wg pubkey)" f4="$(wg genkey | wg pubkey)"
fpsk="$(wg genpsk)"
zero="$(printf '%064d' 0)"
cat >"$DATA/fake.get" <<EOF
listen_port=65535
fwmark=4294967295
public_key=$(hex "$f1")
preshared_key=$(hex "$fpsk")
protocol_version=1
endpoint=[fe80::1%1]:51820
last_handshake_time_sec=$((now + 100))
last_handshake_time_nsec=0
tx_bytes=18446744073709551615
rx_bytes=1152
persistent_keepalive_interval=65535
allowed_ip=0.0.0.0/0
allowed_ip=::/0
allowed_ip=::1:0/112
allowed_ip=::ffff:10.0.0.0/104
public_key=$(hex "$f2")
preshared_key=$zero
endpoint=[2001:0db8:0000::1]:1
last_handshake_time_sec=$((now - 2 * 31536000 - 3 * 86400 - 4 * 3600 - 5 * 60 - 6))
last_handshake_time_nsec=5
tx_bytes=1099511627776
rx_bytes=1048575
persistent_keepalive_interval=3661
allowed_ip=10.0.0.1/24
allowed_ip=2001:db8:0:0:1::/80
public_key=$(hex "$f3")
preshared_key=$zero
last_handshake_time_sec=0
last_handshake_time_nsec=7
tx_bytes=0
rx_bytes=1
persistent_keepalive_interval=0
public_key=$(hex "$f4")
preshared_key=$zero
endpoint=[::ffff:192.0.2.1]:7
last_handshake_time_sec=$((now - 59))
last_handshake_time_nsec=0
tx_bytes=1536
rx_bytes=0
persistent_keepalive_interval=1
errno=0

EOF
cat >"$DATA/fake.py" <<'EOF'
import os, socket, sys
path, response = sys.argv[1], open(sys.argv[2], 'rb').read()
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(16)
while True:
    c, _ = s.accept()
    f = c.makefile('rwb')
    op = f.readline()
    if op == b'get=1\n':
        f.readline()
        f.write(response)
    elif op == b'set=1\n':
        while f.readline() not in (b'\n', b''):
            pass
        f.write(b'errno=-22\n\n')
    f.flush()
    c.close()
EOF
python3 "$DATA/fake.py" /var/run/wireguard/wcef0.sock "$DATA/fake.get" &
FAKE_PID=$!
wait_for 5 test -S /var/run/wireguard/wcef0.sock
same "fake: show (pretty: clock wound backward, years ago, TiB, every 18 hours…)" show wcef0
for f in "${FIELDS[@]}"; do
    same "fake: show $f" show wcef0 "$f"
done
same "fake: showconf" showconf wcef0
export WG_COLOR_MODE=always
same "fake: show in colour" show wcef0
unset WG_COLOR_MODE
export WG_HIDE_KEYS=never
same "fake: show with WG_HIDE_KEYS=never" show wcef0
unset WG_HIDE_KEYS
same_err "fake: a refused set is reported as wg reports it (errno=-22)" set wcef0 listen-port 1
kill "$FAKE_PID"
wait "$FAKE_PID" 2>/dev/null
FAKE_PID=""
same "a stale socket is skipped in show interfaces" show interfaces

# ---------------------------------------------------------------------------------------------
# twins IMPL NS X Y: two fresh interfaces of one implementation; every operation is applied with jwg
# to X and with wg to Y, then `wg show dump` of both must be equal.
RANDOM_PORT="" # set when the interfaces listen on a random port, which then differs
twin_dump() { # the dump with the volatile fields blanked: transfer counters (handshake attempts towards
    # the made-up endpoints come at their own pace) and a random listen port
    wg show "$1" dump | awk -F'\t' -v OFS='\t' -v random="$RANDOM_PORT" \
        'NR == 1 && random != "" { $3 = "*" } NR > 1 { $6 = "*"; $7 = "*" } { print }'
}
STDIN_FILE="" # when set, each of the two commands reads it on standard input
OWN_MESSAGE="" # when set, the start of jwg's own error message (file:line) instead of wg's
both() { # "description" SUBCOMMAND ARGS... (the interface name is inserted after SUBCOMMAND)
    local what="$1" sub="$2" ra rb
    shift 2
    "$JWG" "$sub" "$X" "$@" 2>"$DATA/ej" <"${STDIN_FILE:-/dev/null}"
    ra=$?
    wg "$sub" "$Y" "$@" 2>"$DATA/ew" <"${STDIN_FILE:-/dev/null}"
    rb=$?
    if [ -n "$OWN_MESSAGE" ]; then # a configuration error: jwg names file and line instead
        check_eq "$IMPL: $what: same exit status" "$rb" "$ra"
        check "$IMPL: $what: jwg names the file and the line" grep -q "^$OWN_MESSAGE" "$DATA/ej"
    else
        check_eq "$IMPL: $what: same exit status and messages" "$rb $(cat "$DATA/ew")" "$ra $(sed 's/jwg/wg/g' "$DATA/ej")"
    fi
    local dx dy
    dx="$(twin_dump "$X")" dy="$(twin_dump "$Y")"
    if [ "$IMPL" == wireguard-go ]; then dx="$(sort <<<"$dx")"; dy="$(sort <<<"$dy")"; fi
    check_eq "$IMPL: $what: same device state" "$dy" "$dx"
}

k1="$(wg genkey | wg pubkey)" k2="$(wg genkey | wg pubkey)" k3="$(wg genkey | wg pubkey)" k4="$(wg genkey | wg pubkey)"
wg genkey >"$DATA/priv"
"$JWG" genpsk >"$DATA/psk2"
write_confs() { # PORT: the configuration files of the twin tests, listen ports from PORT
    local port="$1"
    cat >"$DATA/full.conf" <<EOF
[Interface]
PrivateKey = $(cat "$DATA/priv")
ListenPort = $port
FwMark = 0x99

[Peer]
PublicKey = $k1
PresharedKey = $(cat "$DATA/psk2")
AllowedIPs = 10.1.0.0/24, fd00:1::/64
Endpoint = dual.wce2e.test:51820
PersistentKeepalive = 25

[Peer]
# comment
PublicKey = $k2
AllowedIPs = 10.2.0.0/24
allowedips=10.3.0.1/32
Endpoint = [fd77::9]:7

[Peer]
PublicKey = $k3
EOF
    cat >"$DATA/add.conf" <<EOF
[Interface]
ListenPort = $((port + 1))
[Peer]
PublicKey = $k4
AllowedIPs = 10.4.0.0/16, ::/0
Endpoint = v4.wce2e.test:4
[Peer]
PublicKey = $k1
AllowedIPs = 10.1.1.0/24
EOF
    cat >"$DATA/sync.conf" <<EOF
[Interface]
PrivateKey = $(cat "$DATA/priv")
ListenPort = $((port + 2))
[Peer]
PublicKey = $k1
AllowedIPs = 10.1.0.0/24
Endpoint = 192.168.77.7:7
[Peer]
PublicKey = $k3
AllowedIPs = 10.3.0.0/24
EOF
    printf '[Interface]\nListenPort = %s\n[Peer]\nPublicKey = %s\nAllowedIPs = 10.0.0.0/33\n' "$((port + 3))" "$k1" \
        >"$DATA/bad.conf"
    : >"$DATA/empty.conf"
}

# Twins live in different namespaces so that both can listen on the same port.
for IMPL in jwgd wireguard-go; do
    if [ "$IMPL" == jwgd ]; then X=wcej1 Y=wcej2 port=52100; else X=wceg1 Y=wceg2 port=52200; fi
    echo "# --- set/setconf/addconf/syncconf: jwg on $X, wg on $Y ($IMPL)"
    write_confs "$port"
    start_daemon "$IMPL" "$A" "$X"
    start_daemon "$IMPL" "$B" "$Y"
    both "set with every option" set listen-port "$port" fwmark 0x20 private-key "$DATA/priv" \
        peer "$k1" preshared-key "$DATA/psk2" endpoint 192.168.77.9:5555 persistent-keepalive 25 \
        allowed-ips "10.1.0.0/24, fd00:1::/64" \
        peer "$k2" endpoint '[fd77::9]:77' allowed-ips 10.2.0.0/24,10.2.1.0/24
    both "set: empty allowed-ips, keepalive off, PSK from /dev/null" set peer "$k1" allowed-ips "" \
        persistent-keepalive off preshared-key /dev/null
    both "set: fwmark off, remove a peer, a new peer" set fwmark off peer "$k2" remove peer "$k3" allowed-ips 0.0.0.0/0,::/0
    both "set: endpoint by host name (IPv6 first in getaddrinfo order)" set peer "$k3" endpoint dual.wce2e.test:51820
    both "set: endpoint by IPv4-only host name" set peer "$k3" endpoint v4.wce2e.test:51821
    both "set: a port that is no number or UDP service is refused" set peer "$k3" endpoint v4.wce2e.test:0x10
    both "set: nonzero host part warns" set peer "$k3" allowed-ips 10.7.0.1/24
    both "set: bad allowed IP changes nothing" set peer "$k3" allowed-ips 10.0.0.1/40
    both "set: bad endpoint changes nothing" set listen-port 1 peer "$k3" endpoint nowhere.invalid:1
    both "set: invalid argument" set peer "$k3" bogus
    both "set: private key /dev/null" set private-key /dev/null
    both "setconf" setconf "$DATA/full.conf"
    both "addconf" addconf "$DATA/add.conf"
    both "set a PSK and keepalive on a peer the sync file keeps without them" set peer "$k1" \
        preshared-key "$DATA/psk2" persistent-keepalive 7
    both "syncconf" syncconf "$DATA/sync.conf"
    both "syncconf again (nothing to do)" syncconf "$DATA/sync.conf"
    OWN_MESSAGE="$DATA/bad.conf:5: AllowedIPs: "
    both "addconf of a file with an error applies nothing" addconf "$DATA/bad.conf"
    OWN_MESSAGE="" RANDOM_PORT=1
    both "setconf of an empty file clears everything" setconf "$DATA/empty.conf"
    RANDOM_PORT="" STDIN_FILE="$DATA/full.conf"
    both "setconf from /dev/stdin" setconf /dev/stdin
    RANDOM_PORT=1 STDIN_FILE=""
    both "syncconf of an empty file" syncconf "$DATA/empty.conf"
    RANDOM_PORT=""
done

echo "# --- incremental allowed-ips (current wg; not in the stock wg here): +/- on jwgd"
"$JWG" set wcej1 peer "$k1" allowed-ips 10.1.0.0/24,10.2.0.0/24,fd00::/64
check "jwg set +/- allowed-ips" "$JWG" set wcej1 peer "$k1" allowed-ips "+10.3.0.0/24,-10.1.0.0/24, -fd00::/64"
check_eq "only the removed prefixes went, the added one came" "$k1	10.2.0.0/24 10.3.0.0/24" \
    "$(wg show wcej1 allowed-ips | grep "^$k1")"
"$JWG" set wceg1 peer "$k1" allowed-ips 10.1.0.0/24
check "jwg set + allowed-ips on wireguard-go adds without replacing" "$JWG" set wceg1 peer "$k1" allowed-ips +10.6.0.0/24
check "wireguard-go kept the earlier prefixes" bash -c "wg show wceg1 allowed-ips | grep '^$k1' | grep -q '10.6.0.0/24' &&
    wg show wceg1 allowed-ips | grep '^$k1' | grep -q '10.1.0.0/24'"

# ---------------------------------------------------------------------------------------------
echo "# --- errors"
check_eq "show of a missing interface" "Unable to access interface: No such device|1" \
    "$("$JWG" show wcenope 2>&1)|$?"
check_eq "set of a missing interface" "Unable to modify interface: No such device|1" \
    "$("$JWG" set wcenope listen-port 1 2>&1)|$?"
check_eq "showconf of a missing interface" "Unable to access interface: No such device|1" \
    "$("$JWG" showconf wcenope 2>&1)|$?"
out="$("$JWG" addconf wcej1 "$DATA/bad.conf" 2>&1)"
check_eq "a bad file: exit 1" "1" "$("$JWG" addconf wcej1 "$DATA/bad.conf" >/dev/null 2>&1; echo $?)"
check "a bad file: the message names the file and the line" grep -q "^$DATA/bad.conf:5: AllowedIPs: " <<<"$out"
printf '[Interface]\nListenPort = 1\nAddress = 10.0.0.1/24\n' >"$DATA/quick.conf"
out="$("$JWG" setconf wcej1 "$DATA/quick.conf" 2>&1)"
check_eq "a wg-quick file is refused as wg refuses it" "1" "$("$JWG" setconf wcej1 "$DATA/quick.conf" >/dev/null 2>&1; echo $?)"
check "the refusal names the file and the line" grep -q "^$DATA/quick.conf:3: " <<<"$out"
same_err "usage: show with too many arguments" show a b c
same_err "usage: show interfaces with an argument" show interfaces x
same_err "invalid show field" show wcej0 bogus
same_err "usage: set without arguments" set wcej0
same_err "usage: showconf" showconf
same_err "usage: setconf" setconf wcej0
same_err "setconf of a missing file" setconf wcej0 "$DATA/missing.conf"
same_err "usage: genkey with an argument" genkey x
same_err "show help" show help

finish
