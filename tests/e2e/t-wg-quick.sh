#!/usr/bin/env bash
# wg-quick with jwgd as its userspace implementation:
#   WG_QUICK_USERSPACE_IMPLEMENTATION=$ROOT/bin/jwgd wg-quick up|down /tmp/…/wq0.conf
# in a client namespace, against a wireguard-go server configured with wg. First a split tunnel
# (Address v4+v6, ListenPort, a peer with an endpoint): up, pings both ways and families, a
# full-size packet, wg show, wg syncconf <(wg-quick strip), down removes interface, routes,
# addresses, daemon and socket. Then a full tunnel (AllowedIPs = 0.0.0.0/0, ::/0) whose endpoint
# is reachable only through the client's default route, so the handshake can only complete if
# jwgd puts SO_MARK (fwmark 51820) on its UDP socket; down removes the policy rules and nft table.
E2E_PREFIX="${E2E_PREFIX:-wq}"
umask 077
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TAG="$(run_tag wq wqs)"
S="${E2E_PREFIX}-quick-s-$TAG" C="${E2E_PREFIX}-quick-c-$TAG"
IF="wq$TAG" SIF="wqs$TAG"
CONF_DIR="$(mktemp -d /tmp/jwg-wq.XXXXXX)"
CONF="$CONF_DIR/$IF.conf"
trap 'nsx "$C" wg-quick down "$CONF" >/dev/null 2>&1; cleanup; rm -rf "$CONF_DIR"' EXIT
export WG_QUICK_USERSPACE_IMPLEMENTATION="$JWGD"

quick() { nsx "$C" env WG_QUICK_USERSPACE_IMPLEMENTATION="$JWGD" wg-quick "$@"; }
gone() { ! nsx "$C" ip link show "$IF" >/dev/null 2>&1; }
no_socket() { [ ! -e "/var/run/wireguard/$IF.sock" ]; }
no_daemon() { [ -z "$(daemon_pid "$IF")" ]; }

echo "# --- preconditions: no kernel module, so wg-quick falls back to userspace"
if [ -e /sys/module/wireguard ]; then
    echo "ok - wg-quick userspace fallback # SKIP /sys/module/wireguard exists: wg-quick would use the kernel module"
    finish
    exit 0
fi
ok "/sys/module/wireguard does not exist"
netns_add "$S"
netns_add "$C"
if nsx "$C" ip link add "wqp$TAG" type wireguard 2>/dev/null; then
    nsx "$C" ip link del "wqp$TAG"
    echo "ok - wg-quick userspace fallback # SKIP ip link add type wireguard works here"
    finish
    exit 0
fi
ok "ip link add type wireguard fails (so wg-quick falls back to \$WG_QUICK_USERSPACE_IMPLEMENTATION)"

# Topology: client vc 192.168.66.2 ── vs 192.168.66.1 server; the server also owns 203.0.113.1
# (its WireGuard endpoint in the full-tunnel part, reachable from the client only via its default
# route) and 198.18.5.1 / fd99::1 ("behind the server": neither tunnel nor veth addresses).
veth "$C" vc "$S" vs
nsx "$C" ip addr add 192.168.66.2/24 dev vc
nsx "$C" ip addr add fd66:1::2/64 dev vc nodad
nsx "$S" ip addr add 192.168.66.1/24 dev vs
nsx "$S" ip addr add fd66:1::1/64 dev vs nodad
nsx "$S" ip addr add 198.18.5.1/32 dev lo
nsx "$S" ip addr add fd99::1/128 dev lo
nsx "$S" ip addr add 203.0.113.1/32 dev lo

ks="$(wg_key)"; kc="$(wg_key)"; ps="$(pub_of "$ks")"; pc="$(pub_of "$kc")"
start_daemon wireguard-go "$S" "$SIF"
INTERFACES+=("$C:$IF")
echo "$ks" >"$CONF_DIR/server.key"
wg set "$SIF" private-key "$CONF_DIR/server.key" listen-port 51866 peer "$pc" allowed-ips 10.66.0.2/32,fd66::2/128
nsx "$S" ip addr add 10.66.0.1/24 dev "$SIF"
nsx "$S" ip addr add fd66::1/64 dev "$SIF" nodad
nsx "$S" ip link set "$SIF" up

echo "# --- split tunnel"
cat >"$CONF" <<EOF
[Interface]
PrivateKey = $kc
Address = 10.66.0.2/24, fd66::2/64
ListenPort = 51867

