#!/usr/bin/env bash
# jwg up/down with systemd-networkd files: a hub and two clients in network namespaces. The hub (wn0)
# and client A (wn1) come up from their 80-*.netdev + 85-*.network, client B is wireguard-go (wn2)
# configured with wg. Preshared keys per link from PresharedKeyFile=, PersistentKeepalive=25,
# RouteTable=/RouteMetric=, a blackhole default route with Metric=1 and a RoutingPolicyRule on A, a
# [Route] with GatewayOnLink= on the hub to a network behind A; pings across the hub; jwg down
# leaves nothing behind; jwg convert turns A's files into a wg-quick file that works too.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

H=wnq-hub A=wnq-a B=wnq-b
DIR="$(mktemp -d /tmp/jwg-networkd.XXXXXX)"
chmod 700 "$DIR"
mkdir -m 700 "$DIR/hub" "$DIR/a" "$DIR/conv"
trap 'cleanup; rm -f /run/jwg/wn[0-9].state; rm -rf "$DIR"' EXIT

netns_add "$H"
netns_add "$A"
netns_add "$B"
veth "$H" wnv-ha "$A" wnv-a
veth "$H" wnv-hb "$B" wnv-b
nsx "$H" ip addr add 192.168.221.1/24 dev wnv-ha
nsx "$A" ip addr add 192.168.221.2/24 dev wnv-a
nsx "$H" ip addr add 192.168.222.1/24 dev wnv-hb
nsx "$B" ip addr add 192.168.222.2/24 dev wnv-b
nsx "$H" sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
nsx "$A" ip addr add 10.221.0.1/32 dev lo # "a LAN behind A"

KH="$(wg_key)"; KA="$(wg_key)"; KB="$(wg_key)"
PH="$(pub_of "$KH")"; PA="$(pub_of "$KA")"; PB="$(pub_of "$KB")"
PSK_A="$(wg genpsk)"; PSK_B="$(wg genpsk)"
(umask 077
 echo "$KH" >"$DIR/hub/wn0.key"; echo "$PSK_A" >"$DIR/hub/a.psk"; echo "$PSK_B" >"$DIR/hub/b.psk"
 echo "$KA" >"$DIR/a/wn1.key"; echo "$PSK_A" >"$DIR/a/hub.psk")

cat >"$DIR/hub/80-wn0.netdev" <<EOF
[NetDev]
Name=wn0
Kind=wireguard
MTUBytes=1400

[WireGuard]
PrivateKeyFile=$DIR/hub/wn0.key
ListenPort=51830

# client A, and the network behind it
[WireGuardPeer]
PublicKey=$PA
PresharedKeyFile=$DIR/hub/a.psk
AllowedIPs=10.220.0.2/32,fd20::2/128
AllowedIPs=10.221.0.0/24

# client B (wireguard-go)
[WireGuardPeer]
PublicKey=$PB
PresharedKeyFile=$DIR/hub/b.psk
AllowedIPs=10.220.0.3/32,fd20::3/128
EOF
cat >"$DIR/hub/85-wn0.network" <<EOF
[Match]
Name=wn0

[Network]
Address=10.220.0.1/24
Address=fd20::1/64

[Route]
Destination=10.221.0.0/24
Gateway=10.220.0.2
GatewayOnLink=yes

[RoutingPolicyRule]
FirewallMark=0x99/0xff
InvertRule=yes
Table=main
SuppressPrefixLength=0
Family=both
Priority=30000
EOF
cat >"$DIR/a/80-wn1.netdev" <<EOF
[NetDev]
Name=wn1
Kind=wireguard

[WireGuard]
PrivateKeyFile=$DIR/a/wn1.key
ListenPort=51831
RouteTable=1234
RouteMetric=10

[WireGuardPeer]
PublicKey=$PH
PresharedKeyFile=$DIR/a/hub.psk
AllowedIPs=10.220.0.0/24,fd20::/64
Endpoint=192.168.221.1:51830
PersistentKeepalive=25
EOF
cat >"$DIR/a/85-wn1.network" <<EOF
[Match]
Name=wn1

[Network]
Address=10.220.0.2/24
Address=fd20::2/64

# kill switch: what table 1234 does not route through the tunnel is dropped
[Route]
Type=blackhole
Metric=1
Table=1234

