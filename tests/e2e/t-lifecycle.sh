#!/usr/bin/env bash
# jwgd's process contract (docs/protocol.md §4.5) and its robustness:
#  * bin/jwgd IF returns only once the interface and the UAPI socket exist; -f and
#    WG_PROCESS_FOREGROUND=1 stay in the foreground; --version; LOG_LEVEL verbose/error/silent;
#    bad invocations fail with status 1; socket directory 0755, socket 0600.
#  * It stops, removing socket and interface, on SIGTERM, on SIGINT (also when started as a
#    background job, which begins with SIGINT ignored), on 'ip link del' and when
#    its socket file is deleted; an interface moved to another namespace is followed, not lost.
#  * A stale socket (kill -9) does not block a restart; a live one does, with a clear error and
#    status 1, and the running daemon is not disturbed.
#  * Malformed UAPI requests get wireguard-go's answers (compared request by request with a
#    wireguard-go daemon), the daemon lives on, concurrent and idle clients don't block others.
#  * Untrusted UDP: garbage, truncated and oversized (65 507 bytes) datagrams, every message type
#    with bad MACs, a flood of bogus initiations, and replays of captured genuine packets, sent
#    at the port of a working jwgd↔wireguard-go tunnel: the tunnel keeps working, the replayed
#    initiation makes no new session, replayed data doesn't move the endpoint, the daemon lives.
E2E_PREFIX="${E2E_PREFIX:-wl}"
umask 077
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TAG="$(run_tag wl)"
NS="${E2E_PREFIX}-life-$TAG" A="${E2E_PREFIX}-life-a-$TAG" B="${E2E_PREFIX}-life-b-$TAG"
T="$(mktemp -d /tmp/jwg-wl.XXXXXX)"
BGPIDS=()
trap 'for p in "${BGPIDS[@]}"; do kill "$p" 2>/dev/null; done; cleanup; rm -rf "$T"' EXIT
netns_add "$NS"

sock() { echo "/var/run/wireguard/$1.sock"; }
has_link() { nsx "$NS" ip link show "$1" >/dev/null 2>&1; }
# alive PID: running (a zombie waiting for its reaper counts as gone)
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
gone_all() { # IF PID: process, socket and interface all gone
    ! alive "$2" && [ ! -e "$(sock "$1")" ] && ! has_link "$1"
}
uapi() { timeout 10 socat -t 3 - "UNIX-CONNECT:$(sock "$1")"; }

echo "# --- start-up contract"
INTERFACES+=("$NS:wl${TAG}0")
nsx "$NS" "$JWGD" wl${TAG}0
rc=$?
# checked at once, without waiting: the launcher must only return once both exist
link_now=$(has_link wl${TAG}0 && echo yes); sock_now=$([ -S "$(sock wl${TAG}0)" ] && echo yes); get_now="$(printf 'get=1\n\n' | uapi wl${TAG}0 | tail -n 2 | head -n 1)"
check_eq "bin/jwgd wl${TAG}0 exits 0" "0" "$rc"
check_eq "the interface exists when bin/jwgd returns" "yes" "$link_now"
check_eq "the UAPI socket exists when bin/jwgd returns" "yes" "$sock_now"
check_eq "and answers at once" "errno=0" "$get_now"
pid0="$(daemon_pid wl${TAG}0)"
check "the daemon runs in the background (pid $pid0)" alive "$pid0"
check_eq "socket directory mode 0755" "755" "$(stat -c %a /var/run/wireguard)"
check_eq "socket mode 0600" "600" "$(stat -c %a "$(sock wl${TAG}0)")"
check_eq "socket owned by root" "root" "$(stat -c %U "$(sock wl${TAG}0)")"
check_eq "default MTU 1420" "1420" "$(nsx "$NS" cat /sys/class/net/wl${TAG}0/mtu)"
check_eq "the interface starts down" "down" "$(nsx "$NS" cat /sys/class/net/wl${TAG}0/operstate)"

