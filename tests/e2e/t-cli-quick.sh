#!/usr/bin/env bash
# jwg up/down/strip/save with wg-quick files, in network namespaces, against a wireguard-go server:
# a split tunnel (IPv4/IPv6 through, hooks, wg show, strip and save), a full tunnel (default routes
# through the tunnel, encrypted UDP outside it, policy rules and nftables tables), the [#] commands
# compared with /usr/bin/wg-quick's for the same files, a configuration error, a failure half-way and
# an interrupt — and after each, nothing left behind: routes, rules, addresses, links, nftables,
# state files, sockets and daemons are compared with what was there before.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

S=wuq-srv C=wuq-cli
DIR="$(mktemp -d /tmp/jwg-cli-quick.XXXXXX)"
chmod 700 "$DIR"
trap 'cleanup; rm -f /run/jwg/wu[0-9].state; rm -rf "$DIR"' EXIT
# a resolvconf (none is installed here) that records what it is told, for jwg and wg-quick alike
mkdir "$DIR/bin"
cat >"$DIR/bin/resolvconf" <<EOF
#!/bin/bash
echo "resolvconf \$*" >>"$DIR/resolvconf.log"
case "\$1" in
    -a) cat >"$DIR/resolv.\$2" ;;
    -d) rm -f "$DIR/resolv.\$2" ;;
    -l) cat "$DIR/resolv.\$2" 2>/dev/null ;;
esac
EOF
chmod 755 "$DIR/bin/resolvconf"
export PATH="$DIR/bin:$PATH"

# --- topology: server S (wireguard-go wus0) and client C joined by a veth; both have default routes
netns_add "$S"
netns_add "$C"
veth "$S" wuv-s "$C" wuv-c
nsx "$S" ip addr add 192.168.213.1/24 dev wuv-s
nsx "$S" ip addr add fd13::1/64 dev wuv-s nodad
nsx "$C" ip addr add 192.168.213.2/24 dev wuv-c
nsx "$C" ip addr add fd13::2/64 dev wuv-c nodad
nsx "$C" ip route add default via 192.168.213.1
nsx "$C" ip -6 route add default via fd13::1
# "behind the server": addresses only reachable through the tunnel
nsx "$S" ip addr add 10.99.213.1/32 dev lo
nsx "$S" ip addr add fd99:213::1/128 dev lo

KS="$(wg_key)"; KC="$(wg_key)"; PS="$(pub_of "$KS")"; PC="$(pub_of "$KC")"
start_daemon wireguard-go "$S" wus0
wg set wus0 private-key <(echo "$KS") listen-port 51820 peer "$PC" allowed-ips 10.213.0.2/32,fd10:213::2/128
nsx "$S" ip addr add 10.213.0.1/24 dev wus0
nsx "$S" ip addr add fd10:213::1/64 dev wus0 nodad
nsx "$S" ip link set wus0 up

# snapshot: everything up/down may touch in C, plus jwg's global traces
snapshot() {
    nsx "$C" ip route show table all
    nsx "$C" ip -6 route show table all
    nsx "$C" ip rule
    nsx "$C" ip -6 rule
    nsx "$C" ip addr 2>/dev/null
    nsx "$C" nft list ruleset
    ls /run/jwg 2>/dev/null | grep '^wu[0-9]' || true
    ls /var/run/wireguard 2>/dev/null | grep '^wu[0-9]' || true
    pgrep -f -- 'JwgdMain -f wu[0-9]$' || true
}
BEFORE="$(snapshot)"

# nothing_left "description": C is as it was before, every jwgd gone
nothing_left() {
    local after
    for _ in $(seq 1 50); do # the daemon exits by itself once its link is gone
        after="$(snapshot)"
        [ "$after" == "$BEFORE" ] && break
        sleep 0.1
    done
    if [ "$after" == "$BEFORE" ]; then
        ok "$1"
    else
        not_ok "$1"
        diff <(echo "$BEFORE") <(echo "$after") | sed 's/^/    # /' | head -n 30
    fi
}