[RoutingPolicyRule]
From=10.220.0.2/32
Table=1234
Priority=1234
EOF
# a .network for another interface in the same directory must be ignored
printf '[Match]\nName=eth*\n[Network]\nDHCP=yes\n' >"$DIR/a/50-eth.network"
chmod 600 "$DIR"/hub/* "$DIR"/a/*

snapshot() { # NS IF: what jwg may touch in NS, and its traces for IF
    nsx "$1" ip route show table all
    nsx "$1" ip -6 route show table all
    nsx "$1" ip rule
    nsx "$1" ip -6 rule
    nsx "$1" ip addr 2>/dev/null
    nsx "$1" nft list ruleset
    ls /run/jwg 2>/dev/null | grep "^$2\\." || true
    ls /var/run/wireguard 2>/dev/null | grep "^$2\\." || true
    pgrep -f -- "JwgdMain -f $2\$" || true
}
BEFORE_H="$(snapshot "$H" wn0)"
BEFORE_A="$(snapshot "$A" wn1)"

nothing_left() { # NS IF BEFORE description
    local after
    for _ in $(seq 1 50); do
        after="$(snapshot "$1" "$2")"
        [ "$after" == "$3" ] && break
        sleep 0.1
    done
    if [ "$after" == "$3" ]; then
        ok "$4"
    else
        not_ok "$4"
        diff <(echo "$3") <(echo "$after") | sed 's/^/    # /' | head -n 30
    fi
}

echo "# --- up from networkd files"
out="$(nsx "$H" "$JWG" up "$DIR/hub/80-wn0.netdev" 2>&1)"
check_eq "hub: jwg up 80-wn0.netdev: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check_eq "hub: the [#] commands networkd's settings call for" "[#] $E2E_ROOT/bin/jwgd wn0
[#] wg addconf wn0 <(jwg strip $DIR/hub/80-wn0.netdev)
[#] sysctl -q -e -w net.ipv6.conf.wn0.addr_gen_mode=1
[#] sysctl -q -e -w net.ipv6.conf.wn0.accept_ra=0
[#] ip -4 address add 10.220.0.1/24 dev wn0
[#] ip -6 address add fd20::1/64 dev wn0
[#] ip link set mtu 1400 up dev wn0
[#] ip -4 route add 10.221.0.0/24 via 10.220.0.2 dev wn0 onlink
[#] ip -4 rule add not fwmark 153/0xff priority 30000 lookup main suppress_prefixlength 0
[#] ip -6 rule add not fwmark 153/0xff priority 30000 lookup main suppress_prefixlength 0" "$out"

out="$(nsx "$A" "$JWG" up "$DIR/a/80-wn1.netdev" 2>&1)"
check_eq "client A: jwg up 80-wn1.netdev: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check_eq "client A: the [#] commands networkd's settings call for" "[#] $E2E_ROOT/bin/jwgd wn1
[#] wg addconf wn1 <(jwg strip $DIR/a/80-wn1.netdev)
[#] sysctl -q -e -w net.ipv6.conf.wn1.addr_gen_mode=1
[#] sysctl -q -e -w net.ipv6.conf.wn1.accept_ra=0
[#] ip -4 address add 10.220.0.2/24 dev wn1
[#] ip -6 address add fd20::2/64 dev wn1
[#] ip link set up dev wn1
[#] ip -4 route add 10.220.0.0/24 dev wn1 table 1234 metric 10
[#] ip -6 route add fd20::/64 dev wn1 table 1234 metric 10
[#] ip -4 route add blackhole 0.0.0.0/0 metric 1 table 1234
[#] ip -4 rule add from 10.220.0.2/32 priority 1234 lookup 1234" "$out"

start_daemon wireguard-go "$B" wn2
wg set wn2 private-key <(echo "$KB") listen-port 51832 peer "$PH" preshared-key <(echo "$PSK_B") \
    allowed-ips 10.220.0.0/24,fd20::/64,10.221.0.0/24 endpoint 192.168.222.1:51830 persistent-keepalive 25
nsx "$B" ip addr add 10.220.0.3/24 dev wn2
nsx "$B" ip addr add fd20::3/64 dev wn2 nodad
nsx "$B" ip link set wn2 up
nsx "$B" ip route add 10.221.0.0/24 dev wn2

echo "# --- the tunnels"
check_eq "hub: MTUBytes=1400" 1400 "$(nsx "$H" cat /sys/class/net/wn0/mtu)"
check_eq "hub: private key from PrivateKeyFile" "$KH" "$(wg show wn0 private-key)"
check_eq "hub: listen port" 51830 "$(wg show wn0 listen-port)"
check_eq "hub: per-link preshared keys from PresharedKeyFile" "$(printf '%s\t%s\n%s\t%s\n' "$PA" "$PSK_A" "$PB" "$PSK_B" | sort)" \
    "$(wg show wn0 preshared-keys | sort)"
check_eq "client A: PersistentKeepalive=25" "$PH	25" "$(wg show wn1 persistent-keepalive)"
check_eq "client A: endpoint" "$PH	192.168.221.1:51830" "$(wg show wn1 endpoints)"
check "client A → hub (IPv4)" nsx "$A" ping -c 2 -W 3 10.220.0.1
check "client A → hub (IPv6)" nsx "$A" ping -6 -c 2 -W 3 fd20::1
check "client B (wireguard-go) → hub" nsx "$B" ping -c 2 -W 3 10.220.0.1
check "client A → client B across the hub (IPv4)" nsx "$A" ping -c 2 -W 3 10.220.0.3
check "client A → client B across the hub (IPv6)" nsx "$A" ping -6 -c 2 -W 3 fd20::3
check "client B → client A across the hub" nsx "$B" ping -c 2 -W 3 10.220.0.2
check "client B → the network behind A, via the hub's GatewayOnLink route" nsx "$B" ping -c 2 -W 3 10.221.0.1
check "hub: both handshakes done" test "$(wg show wn0 latest-handshakes | awk '$2 > 0' | wc -l)" -eq 2
check "client A: the rule sends its tunnel address to table 1234" \
    grep -q 'dev wn1 table 1234' <<<"$(nsx "$A" ip route get 10.220.0.3 from 10.220.0.2)"
check "client A: table 1234 holds the blackhole default, metric 1" \
    grep -qx 'blackhole default metric 1 ' <<<"$(nsx "$A" ip route show table 1234)"
# a blackhole answers EINVAL; without it the lookup would go on to main and fail with ENETUNREACH
check "client A: elsewhere from its tunnel address hits the blackhole" \
    grep -q 'Invalid argument' <<<"$(nsx "$A" ip route get 203.0.113.9 from 10.220.0.2 2>&1)"
check "client A: the state file records the blackhole and the rule" test "$(grep -c -e $'^undo\troute\tip -4 route delete blackhole 0.0.0.0/0 metric 1 table 1234$' -e $'^undo\trule\tip -4 rule delete from 10.220.0.2/32 priority 1234 lookup 1234$' /run/jwg/wn1.state)" -eq 2

echo "# --- down"
out="$(nsx "$A" "$JWG" down "$DIR/a/80-wn1.netdev" 2>&1)"
check_eq "client A: jwg down 80-wn1.netdev removes the rule, the blackhole, then the link" "0 [#] ip -4 rule delete from 10.220.0.2/32 priority 1234 lookup 1234
[#] ip -4 route delete blackhole 0.0.0.0/0 metric 1 table 1234
[#] ip link delete dev wn1" "$? $out"
nothing_left "$A" wn1 "$BEFORE_A" "client A: nothing left behind"
out="$(nsx "$H" "$JWG" down wn0 2>&1)"
check_eq "hub: jwg down wn0" "0 [#] ip -6 rule delete not fwmark 153/0xff priority 30000 lookup main suppress_prefixlength 0
[#] ip -4 rule delete not fwmark 153/0xff priority 30000 lookup main suppress_prefixlength 0
[#] ip link delete dev wn0" "$? $out"
nothing_left "$H" wn0 "$BEFORE_H" "hub: nothing left behind"

echo "# --- errors leave nothing behind"
cp "$DIR/a/80-wn1.netdev" "$DIR/a/80-wn1.netdev.good"
sed -i "s#^PresharedKeyFile=.*#PresharedKeyFile=$DIR/a/missing.psk#" "$DIR/a/80-wn1.netdev"
out="$(nsx "$A" "$JWG" up "$DIR/a/80-wn1.netdev" 2>&1)"; rc=$?
check "missing PresharedKeyFile: exit 1 with file:line: key: reason" \
    test "$rc" = 1 -a -n "$(grep '^jwg: 80-wn1.netdev:[0-9]*: PresharedKeyFile: ' <<<"$out")"
cp "$DIR/a/80-wn1.netdev.good" "$DIR/a/80-wn1.netdev"
sed -i 's/^Priority=1234$/Priority=1234\nTable=nosuchtable/' "$DIR/a/85-wn1.network"
out="$(nsx "$A" "$JWG" up "$DIR/a/80-wn1.netdev" 2>&1)"; rc=$?
check "unknown table name: refused before anything runs" \
    test "$rc" = 1 -a -n "$(grep "^jwg: 85-wn1.network: Table: routing table 'nosuchtable' is not defined" <<<"$out")"
sed -i '/^Table=nosuchtable$/d' "$DIR/a/85-wn1.network"
nsx "$A" ip rule add from 10.220.0.2/32 priority 1234 lookup 1234 # the rule exists already: up fails at it
out="$(nsx "$A" "$JWG" up "$DIR/a/80-wn1.netdev" 2>&1)"; rc=$?
check "a failing ip rule add: exit 1, blackhole and link rolled back" \
    test "$rc" = 1 -a "$(echo "$out" | tail -n 2 | tr '\n' '|')" == "[#] ip -4 route delete blackhole 0.0.0.0/0 metric 1 table 1234|[#] ip link delete dev wn1|"
nsx "$A" ip rule del from 10.220.0.2/32 priority 1234 lookup 1234
nothing_left "$A" wn1 "$BEFORE_A" "client A: nothing left after the errors"

echo "# --- jwg convert: A's networkd files as a wg-quick file, brought up with jwg up"
out="$(nsx "$A" "$JWG" convert "$DIR/a/80-wn1.netdev" --output-dir "$DIR/conv" 2>&1)"
check_eq "convert: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check "convert: warnings name what changed" grep -q '^jwg: warning: keys stay in their files' <<<"$out"
check_eq "convert: wn1.conf, mode 600" 600 "$(stat -c %a "$DIR/conv/wn1.conf")"
check "convert: the kill switch as PostUp/PostDown" grep -qx 'PostDown = ip -4 route del blackhole default metric 1 table 1234' "$DIR/conv/wn1.conf"
nsx "$H" "$JWG" up "$DIR/hub/80-wn0.netdev" >/dev/null 2>&1
# the hub restarted with fresh sessions; B, which has no way to know, starts over
wg set wn2 peer "$PH" remove
wg set wn2 peer "$PH" preshared-key <(echo "$PSK_B") allowed-ips 10.220.0.0/24,fd20::/64,10.221.0.0/24 \
    endpoint 192.168.222.1:51830 persistent-keepalive 25
out="$(nsx "$A" "$JWG" up "$DIR/conv/wn1.conf" 2>&1)"
check_eq "convert: jwg up wn1.conf" 0 "$?"
echo "$out" | sed 's/^/    # /'
# the converted file loads the keys in PostUp, after the link is up: a first handshake may go out
# without the preshared key and be refused, and the next comes 5 s later (REKEY_TIMEOUT)
check "convert: client A → hub through the converted file" wait_for 15 nsx "$A" ping -c 1 -W 1 10.220.0.1
check "convert: client A → client B across the hub" nsx "$A" ping -c 2 -W 3 10.220.0.3
check "convert: the rule from the .network is there" grep -q 'from 10.220.0.2 lookup 1234' <<<"$(nsx "$A" ip rule)"
out="$(nsx "$A" "$JWG" down "$DIR/conv/wn1.conf" 2>&1)"
check_eq "convert: jwg down wn1.conf" 0 "$?"
nothing_left "$A" wn1 "$BEFORE_A" "convert: the converted file's PostDown and jwg down leave nothing behind"
nsx "$H" "$JWG" down wn0 >/dev/null 2>&1
nothing_left "$H" wn0 "$BEFORE_H" "hub: nothing left behind at the end"
out="$("$JWG" convert "$DIR/conv/wn1.conf" --to networkd 2>/dev/null)"
check "convert back: a .netdev and a .network on standard output" \
    test -n "$(grep -x '# 80-wn1.netdev' <<<"$out")" -a -n "$(grep -x '# 85-wn1.network' <<<"$out")" -a -n "$(grep -x 'Name=wn1' <<<"$out")"

finish