out="$("$JWGD" --version 2>&1)"; rc=$?
check_eq "--version exits 0" "0" "$rc"
check "--version prints a version ($(echo "$out" | head -n 1))" grep -qiE '^jwgd.*[0-9]+\.[0-9]+' <<<"$out"
out="$("$JWGD" 2>&1)"; rc=$?
check_eq "no interface name: exit 1" "1" "$rc"
check "no interface name: usage on stderr" grep -q 'Usage: jwgd' <<<"$out"
out="$(nsx "$NS" "$JWGD" wl/bad 2>&1)"; rc=$?
check_eq "a name with / is refused: exit 1 ($out)" "1" "$rc"
out="$(nsx "$NS" "$JWGD" wl0123456789abcd 2>&1)"; rc=$?
check_eq "a 16-character name is refused: exit 1 ($out)" "1" "$rc"
check "no socket left by the refused starts" bash -c "! ls /var/run/wireguard | grep -qE '^wl0123456789abcd|^wl/bad'"

echo "# --- foreground: -f and WG_PROCESS_FOREGROUND=1, LOG_LEVEL"
INTERFACES+=("$NS:wl${TAG}1")
# (ip netns exec, env and bin/jwgd all exec: $! is the daemon itself)
ip netns exec "$NS" env LOG_LEVEL=verbose "$JWGD" -f wl${TAG}1 >"$T/wl${TAG}1.log" 2>&1 &
fg=$!
BGPIDS+=("$fg")
check "-f: the interface appears" wait_for 30 test -S "$(sock wl${TAG}1)"
check "-f: the process we started is still running in the foreground" alive "$fg"
check_eq "-f: it is the daemon itself" "$fg" "$(daemon_pid wl${TAG}1)"
printf 'set=1\nlisten_port=abc\n\n' | uapi wl${TAG}1 >/dev/null
wg set wl${TAG}1 listen-port 51901
check "LOG_LEVEL=verbose prints DEBUG lines" wait_for 10 grep -q "^DEBUG: (wl${TAG}1) " "$T/wl${TAG}1.log"
check "LOG_LEVEL=verbose prints the UAPI error" wait_for 10 grep -q "^ERROR: (wl${TAG}1) " "$T/wl${TAG}1.log"
kill -TERM "$fg"
timeout 5 tail --pid="$fg" -f /dev/null
check "-f: SIGTERM ends the foreground process" bash -c "! kill -0 $fg 2>/dev/null"
check "-f: socket and interface removed" bash -c "[ ! -e $(sock wl${TAG}1) ] && ! ip netns exec $NS ip link show wl${TAG}1 >/dev/null 2>&1"

INTERFACES+=("$NS:wl${TAG}2")
ip netns exec "$NS" env WG_PROCESS_FOREGROUND=1 LOG_LEVEL=silent "$JWGD" wl${TAG}2 >"$T/wl${TAG}2.log" 2>&1 &
fg=$!
BGPIDS+=("$fg")
check "WG_PROCESS_FOREGROUND=1: the interface appears" wait_for 30 test -S "$(sock wl${TAG}2)"
check "WG_PROCESS_FOREGROUND=1: the process stays in the foreground" alive "$fg"
check_eq "WG_PROCESS_FOREGROUND=1: it is the daemon itself" "$fg" "$(pgrep -f "JwgdMain (-f )?wl${TAG}2\$")"
printf 'set=1\nlisten_port=abc\n\n' | uapi wl${TAG}2 >/dev/null
printf 'bogus=1\n\n' | uapi wl${TAG}2 >/dev/null
nsx "$NS" ip link set wl${TAG}2 up
kill -INT "$fg"
timeout 5 tail --pid="$fg" -f /dev/null
check "WG_PROCESS_FOREGROUND=1: SIGINT ends it" bash -c "! kill -0 $fg 2>/dev/null"
check_eq "LOG_LEVEL=silent prints nothing, not even errors" "" "$(cat "$T/wl${TAG}2.log")"

INTERFACES+=("$NS:wl${TAG}3")
nsx "$NS" env LOG_LEVEL=verbose "$JWGD" wl${TAG}3 >"$T/wl${TAG}3.log" 2>&1
check "background + LOG_LEVEL=verbose: the daemon logs to the launcher's stdout" wait_for 5 grep -q "^DEBUG: (wl${TAG}3) " "$T/wl${TAG}3.log"
nsx "$NS" "$JWGD" wl${TAG}4 >"$T/wl${TAG}4.log" 2>&1
INTERFACES+=("$NS:wl${TAG}4")
printf 'set=1\nlisten_port=abc\n\n' | uapi wl${TAG}4 >/dev/null
check_eq "background, default LOG_LEVEL: nothing printed (stdio to /dev/null, like wireguard-go)" "" "$(cat "$T/wl${TAG}4.log")"