jwg_in_c() { nsx "$C" "$JWG" "$@"; }

# the [#] lines of a run, normalised so jwg's and wg-quick's can be compared
commands_of() {
    grep -E '^\[#\] ' | sed -E \
        -e '/^\[#\] ip link add .* type wireguard$/d' \
        -e 's#^\[\#\] (/[^ ]*/)?(jwgd|wireguard-go) #[\#] DAEMON #' \
        -e 's#^\[\#\] wg (setconf|addconf) ([^ ]+) .*#[\#] wg CONF \2#' \
        -e 's#^\[\#\] nft -f /dev/(fd/[0-9]+|stdin)$#[\#] nft -f SCRIPT#'
}

echo "# --- split tunnel"
cat >"$DIR/wu0.conf" <<EOF
[Interface]
PrivateKey = $KC
Address = 10.213.0.2/24, fd10:213::2/64
DNS = 10.213.0.53, corp.example
PostUp = echo "up %i" >> $DIR/hooks.log
PreDown = echo "predown %i" >> $DIR/hooks.log
PostDown = echo "postdown %i" >> $DIR/hooks.log

[Peer]
PublicKey = $PS
AllowedIPs = 10.213.0.0/24, fd10:213::/64, 10.99.213.1/32, fd99:213::1/128
Endpoint = 192.168.213.1:51820
EOF
chmod 600 "$DIR/wu0.conf"
out="$(jwg_in_c up "$DIR/wu0.conf" 2>&1)"
check_eq "jwg up wu0.conf: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check "jwg up prints each command as [#]" grep -qx '\[#\] ip -4 address add 10.213.0.2/24 dev wu0' <<<"$out"
check "IPv4 ping through the tunnel" nsx "$C" ping -c 2 -W 3 10.213.0.1
check "IPv6 ping through the tunnel" nsx "$C" ping -6 -c 2 -W 3 fd10:213::1
check "IPv4 route to an address behind the server" nsx "$C" ping -c 1 -W 3 10.99.213.1
check "IPv6 route to an address behind the server" nsx "$C" ping -6 -c 1 -W 3 fd99:213::1
check_eq "wg show: the peer" "$PS" "$(wg show wu0 peers)"
check_eq "wg show: the endpoint" "$PS	192.168.213.1:51820" "$(wg show wu0 endpoints)"
check_eq "wg show: allowed IPs" "10.213.0.0/24 10.99.213.1/32 fd10:213::/64 fd99:213::1/128" \
    "$(wg show wu0 allowed-ips | cut -f2 | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')"
check "wg show: a handshake happened" test "$(wg show wu0 latest-handshakes | cut -f2)" -gt 0
check_eq "wg show: the private key" "$KC" "$(wg show wu0 private-key)"
check_eq "MTU: route MTU toward the endpoint (1500) - 80" "1420" "$(nsx "$C" cat /sys/class/net/wu0/mtu)"
check "a wg-quick file leaves the TUN's link-local address alone, as wg-quick does (unlike a .network)" \
    test -n "$(nsx "$C" ip -6 address show dev wu0 scope link)"
check_eq "PostUp ran with %i replaced" "up wu0" "$(cat "$DIR/hooks.log")"
check "the state file records the link" grep -qx $'undo\tlink\tip link delete dev wu0' /run/jwg/wu0.state
check_eq "DNS: resolvconf -a wu0 -m 0 -x (no interface-order file: no prefix)" "resolvconf -a wu0 -m 0 -x" "$(cat "$DIR/resolvconf.log")"
check_eq "DNS: resolvconf was fed the server and the search domain" $'nameserver 10.213.0.53\nsearch corp.example' "$(cat "$DIR/resolv.wu0")"
out="$(jwg_in_c up "$DIR/wu0.conf" 2>&1)"; rc=$?
check_eq "a second jwg up is refused" "1 jwg: \`wu0' already exists" "$rc $out"
check "jwg strip prints what wg-quick strip prints" diff <(jwg_in_c strip "$DIR/wu0.conf" 2>&1) <(wg-quick strip "$DIR/wu0.conf" 2>&1)
cp "$DIR/wu0.conf" "$DIR/wu0.conf.orig"
out="$(jwg_in_c save "$DIR/wu0.conf" 2>&1)"
check_eq "jwg save: exit status 0, [#] wg showconf" "0 [#] wg showconf wu0" "$? $out"
check "jwg save: live addresses, hooks, keys and the peer are written" grep -qzF \
    "$(printf '[Interface]\nAddress = 10.213.0.2/24\nAddress = fd10:213::2/64\nDNS = 10.213.0.53\nDNS = corp.example\nPostUp = echo "up %%i" >> %s/hooks.log\nPreDown = echo "predown %%i" >> %s/hooks.log\nPostDown = echo "postdown %%i" >> %s/hooks.log\nListenPort = ' "$DIR" "$DIR" "$DIR")" "$DIR/wu0.conf"
check "jwg save: the peer with its current endpoint" grep -qzF "$(printf '[Peer]\nPublicKey = %s\nAllowedIPs = 10.213.0.0/24, 10.99.213.1/32, fd10:213::/64, fd99:213::1/128\nEndpoint = 192.168.213.1:51820\n' "$PS")" "$DIR/wu0.conf"
check_eq "jwg save: mode 600" "600" "$(stat -c %a "$DIR/wu0.conf")"
out="$(jwg_in_c down wu0 2>&1)"
check_eq "jwg down wu0 (bare name, config from the state): exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check_eq "PreDown and PostDown ran" $'up wu0\npredown wu0\npostdown wu0' "$(cat "$DIR/hooks.log")"
check_eq "DNS: down removed the resolvconf record" "resolvconf -d wu0 -f" "$(tail -n 1 "$DIR/resolvconf.log")"
check "DNS: no record left" test ! -e "$DIR/resolv.wu0"
nothing_left "split tunnel: down leaves no route, rule, address, link, nft rule, state, socket or daemon"
out="$(jwg_in_c down wu0 2>&1)"; rc=$?
check_eq "a second jwg down is refused" "1 jwg: \`wu0' was not brought up by jwg (no /run/jwg/wu0.state)" "$rc $out"

echo "# --- the same [#] commands as /usr/bin/wg-quick (with wireguard-go), DNS included"
grep -v -e '^Post' -e '^Pre' "$DIR/wu0.conf.orig" >"$DIR/wu0.conf"
mine="$(jwg_in_c up "$DIR/wu0.conf" 2>&1 | commands_of)"; jwg_in_c down "$DIR/wu0.conf" >/dev/null 2>&1
theirs="$(nsx "$C" wg-quick up "$DIR/wu0.conf" 2>&1 | commands_of)"; nsx "$C" wg-quick down "$DIR/wu0.conf" >/dev/null 2>&1
check_eq "split tunnel: jwg up runs wg-quick's commands in wg-quick's order" "$theirs" "$mine"
nothing_left "split tunnel: nothing left after both"

echo "# --- full tunnel"
cat >"$DIR/wu1.conf" <<EOF
[Interface]
PrivateKey = $KC
Address = 10.213.0.2/32, fd10:213::2/128

[Peer]
PublicKey = $PS
AllowedIPs = 0.0.0.0/0, ::/0
Endpoint = 192.168.213.1:51820
EOF
chmod 600 "$DIR/wu1.conf"
out="$(jwg_in_c up "$DIR/wu1.conf" 2>&1)"
check_eq "jwg up wu1.conf (full tunnel): exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check "IPv4 default traffic goes into the tunnel" grep -q 'dev wu1 table 51820' <<<"$(nsx "$C" ip route get 10.99.213.1)"
check "IPv6 default traffic goes into the tunnel" grep -q 'dev wu1 table 51820' <<<"$(nsx "$C" ip -6 route get fd99:213::1)"
check "IPv4 ping to an address behind the server, through the tunnel" nsx "$C" ping -c 2 -W 3 10.99.213.1
check "IPv6 ping to an address behind the server, through the tunnel" nsx "$C" ping -6 -c 2 -W 3 fd99:213::1
check "the encrypted UDP still leaves outside the tunnel (handshake done)" test "$(wg show wu1 latest-handshakes | cut -f2)" -gt 0
check_eq "wg show: fwmark 51820 set over UAPI" "0xca6c" "$(wg show wu1 fwmark)"
nsx "$C" timeout 10 tcpdump -n -i wuv-c -c 2 "udp port 51820" >"$DIR/dump" 2>"$DIR/dump.err" &
wait_for 5 grep -q 'listening on' "$DIR/dump.err" >/dev/null
nsx "$C" ping -c 1 -W 2 10.99.213.1 >/dev/null
wait
check "tcpdump on the veth: the ping went as WireGuard UDP" grep -q 'UDP' "$DIR/dump"
check "the link (non-default) route of the veth stays in main" nsx "$C" ping -c 1 -W 2 192.168.213.1
check "ip rule: not fwmark 51820 lookup 51820" grep -q 'not from all fwmark 0xca6c lookup 51820' <<<"$(nsx "$C" ip rule)"
check "ip rule: main suppress_prefixlength 0" grep -q 'from all lookup main suppress_prefixlength 0' <<<"$(nsx "$C" ip rule)"
check "ip -6 rule: both rules" test "$(nsx "$C" ip -6 rule | grep -c -e 'fwmark 0xca6c lookup 51820' -e 'suppress_prefixlength 0')" -eq 2
check "nftables: wg-quick's tables for ip and ip6" test "$(nsx "$C" nft list tables | grep -c 'wg-quick-wu1')" -eq 2
check_eq "src_valid_mark set" "1" "$(nsx "$C" sysctl -n net.ipv4.conf.all.src_valid_mark)"
out="$(jwg_in_c down "$DIR/wu1.conf" 2>&1)"
check_eq "jwg down wu1.conf: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check_eq "down: exactly what up recorded, rules first, then the link, then the firewall" "[#] ip -4 rule delete table main suppress_prefixlength 0
[#] ip -4 rule delete not fwmark 51820 table 51820
[#] ip -6 rule delete table main suppress_prefixlength 0
[#] ip -6 rule delete not fwmark 51820 table 51820
[#] ip link delete dev wu1
[#] nft delete table ip wg-quick-wu1
[#] nft delete table ip6 wg-quick-wu1" "$out"
nothing_left "full tunnel: down removes rules, routes, nft tables and the link"

mine="$(jwg_in_c up "$DIR/wu1.conf" 2>&1 | commands_of)"; jwg_in_c down "$DIR/wu1.conf" >/dev/null 2>&1
theirs="$(nsx "$C" wg-quick up "$DIR/wu1.conf" 2>&1 | commands_of)"; nsx "$C" wg-quick down "$DIR/wu1.conf" >/dev/null 2>&1
check_eq "full tunnel: jwg up runs wg-quick's commands in wg-quick's order" "$theirs" "$mine"
nothing_left "full tunnel: nothing left after both"

echo "# --- a configuration error: nothing is created"
cat >"$DIR/wu2.conf" <<EOF
[Interface]
PrivateKey = $KC
Address = 10.213.0.2/24
Address = 10.213.0.300/24

[Peer]
PublicKey = $PS
AllowedIPs = 0.0.0.0/0
EOF
chmod 600 "$DIR/wu2.conf"
out="$(jwg_in_c up "$DIR/wu2.conf" 2>&1)"; rc=$?
check_eq "bad Address: exit status 1" 1 "$rc"
check "bad Address: the message names file, line and key" grep -q '^jwg: wu2.conf:4: Address: ' <<<"$out"
check "bad Address: no [#] line, nothing was run" test -z "$(grep '^\[#\]' <<<"$out")"
nothing_left "bad Address: nothing left behind"
chmod 644 "$DIR/wu0.conf.orig"; chmod 755 "$DIR"
cp "$DIR/wu0.conf.orig" "$DIR/wu5.conf"; chmod 644 "$DIR/wu5.conf"
sed -i 's/^Endpoint = .*/Endpoint = 192.168.213.1:51820:7/' "$DIR/wu5.conf"
out="$(jwg_in_c up "$DIR/wu5.conf" 2>&1)"; rc=$?
check "world-readable file: wg-quick's warning" grep -qx "Warning: \`$DIR/wu5.conf' is world accessible" <<<"$out"
check "bad Endpoint: exit 1 and file:line: Endpoint: reason" test "$rc" = 1 -a -n "$(grep "^jwg: wu5.conf:[0-9]*: Endpoint: " <<<"$out")"
chmod 700 "$DIR"
nothing_left "bad Endpoint: nothing left behind"

echo "# --- failures half-way roll everything back"
sed -e 's/^\[Peer\]/PostUp = echo partial\nPostUp = false\n\n[Peer]/' "$DIR/wu1.conf" >"$DIR/wu3.conf"
chmod 600 "$DIR/wu3.conf"
out="$(jwg_in_c up "$DIR/wu3.conf" 2>&1)"; rc=$?
echo "$out" | sed 's/^/    # /'
check_eq "failing PostUp after a full tunnel: exit status 1" 1 "$rc"
check "failing PostUp: rolled back in reverse order, the link last" \
    test "$(echo "$out" | tail -n 1)" == "[#] ip link delete dev wu3"
nothing_left "failing PostUp: rules, nft tables, routes, addresses and link all gone"

sed -e 's/^\[Peer\]/PreUp = exit 3\n\n[Peer]/' "$DIR/wu0.conf" >"$DIR/wu3.conf"
out="$(jwg_in_c up "$DIR/wu3.conf" 2>&1)"; rc=$?
check "failing PreUp: exit 1 before any daemon or link (PreUp runs first, as in wg-quick)" \
    test "$rc" = 1 -a "$(echo "$out" | grep -c 'jwgd wu3')" = 0
sed -e 's/^\[Peer\]/PreUp = ip link show dev %i \&\& exit 9 || true\n\n[Peer]/' "$DIR/wu0.conf" >"$DIR/wu5.conf"
chmod 600 "$DIR/wu5.conf"
out="$(jwg_in_c up "$DIR/wu5.conf" 2>&1)"; rc=$?
check "PreUp runs before the interface exists" test "$rc" = 0
jwg_in_c down "$DIR/wu5.conf" >/dev/null 2>&1
nothing_left "failing PreUp: nothing left behind"

echo "# --- an interrupted up rolls back too"
sed -e 's/^\[Peer\]/PostUp = sleep 2\n\n[Peer]/' "$DIR/wu1.conf" >"$DIR/wu4.conf"
chmod 600 "$DIR/wu4.conf"
nsx "$C" "$JWG" up "$DIR/wu4.conf" >"$DIR/wu4.out" 2>&1 &
for _ in $(seq 1 100); do grep -q 'sleep 2' "$DIR/wu4.out" 2>/dev/null && break; sleep 0.1; done
pkill -TERM -f -- "JwgMain up $DIR/wu4.conf\$"
wait
sed 's/^/    # /' "$DIR/wu4.out"
check "SIGTERM during PostUp: interrupted; undoing" grep -q '^\[!\] interrupted; undoing what was done' "$DIR/wu4.out"
nothing_left "SIGTERM during up: nothing left behind"

finish
