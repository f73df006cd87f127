#!/usr/bin/env bash
# A .netdev/.network pair as people write them for systemd-networkd, brought up with `jwg up IF` from
# networkd's own directory against a wireguard-go peer: GatewayOnlink= (the older spelling), MTUBytes=
# in both files, RouteTable=main, two AllowedIPs= lines, an Endpoint host name, [Match] Name= with a
# glob, LinkLocalAddressing=no, IPv6AcceptRA=false, DHCP=no, [Link] RequiredForOnline=no, a key
# networkd does not know, and a [RoutingPolicyRule] with To=, Table=, Priority= and FirewallMark=.
# jwg up succeeds and warns about the unknown key with file and line, applies the rest (ip link,
# ip route, ip rule, wg show; no fe80:: address and accept_ra 0 on the link, which is a TUN and would
# otherwise get both from the kernel), pings through; jwg down restores everything. The files live in a
# private mount namespace over /etc/systemd/network (and /etc/hosts, for the host name).
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TAG="$(run_tag "${E2E_PREFIX}f" "${E2E_PREFIX}g")"
A="${E2E_PREFIX}-nf-a$TAG" B="${E2E_PREFIX}-nf-b$TAG"
IF="${E2E_PREFIX}f$TAG" PEER_IF="${E2E_PREFIX}g$TAG"
DIR="$(mktemp -d /tmp/jwg-networkd-field.XXXXXX)"
chmod 700 "$DIR"
mkdir -m 700 "$DIR/network"
trap 'cleanup; rm -f "/run/jwg/$IF.state"; rm -rf "$DIR"' EXIT

netns_add "$A"
netns_add "$B"
veth "$A" "${E2E_PREFIX}va$TAG" "$B" "${E2E_PREFIX}vb$TAG"
nsx "$A" ip addr add 192.168.240.1/24 dev "${E2E_PREFIX}va$TAG"
nsx "$B" ip addr add 192.168.240.2/24 dev "${E2E_PREFIX}vb$TAG"
nsx "$B" ip addr add 10.244.1.1/32 dev lo # a network behind the peer, reached through its tunnel address

KA="$(wg_key)"; KB="$(wg_key)"; PA="$(pub_of "$KA")"; PB="$(pub_of "$KB")"
(umask 077; echo "$KA" >"$DIR/network/$IF.key")
cp /etc/hosts "$DIR/hosts"
echo "192.168.240.2 peer-b.fd.example" >>"$DIR/hosts"

cat >"$DIR/network/90-$IF.netdev" <<EOF
[NetDev]
Name=$IF
Kind=wireguard
MTUBytes=1400

[WireGuard]
PrivateKeyFile=/etc/systemd/network/$IF.key
ListenPort=51840
FirewallMark=0x70
RouteTable=main

[WireGuardPeer]
PublicKey=$PB
AllowedIPs=10.240.0.0/24,fd40::/64
AllowedIPs=10.244.0.0/16
Endpoint=peer-b.fd.example:51841
PersistentKeepalive=25
EOF
cat >"$DIR/network/90-$IF.network" <<EOF
[Match]
Name=${E2E_PREFIX}f*

[Link]
MTUBytes=1380
RequiredForOnline=no

[Network]
Address=10.240.0.1/24
Address=fd40::1/64
LinkLocalAddressing=no
IPv6AcceptRA=false
DHCP=no
ListenOn=10.240.0.1

[Route]
Destination=10.244.1.0/24
Gateway=10.240.0.2
GatewayOnlink=yes

[RoutingPolicyRule]
To=10.243.0.0/24
Table=1243
Priority=1243
FirewallMark=0x33
EOF
chmod 600 "$DIR/network/"*
UNKNOWN_LINE="$(grep -n '^ListenOn=' "$DIR/network/90-$IF.network" | cut -d: -f1)"

# jwg in namespace A, seeing $DIR/network as /etc/systemd/network and $DIR/hosts as /etc/hosts
jwg_in_a() {
    nsx "$A" unshare -m --propagation private bash -c \
        'mount --bind "$1" /etc/systemd/network && mount --bind "$2" /etc/hosts && shift 2 && exec "$@"' \
        _ "$DIR/network" "$DIR/hosts" "$JWG" "$@"
}

start_daemon wireguard-go "$B" "$PEER_IF"
wg set "$PEER_IF" private-key <(echo "$KB") listen-port 51841 peer "$PA" allowed-ips 10.240.0.1/32,fd40::1/128
nsx "$B" ip addr add 10.240.0.2/24 dev "$PEER_IF"
nsx "$B" ip addr add fd40::2/64 dev "$PEER_IF" nodad
nsx "$B" ip link set "$PEER_IF" up

snapshot() {
    nsx "$A" ip route show table all
    nsx "$A" ip -6 route show table all
    nsx "$A" ip rule
    nsx "$A" ip -6 rule
    nsx "$A" ip addr 2>/dev/null
    nsx "$A" ls /proc/sys/net/ipv4/conf /proc/sys/net/ipv6/conf # the link's sysctls go with it
    ls /run/jwg 2>/dev/null | grep "^$IF\\." || true
    ls /var/run/wireguard 2>/dev/null | grep "^$IF\\." || true
    pgrep -f -- "JwgdMain -f $IF\$" || true
}
BEFORE="$(snapshot)"