echo "# --- stopping: SIGTERM, SIGINT, ip link del, socket deleted"
p="$(daemon_pid wl${TAG}3)"
kill -TERM "$p"
check "SIGTERM: daemon exits, socket and interface removed" wait_for 3 gone_all wl${TAG}3 "$p"
p="$(daemon_pid wl${TAG}4)"
check "a daemon started by bin/jwgd does not ignore SIGINT" bash -c "[ \$(( 0x\$(awk '/^SigIgn/ {print \$2}' /proc/$p/status) & 2 )) -eq 0 ]"
kill -INT "$p"
check "SIGINT: daemon exits, socket and interface removed" wait_for 3 gone_all wl${TAG}4 "$p"
INTERFACES+=("$NS:wl${TAG}5")
nsx "$NS" "$JWGD" wl${TAG}5
p="$(daemon_pid wl${TAG}5)"
nsx "$NS" ip link del wl${TAG}5
wait_for 2 bash -c "! [ -e /proc/$p ] || grep -q '^State:[[:space:]]*Z' /proc/$p/status" >/dev/null 2>&1
check "ip link del: the daemon exits and removes its socket" gone_all wl${TAG}5 "$p"
INTERFACES+=("$NS:wl${TAG}6")
nsx "$NS" "$JWGD" wl${TAG}6
p="$(daemon_pid wl${TAG}6)"
rm -f "$(sock wl${TAG}6)"
check "socket file deleted: the daemon exits and removes the interface" wait_for 3 gone_all wl${TAG}6 "$p"

INTERFACES+=("$NS-m:wl${TAG}8")
netns_add "$NS-m"
nsx "$NS" "$JWGD" wl${TAG}8
p="$(daemon_pid wl${TAG}8)"
wg set wl${TAG}8 listen-port 51908
nsx "$NS" ip link set wl${TAG}8 netns "$NS-m"
nsx "$NS-m" ip link set wl${TAG}8 up
# The UDP socket opening proves the daemon saw the move and followed the link.
check "moved: link up in the new namespace opens the UDP socket, in the daemon's namespace" \
    wait_for 10 bash -c "ip netns exec $NS ss -Hunl 'sport = :51908' | grep -q ."
check "ip link set netns: the daemon lives on (it was moved, not deleted)" bash -c "kill -0 $p && [ -S $(sock wl${TAG}8) ] && ip netns exec $NS-m ip link show wl${TAG}8 >/dev/null"
nsx "$NS-m" ip link del wl${TAG}8
check "moved: ip link del in the new namespace ends the daemon and removes its socket" \
    wait_for 3 bash -c "! { [ -e /proc/$p ] && ! grep -q '^State:[[:space:]]*Z' /proc/$p/status; } && [ ! -e $(sock wl${TAG}8) ]"

echo "# --- stale and live sockets"
INTERFACES+=("$NS:wl${TAG}7")
nsx "$NS" "$JWGD" wl${TAG}7
p="$(daemon_pid wl${TAG}7)"
kill -9 "$p"
wait_for 3 bash -c "! ip netns exec $NS ip link show wl${TAG}7" >/dev/null 2>&1
check "kill -9 leaves a stale socket file behind" test -S "$(sock wl${TAG}7)"
nsx "$NS" "$JWGD" wl${TAG}7 >"$T/restart.log" 2>&1
rc=$?
check_eq "a stale socket does not block a restart with the same name" "0" "$rc"
check "the restarted daemon answers" bash -c "wg show wl${TAG}7 >/dev/null"
wg set wl${TAG}7 listen-port 51907
p="$(daemon_pid wl${TAG}7)"
out="$(nsx "$NS" "$JWGD" wl${TAG}7 2>&1)"; rc=$?
check_eq "a live socket blocks a second start: exit 1" "1" "$rc"
check "with a clear error ($out)" grep -qiE 'already running|in use' <<<"$out"
netns_add "$NS-2"
out="$(nsx "$NS-2" "$JWGD" wl${TAG}7 2>&1)"; rc=$?
check_eq "also from another namespace: exit 1 ($out)" "1" "$rc"
check "the refused start left no interface in the other namespace" bash -c "! ip netns exec $NS-2 ip link show wl${TAG}7 >/dev/null 2>&1"
check "the running daemon is undisturbed (same pid, socket answers, config kept)" \
    bash -c "kill -0 $p && [ \"\$(wg show wl${TAG}7 listen-port)\" = 51907 ]"