[Peer]
PublicKey = $ps
Endpoint = 192.168.66.1:51866
AllowedIPs = 10.66.0.0/24, fd66::/64
PersistentKeepalive = 25
EOF
out="$(quick up "$CONF" 2>&1)"
rc=$?
echo "$out" | sed 's/^/    # /'
check_eq "wg-quick up exits 0" "0" "$rc"
check "wg-quick fell back to userspace" grep -qF "[!] Missing WireGuard kernel module. Falling back to slow userspace implementation." <<<"$out"
check "wg-quick ran bin/jwgd $IF" grep -qF "[#] $JWGD $IF" <<<"$out"
check "the interface exists and is up" bash -c "ip netns exec $C ip link show $IF | grep -q ',UP'"
check "the UAPI socket exists" test -S "/var/run/wireguard/$IF.sock"
check "a jwgd daemon serves it" test -n "$(daemon_pid "$IF")"
check "the IPv4 address is on the interface" bash -c "ip netns exec $C ip -4 addr show dev $IF | grep -q 'inet 10.66.0.2/24'"
check "the IPv6 address is on the interface" bash -c "ip netns exec $C ip -6 addr show dev $IF | grep -q 'inet6 fd66::2/64'"
check_eq "MTU = route MTU − 80" "1420" "$(nsx "$C" cat /sys/class/net/$IF/mtu)"
check "IPv4 ping client → server through the tunnel" nsx "$C" ping -c 2 -W 3 10.66.0.1
check "IPv6 ping client → server through the tunnel" nsx "$C" ping -6 -c 2 -W 3 fd66::1
check "IPv4 ping server → client" nsx "$S" ping -c 2 -W 3 10.66.0.2
check "IPv6 ping server → client" nsx "$S" ping -6 -c 2 -W 3 fd66::2
check "a full-size packet (1420 bytes, DF) through the tunnel" nsx "$C" ping -c 1 -W 3 -M do -s 1392 10.66.0.1
check_eq "wg show: listen port from the config" "51867" "$(wg show $IF listen-port)"
check_eq "wg show: the peer and its endpoint" "$ps	192.168.66.1:51866" "$(wg show $IF endpoints)"
check_eq "wg show: allowed IPs" "$ps	10.66.0.0/24 fd66::/64" "$(wg show $IF allowed-ips)"
check_eq "wg show: persistent keepalive" "$ps	25" "$(wg show $IF persistent-keepalive)"
check "wg show: a recent handshake" test "$(( $(date +%s) - $(wg show $IF latest-handshakes | cut -f2) ))" -lt 30
check "wg show: bytes moved both ways" bash -c "wg show $IF transfer | awk '{ exit !(\$2 > 0 && \$3 > 0) }'"
check "wg show: pretty output names the interface and peer" bash -c "wg show $IF | grep -q '^interface: $IF' && wg show $IF | grep -q '^peer: $ps'"
check "the server sees the client at its veth address" bash -c "wg show $SIF endpoints | grep -qF '192.168.66.2:51867'"
check "routes for the allowed IPs via $IF" bash -c "ip netns exec $C ip route show dev $IF | grep -q '^10.66.0.0/24' && ip netns exec $C ip -6 route show dev $IF | grep -q '^fd66::/64'"
check "wg-quick up again refuses (already exists)" bash -c "! ip netns exec $C wg-quick up $CONF"
# The systemd reload path: wg syncconf IF <(wg-quick strip CONF) on the live interface.
sed -i 's/^PersistentKeepalive = 25/PersistentKeepalive = 15/' "$CONF"
check "wg syncconf $IF <(wg-quick strip CONF)" bash -c "ip netns exec $C wg syncconf $IF <(ip netns exec $C wg-quick strip $CONF)"
check_eq "syncconf applied the change" "$ps	15" "$(wg show $IF persistent-keepalive)"
check "the tunnel still works after syncconf" nsx "$C" ping -c 1 -W 3 10.66.0.1
pid="$(daemon_pid "$IF")"
out="$(quick down "$CONF" 2>&1)"
rc=$?
echo "$out" | sed 's/^/    # /'
check_eq "wg-quick down exits 0" "0" "$rc"
check "down: the interface is gone" gone
check "down: the daemon exited" wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
check "down: the socket is removed" wait_for 5 no_socket
check "down: no route via $IF left" bash -c "! ip netns exec $C ip route | grep -q '$IF' && ! ip netns exec $C ip -6 route | grep -q '$IF'"
check "down: no address 10.66.0.2 / fd66::2 left" bash -c "! ip netns exec $C ip addr | grep -qE '10\.66\.0\.2|fd66::2/'"
check "down: wg show no longer lists it" bash -c "! wg show interfaces | tr ' ' '\n' | grep -qx $IF"

echo "# --- full tunnel: AllowedIPs = 0.0.0.0/0, ::/0 (fwmark 51820 policy routing)"
# The endpoint 203.0.113.1 is reachable only through the client's default route, so without
# SO_MARK the encrypted packets would be routed into the tunnel itself.
nsx "$C" ip route add default via 192.168.66.1 dev vc
wg set "$SIF" peer "$pc" allowed-ips 10.66.0.2/32,fd66::2/128
cat >"$CONF" <<EOF
[Interface]
PrivateKey = $kc
Address = 10.66.0.2/32, fd66::2/128