echo "# --- jwg up $IF: the .netdev found by its Name= in /etc/systemd/network"
out="$(jwg_in_a up "$IF" 2>&1)"
check_eq "jwg up $IF: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check_eq "the unknown key is warned about with file and line; the rest is applied, silently" \
"[!] warning: 90-$IF.network:$UNKNOWN_LINE: ListenOn: unknown key in [Network], ignored
[#] $E2E_ROOT/bin/jwgd $IF
[#] wg addconf $IF <(jwg strip /etc/systemd/network/90-$IF.netdev)
[#] sysctl -q -e -w net.ipv6.conf.$IF.addr_gen_mode=1
[#] sysctl -q -e -w net.ipv6.conf.$IF.accept_ra=0
[#] ip -4 address add 10.240.0.1/24 dev $IF
[#] ip -6 address add fd40::1/64 dev $IF
[#] ip link set mtu 1380 up dev $IF
[#] ip -6 route add fd40::/64 dev $IF table main
[#] ip -4 route add 10.244.0.0/16 dev $IF table main
[#] ip -4 route add 10.244.1.0/24 via 10.240.0.2 dev $IF onlink
[#] ip -4 rule add to 10.243.0.0/24 fwmark 51 priority 1243 lookup 1243" "$out"

echo "# --- what is applied"
check "ip link: MTUBytes= of the .network (1380) over the .netdev's (1400)" \
    grep -q "mtu 1380 " <<<"$(nsx "$A" ip link show dev "$IF")"
check_eq "ip route: the route for each AllowedIPs= line, and the GatewayOnlink route" \
"10.240.0.0/24 proto kernel scope link src 10.240.0.1 
10.244.0.0/16 scope link 
10.244.1.0/24 via 10.240.0.2 onlink " "$(nsx "$A" ip -4 route show dev "$IF")"
check "ip -6 route: fd40::/64 through the link" grep -q '^fd40::/64 ' <<<"$(nsx "$A" ip -6 route show dev "$IF")"
check "ip route get: the network behind the peer goes via its tunnel address" \
    grep -q "via 10.240.0.2 dev $IF" <<<"$(nsx "$A" ip route get 10.244.1.1)"
check "ip rule: To= Table= Priority= FirewallMark=" \
    grep -qx '1243:	from all to 10.243.0.0/24 fwmark 0x33 lookup 1243' <<<"$(nsx "$A" ip rule)"
check_eq "wg show: both AllowedIPs= lines" "$PB	10.240.0.0/24 10.244.0.0/16 fd40::/64" "$(wg show "$IF" allowed-ips)"
check_eq "wg show: the endpoint host name, resolved" "$PB	192.168.240.2:51841" "$(wg show "$IF" endpoints)"
check_eq "wg show: FirewallMark=0x70" "0x70" "$(wg show "$IF" fwmark)"
check_eq "wg show: ListenPort=51840" "51840" "$(wg show "$IF" listen-port)"
check "ping through the tunnel (IPv4)" nsx "$A" ping -c 2 -W 3 10.240.0.2
check "ping through the tunnel (IPv6)" nsx "$A" ping -6 -c 2 -W 3 fd40::2
check "ping the network behind the peer, through the GatewayOnlink route" nsx "$A" ping -c 2 -W 3 10.244.1.1
# checked after the pings, long after the link came up: the kernel adds a TUN's fe80:: as it goes up
check "LinkLocalAddressing=no: no fe80:: address on the link (addrgenmode none)" \
    test -z "$(nsx "$A" ip -6 address show dev "$IF" scope link)" -a \
    -n "$(nsx "$A" ip -d link show dev "$IF" | grep -o 'addrgenmode none')"
check "... where wireguard-go's TUN, brought up by hand, has one" \
    test -n "$(nsx "$B" ip -6 address show dev "$PEER_IF" scope link)"
check_eq "IPv6AcceptRA=false: accept_ra 0 on the link (the kernel's default is 1)" \
    "0 1" "$(nsx "$A" sysctl -n net.ipv6.conf."$IF".accept_ra) $(nsx "$B" sysctl -n net.ipv6.conf."$PEER_IF".accept_ra)"

echo "# --- jwg down $IF restores everything"
out="$(nsx "$A" "$JWG" down "$IF" 2>&1)"
check_eq "jwg down $IF: the rule, then the link" "0 [#] ip -4 rule delete to 10.243.0.0/24 fwmark 51 priority 1243 lookup 1243
[#] ip link delete dev $IF" "$? $out"
after=""
for _ in $(seq 1 50); do
    after="$(snapshot)"
    [ "$after" == "$BEFORE" ] && break
    sleep 0.1
done
if [ "$after" == "$BEFORE" ]; then
    ok "nothing left behind: routes, rules, addresses, state, socket, daemon"
else
    not_ok "nothing left behind"
    diff <(echo "$BEFORE") <(echo "$after") | sed 's/^/    # /' | head -n 30
fi

finish