echo "# --- malformed UAPI requests: the same answers as wireguard-go, and the daemon lives on"
INTERFACES+=("$NS:wl${TAG}9")
start_daemon wireguard-go "$NS" wl${TAG}9
wg set wl${TAG}9 listen-port 51907
p="$(daemon_pid wl${TAG}7)"
requests=(
    'get=1\n\n'
    'bogus=1\n\n'
    'GET=1\n\n'
    '\n\n'
    'get=1'
    'get=1\njunk=1\n\n'
    'set=1'
    'set=1\n'
    'set=1\nlisten_port=1234\n'
    'set=1\nbogus=1\n\n'
    'set=1\nbogus\n\n'
    'set=1\n=\n\n'
    'set=1\n\x00\x01\xff\n\n'
    'set=1\nlisten_port=abc\n\n'
    'set=1\nlisten_port=\n\n'
    'set=1\nlisten_port=70000\n\n'
    'set=1\nlisten_port=+1\n\n'
    'set=1\nlisten_port=1 \n\n'
    'set=1\nfwmark=-1\n\n'
    'set=1\nfwmark=4294967296\n\n'
    'set=1\nprivate_key=zz\n\n'
    'set=1\nprivate_key=\n\n'
    'set=1\nprivate_key=00000000000000000000000000000000000000000000000000000000000000000\n\n'
    'set=1\nreplace_peers=false\n\n'
    'set=1\nendpoint=192.0.2.1:1\n\n'
    'set=1\npublic_key=00\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nendpoint=192.0.2.1\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nendpoint=[::1:1\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nallowed_ip=10.0.0.0/33\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nallowed_ip=10.0.0.0\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\npersistent_keepalive_interval=65536\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nremove=false\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nprotocol_version=2\n\n'
    'set=1\npublic_key=0100000000000000000000000000000000000000000000000000000000000000\nlisten_port=1\n\n'
    'set=1\nlisten_port=abc\n\nget=1\n\n'
    'set=1\nbogus\n\nget=1\n\n'
)
for r in "${requests[@]}"; do
    aj="$(printf "$r" | uapi wl${TAG}7 2>&1 | tr '\n' '|')"
    ag="$(printf "$r" | uapi wl${TAG}9 2>&1 | tr '\n' '|')"
    check_eq "UAPI '${r:0:70}' → ${ag:-(closed)}" "$ag" "$aj"
done
for ifn in wl${TAG}7 wl${TAG}9; do printf 'set=1\nlisten_port=51907\nreplace_peers=true\n\n' | uapi "$ifn" >/dev/null; done
check_eq "after all that, both daemons hold the same configuration" \
    "$(wg showconf wl${TAG}9 | grep -v '^ListenPort')" "$(wg showconf wl${TAG}7 | grep -v '^ListenPort')"
# long_line IF: a 20 MB line from a client that keeps writing after the daemon gave up, then reads
long_line() {
    perl -MIO::Socket::UNIX -e '
        $SIG{PIPE} = "IGNORE"; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die "connect: $!";
        syswrite($s, "set=1\nlisten_port=");
        my $chunk = "1" x 65536; for (1 .. 305) { defined syswrite($s, $chunk) or last }
        syswrite($s, "\n\n"); shutdown($s, 1);
        local $SIG{ALRM} = sub { exit 0 }; alarm 10; my $line = <$s>; print $line // "";
    ' "$(sock "$1")" 2>&1 | head -n 1
}
check_eq "a 20 MB line is refused with EIO, as wireguard-go does" "$(long_line wl${TAG}9)" "$(long_line wl${TAG}7)"
check_eq "(that is errno=-5)" "errno=-5" "$(long_line wl${TAG}7)"
check "the daemon lives on (same pid, answers)" bash -c "kill -0 $p && wg show wl${TAG}7 >/dev/null"

# An idle client that connected and sends nothing must not block anyone.
perl -MIO::Socket::UNIX -e '$| = 1; my $s = IO::Socket::UNIX->new(Peer => $ARGV[0]) or die; print "connected\n"; sleep 30' \
    "$(sock wl${TAG}7)" >"$T/idle" 2>&1 &
BGPIDS+=($!)
wait_for 10 grep -q connected "$T/idle" >/dev/null
check "an idle connected client does not block wg show" timeout 5 wg show wl${TAG}7
# Several clients at once: 20 readers and 20 writers adding one peer each.
for i in $(seq 1 20); do
    wg genkey | wg pubkey >"$T/peer$i"