[Peer]
PublicKey = $ps
Endpoint = 203.0.113.1:51866
AllowedIPs = 0.0.0.0/0, ::/0
EOF
out="$(quick up "$CONF" 2>&1)"
rc=$?
echo "$out" | sed 's/^/    # /'
check_eq "wg-quick up (full tunnel) exits 0" "0" "$rc"
check_eq "wg show $IF fwmark = 0xca6c (set by wg-quick)" "0xca6c" "$(wg show $IF fwmark)"
check "ip route get of an outside address goes through $IF" bash -c "ip netns exec $C ip route get 192.0.2.77 | grep -q 'dev $IF'"
check "ip -6 route get of an outside address goes through $IF" bash -c "ip netns exec $C ip -6 route get 2001:db8::77 | grep -q 'dev $IF'"
check "unmarked, the endpoint itself would be routed into the tunnel" bash -c "ip netns exec $C ip route get 203.0.113.1 | grep -q 'dev $IF'"
check "marked 51820, the endpoint is routed via the veth" bash -c "ip netns exec $C ip route get 203.0.113.1 mark 51820 | grep -q 'dev vc'"
check "ip rule: not fwmark 0xca6c lookup 51820" bash -c "ip netns exec $C ip -4 rule | grep -q 'not from all fwmark 0xca6c lookup 51820'"
check "ip rule: main suppress_prefixlength 0" bash -c "ip netns exec $C ip -4 rule | grep -q 'lookup main suppress_prefixlength 0'"
check "ip -6 rule: not fwmark 0xca6c lookup 51820" bash -c "ip netns exec $C ip -6 rule | grep -q 'not from all fwmark 0xca6c lookup 51820'"
check "nft table wg-quick-$IF exists" bash -c "ip netns exec $C nft list tables | grep -q 'wg-quick-$IF'"
check "IPv4 ping to an address behind the server (handshake over the marked socket)" nsx "$C" ping -c 2 -W 3 198.18.5.1
check "IPv6 ping to an address behind the server" nsx "$C" ping -6 -c 2 -W 3 fd99::1
check "handshake completed" test "$(wg show $IF latest-handshakes | cut -f2)" -gt 0
check_eq "the server sees the client at its veth address (the UDP left via vc, not the tunnel)" "$pc	192.168.66.2:$(wg show $IF listen-port)" "$(wg show $SIF endpoints)"
ip netns exec "$C" timeout 8 tcpdump -n -i vc -l "udp and host 203.0.113.1" >"$CONF_DIR/vc.dump" 2>"$CONF_DIR/tcpdump.err" &
dump=$!
wait_for 5 grep -q 'listening on' "$CONF_DIR/tcpdump.err" >/dev/null
nsx "$C" ping -c 3 -i 0.3 -W 2 198.18.5.1 >/dev/null
wait_for 8 bash -c "[ \$(grep -c UDP '$CONF_DIR/vc.dump') -ge 6 ]" >/dev/null
kill "$dump" 2>/dev/null; wait "$dump" 2>/dev/null
check "the encrypted UDP is on the veth ($(grep -c UDP "$CONF_DIR/vc.dump") packets in the capture)" test "$(grep -c UDP "$CONF_DIR/vc.dump")" -ge 6
pid="$(daemon_pid "$IF")"
out="$(quick down "$CONF" 2>&1)"
rc=$?
echo "$out" | sed 's/^/    # /'
check_eq "wg-quick down (full tunnel) exits 0" "0" "$rc"
check "down: the interface is gone" gone
check "down: the daemon exited" wait_for 5 bash -c "! kill -0 $pid 2>/dev/null"
check "down: the socket is removed" wait_for 5 no_socket
check "down: the fwmark rules are gone (v4)" bash -c "! ip netns exec $C ip -4 rule | grep -qE 'fwmark 0xca6c|suppress_prefixlength'"
check "down: the fwmark rules are gone (v6)" bash -c "! ip netns exec $C ip -6 rule | grep -qE 'fwmark 0xca6c|suppress_prefixlength'"
check "down: table 51820 is empty" bash -c "[ -z \"\$(ip netns exec $C ip route show table 51820)\" ] && [ -z \"\$(ip netns exec $C ip -6 route show table 51820)\" ]"
check "down: the nft table is gone" bash -c "! ip netns exec $C nft list tables | grep -q 'wg-quick-$IF'"
check "down: the default route is back on the veth" bash -c "ip netns exec $C ip route get 192.0.2.77 | grep -q 'dev vc'"

finish