done
for i in $(seq 1 20); do
    (wg set wl${TAG}7 peer "$(cat "$T/peer$i")" allowed-ips "10.7.$i.0/24" && echo ok >"$T/set$i") &
    (wg show wl${TAG}7 dump >/dev/null && echo ok >"$T/get$i") &
done
wait_for 20 bash -c "[ \$(cat $T/set* $T/get* 2>/dev/null | wc -l) -eq 40 ]" >/dev/null
check_eq "40 concurrent clients all succeeded" "40" "$(cat "$T"/set* "$T"/get* 2>/dev/null | wc -l)"
check_eq "all 20 peers were added" "20" "$(wg show wl${TAG}7 peers | wc -l)"
check_eq "each with its own allowed IPs" "20" "$(wg show wl${TAG}7 allowed-ips | awk '{print $2}' | sort -u | wc -l)"
# One connection, many requests (wg opens one per request, but servers must loop).
out="$( (for i in $(seq 1 50); do printf 'get=1\n\n'; done) | uapi wl${TAG}7 | grep -c '^errno=0$')"
check_eq "50 requests on one connection get 50 answers" "50" "$out"
check "the daemon lives on" bash -c "kill -0 $p && wg show wl${TAG}7 >/dev/null"

echo "# --- untrusted bytes at the UDP port of a working tunnel (jwgd A ↔ wireguard-go B)"
netns_add "$A"
netns_add "$B"
veth "$A" va "$B" vb
nsx "$A" ip addr add 192.168.88.1/24 dev va
nsx "$A" ip addr add fd88::1/64 dev va nodad
nsx "$B" ip addr add 192.168.88.2/24 dev vb
nsx "$B" ip addr add fd88::2/64 dev vb nodad
ka="$(wg_key)"; kb="$(wg_key)"; pa="$(pub_of "$ka")"; pb="$(pub_of "$kb")"
echo "$ka" >"$T/ka"; echo "$kb" >"$T/kb"
INTERFACES+=("$A:wl${TAG}a")
nsx "$A" "$JWGD" wl${TAG}a
start_daemon wireguard-go "$B" wl${TAG}b
wg set wl${TAG}a private-key "$T/ka" listen-port 51881 peer "$pb" allowed-ips 10.88.0.2/32
wg set wl${TAG}b private-key "$T/kb" listen-port 51882 peer "$pa" allowed-ips 10.88.0.1/32 endpoint 192.168.88.1:51881
nsx "$A" ip addr add 10.88.0.1/24 dev wl${TAG}a; nsx "$A" ip link set wl${TAG}a up
nsx "$B" ip addr add 10.88.0.2/24 dev wl${TAG}b; nsx "$B" ip link set wl${TAG}b up
pa_pid="$(daemon_pid wl${TAG}a)"
# Capture the genuine packets B sends to A (B initiates), to replay them later.
ip netns exec "$A" tcpdump -Z root -n -i va -w "$T/genuine.pcap" -U "udp dst port 51881" 2>"$T/tcpdump.err" &
cap=$!
wait_for 10 grep -q 'listening on' "$T/tcpdump.err" >/dev/null
check "the tunnel works (B initiates)" nsx "$B" ping -c 3 -i 0.3 -W 3 10.88.0.1
# (-U: each packet is in the file as soon as it is captured)
wait_for 10 bash -c "tcpdump -r $T/genuine.pcap -n 2>/dev/null | grep -q 'length 148' && tcpdump -r $T/genuine.pcap -n 2>/dev/null | grep -q 'length 128'" >/dev/null
kill "$cap"; wait "$cap" 2>/dev/null
# payloads of the captured packets as hex lines (IP header length from IHL, then 8 bytes of UDP)
tcpdump -r "$T/genuine.pcap" -x -n 2>/dev/null | perl -ne '
    if (/^\S/) { print_pkt(); next } s/^\s*0x[0-9a-f]+:\s*//; s/\s+//g; $h .= $_;
    END { print_pkt() }
    sub print_pkt { return unless $h; my $ihl = hex(substr($h, 1, 1)) * 4; print substr($h, ($ihl + 8) * 2), "\n"; $h = "" }
' >"$T/genuine.hex"
check "captured genuine packets: an initiation and transport data ($(wc -l <"$T/genuine.hex") packets)" \
    bash -c "grep -q '^01000000' $T/genuine.hex && grep -q '^04000000' $T/genuine.hex"
hs_before="$(wg show wl${TAG}a latest-handshakes | cut -f2)"
ep_before="$(wg show wl${TAG}a endpoints | cut -f2)"

# The junk, sent from B's namespace to A's port over IPv4 and IPv6, from a port wireguard-go
# doesn't use; a ping runs through the tunnel meanwhile.
cat >"$T/junk.pl" <<'EOF'
use strict; use warnings; use IO::Socket::IP;
my ($host, $port, $genuine) = @ARGV;
my $s = IO::Socket::IP->new(PeerHost => $host, PeerPort => $port, Proto => 'udp') or die "socket: $!";
setsockopt($s, Socket::SOL_SOCKET(), Socket::SO_SNDBUF(), 1 << 20);
sub rnd { my $n = shift; join '', map { chr int rand 256 } 1 .. $n }
sub hdr { pack('C', $_[0]) . "\0\0\0" }
my $sent = 0;
sub send_it { $s->send($_[0]) and $sent++; }
send_it('');                                                  # empty datagram
send_it(rnd($_)) for 1 .. 3;                                  # shorter than a header
send_it(hdr($_)) for 0 .. 5;                                  # bare headers
for my $t (1 .. 4) {                                          # each type, every size around its own
    my $size = (0, 148, 92, 64, 32)[$t];
    send_it(hdr($t) . rnd($_ - 4)) for ($size - 1, $size, $size + 1);
}
send_it(chr(1) . "\1\0\0" . rnd(144));                        # initiation, reserved byte set
send_it(hdr(4) . rnd(28)) for 1 .. 200;                       # keepalive-sized, random receiver
send_it(hdr(4) . rnd(1400)) for 1 .. 200;                     # data-sized, random receiver
send_it(hdr(int rand 256) . rnd(int rand 1500)) for 1 .. 500; # random type and length
send_it(rnd(65507)) for 1 .. 5;                               # oversized: the largest IPv4 datagram
send_it(hdr(4) . rnd(65503)) for 1 .. 5;                      # oversized transport data
send_it(hdr(1) . rnd(65503)) for 1 .. 5;                      # oversized initiation
send_it(hdr(1) . rnd(144)) for 1 .. 3000;                     # a flood of initiations with bad MACs
send_it(hdr(2) . rnd(88)) for 1 .. 500;                       # responses with bad MACs
send_it(hdr(3) . rnd(60)) for 1 .. 500;                       # cookie replies for no one
if ($genuine) {                                               # replays of genuine packets
    open my $f, '<', $genuine or die; my @p = map { chomp; pack 'H*', $_ } <$f>;
    for (1 .. 20) { send_it($_) for @p }
}
print "$sent\n";
EOF
nsx "$B" ping -c 40 -i 0.1 -W 2 10.88.0.1 >"$T/ping-during" 2>&1 &
pinger=$!
n4="$(nsx "$B" perl "$T/junk.pl" 192.168.88.1 51881 "$T/genuine.hex" 2>&1)"
n6="$(nsx "$B" perl "$T/junk.pl" fd88::1 51881 "$T/genuine.hex" 2>&1)"
wait "$pinger"
echo "    # sent $n4 datagrams over IPv4, $n6 over IPv6"
check "all junk datagrams were sent (IPv4: $n4)" test "${n4:-0}" -ge 4900
check "all junk datagrams were sent (IPv6: $n6)" test "${n6:-0}" -ge 4900
check "the daemon lives (same pid)" alive "$pa_pid"
check "the tunnel kept working during the junk ($(grep -o '[0-9]* received' "$T/ping-during"))" \
    bash -c "[ \$(grep -o '[0-9]* received' $T/ping-during | cut -d' ' -f1) -ge 30 ]"
check "the tunnel works after the junk, both ways" bash -c "ip netns exec $B ping -c 2 -W 3 10.88.0.1 && ip netns exec $A ping -c 2 -W 3 10.88.0.2"
check_eq "the replayed initiation made no new session (same handshake time)" "$hs_before" "$(wg show wl${TAG}a latest-handshakes | cut -f2)"
check_eq "replayed data from another port did not move the endpoint" "$ep_before" "$(wg show wl${TAG}a endpoints | cut -f2)"
check "wg show still answers" bash -c "wg show wl${TAG}a | grep -q 'latest handshake'"

finish
