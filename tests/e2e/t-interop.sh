#!/usr/bin/env bash
# jwgd against jwgd and against wireguard-go, in network namespaces, with the stock wg tool:
# handshakes from each side, IPv4/IPv6 inside and outside, IPv4 over an IPv6 endpoint, PSK (and a
# wrong PSK refused), a TCP bulk transfer verified by checksum, roaming mid-transfer, persistent
# keepalive on the wire, an interface moved to another namespace, two interfaces in one namespace.
# jwgd runs with four crypto workers (JWG_WORKERS, unless set): one peer's packets are sealed and
# opened on several threads at once; t-interop-no-offload.sh runs with one (no worker threads).
source "$(dirname "$(readlink -f "$0")")/lib.sh"
export JWG_WORKERS="${JWG_WORKERS:-4}"
echo "# JWG_WORKERS=$JWG_WORKERS crypto workers"

A="${E2E_PREFIX}a" B="${E2E_PREFIX}b" C="${E2E_PREFIX}c"
DATA="$(mktemp -d)"
trap 'cleanup; rm -rf "$DATA"' EXIT

topology() {
    netns_add "$A"
    netns_add "$B"
    veth "$A" va "$B" vb
    nsx "$A" ip addr add 192.168.77.1/24 dev va
    nsx "$A" ip addr add fd77::1/64 dev va nodad
    nsx "$B" ip addr add 192.168.77.2/24 dev vb
    nsx "$B" ip addr add fd77::2/64 dev vb nodad
}

# up IMPL NS IF PORT ADDR4 ADDR6
up() {
    start_daemon "$1" "$2" "$3"
    nsx "$2" ip addr add "$5/24" dev "$3"
    nsx "$2" ip addr add "$6/64" dev "$3" nodad
    nsx "$2" ip link set "$3" up
}

transfer_ok() { # NS_FROM NS_TO DEST_IP: 20 MB over TCP through the tunnel, compared by sha256
    local from="$1" to="$2" dest="$3"
    head -c 20000000 /dev/urandom >"$DATA/send"
    rm -f "$DATA/recv"
    nsx "$to" timeout 60 socat -u TCP-LISTEN:5001,reuseaddr OPEN:"$DATA/recv",creat,trunc &
    local server=$!
    # (no wait for the listener: the client retries until it is up)
    nsx "$from" timeout 60 socat -u OPEN:"$DATA/send" TCP:"$dest":5001,retry=50,interval=0.2
    wait "$server"
    [ "$(sha256sum <"$DATA/send")" == "$(sha256sum <"$DATA/recv")" ]
}

pair() { # IMPL_A IMPL_B
    local ia="$1" ib="$2"
    echo "# --- $ia (A) <-> $ib (B)"
    topology
    local ka kb pa pb
    ka="$(wg_key)"; kb="$(wg_key)"; pa="$(pub_of "$ka")"; pb="$(pub_of "$kb")"
    up "$ia" "$A" wa 51001 10.77.0.1 fd10:77::1
    up "$ib" "$B" wb 51002 10.77.0.2 fd10:77::2
    wg set wa private-key <(echo "$ka") listen-port 51001 peer "$pb" allowed-ips 10.77.0.2/32,fd10:77::2/128 endpoint 192.168.77.2:51002
    wg set wb private-key <(echo "$kb") listen-port 51002 peer "$pa" allowed-ips 10.77.0.1/32,fd10:77::1/128

    check "$ia→$ib: A starts the handshake, IPv4 ping through the tunnel" nsx "$A" ping -c 2 -W 3 10.77.0.2
    check "$ia→$ib: IPv6 ping through the tunnel" nsx "$A" ping -6 -c 2 -W 3 fd10:77::2
    check "$ib→$ia: B pings back over the learned endpoint" nsx "$B" ping -c 2 -W 3 10.77.0.1
    check_eq "$ib learned A's endpoint" "$pa	192.168.77.1:51001" "$(wg show wb endpoints)"
    check "$ia: latest handshake recorded" test "$(wg show wa latest-handshakes | cut -f2)" -gt 0

    check "$ia→$ib: 20 MB TCP transfer arrives intact (sha256)" transfer_ok "$A" "$B" 10.77.0.2
    check "$ib→$ia: 20 MB TCP transfer the other way" transfer_ok "$B" "$A" 10.77.0.1

    # A destination routed into the tunnel that no peer's allowed IPs cover: ICMP unreachable (as the kernel does).
    # (wireguard-go does not send these, so only when A is jwgd.)
    if [ "$ia" = jwgd ]; then
        local unreach
        unreach="$(nsx "$A" ping -c 1 -W 2 10.77.0.99 2>&1)"
        check "$ia: no peer for 10.77.0.99 → Destination Host Unreachable" grep -q "Destination Host Unreachable" <<<"$unreach"
    fi

    # Multi-homed B: A targets B's second address; B must answer from that address, so A's
    # endpoint stays on it (a reply from the primary address would make A roam there).
    nsx "$B" ip addr add 192.168.77.3/24 dev vb
    wg set wa peer "$pb" endpoint 192.168.77.3:51002
    nsx "$A" ping -c 2 -W 3 10.77.0.2 >/dev/null 2>&1
    check_eq "$ib replies from the address A reached (sticky source)" "$pb	192.168.77.3:51002" "$(wg show wa endpoints)"
    wg set wa peer "$pb" endpoint 192.168.77.2:51002

    # B starts a fresh handshake: remove and re-add the peer on both sides, endpoint only on B.
    wg set wa peer "$pb" remove
    wg set wb peer "$pa" remove
    wg set wa peer "$pb" allowed-ips 10.77.0.2/32,fd10:77::2/128
    wg set wb peer "$pa" allowed-ips 10.77.0.1/32,fd10:77::1/128 endpoint '[fd77::1]:51001'
    check "$ib→$ia: B starts the handshake over an IPv6 endpoint, IPv4 inside" nsx "$B" ping -c 2 -W 3 10.77.0.1
    check_eq "$ia learned B's IPv6 endpoint" "$pb	[fd77::2]:51002" "$(wg show wa endpoints)"
    check "$ia→$ib: IPv6 inside IPv6" nsx "$A" ping -6 -c 2 -W 3 fd10:77::2

    # Preshared keys: the same on both sides connects, different ones never do.
    local psk1 psk2
    psk1="$(wg genpsk)"; psk2="$(wg genpsk)"
    wg set wa peer "$pb" remove; wg set wb peer "$pa" remove
    wg set wa peer "$pb" preshared-key <(echo "$psk1") allowed-ips 10.77.0.2/32 endpoint 192.168.77.2:51002
    wg set wb peer "$pa" preshared-key <(echo "$psk1") allowed-ips 10.77.0.1/32
    check "$ia↔$ib: matching preshared keys connect" nsx "$A" ping -c 2 -W 3 10.77.0.2
    wg set wa peer "$pb" remove; wg set wb peer "$pa" remove
    wg set wa peer "$pb" preshared-key <(echo "$psk1") allowed-ips 10.77.0.2/32 endpoint 192.168.77.2:51002
    wg set wb peer "$pa" preshared-key <(echo "$psk2") allowed-ips 10.77.0.1/32
    if nsx "$A" ping -c 3 -W 2 10.77.0.2 >/dev/null 2>&1; then not_ok "$ia↔$ib: wrong preshared key refused"; else ok "$ia↔$ib: wrong preshared key refused"; fi
    check_eq "$ia↔$ib: no handshake with a wrong preshared key" "0" "$(wg show wa latest-handshakes | cut -f2)"

    # Roaming: A's address changes in the middle of a transfer; B follows A's new address.
    # The sender is paced (30 x 1 MB, 0.1 s apart) so the change lands mid-transfer. Only when
    # the roaming client is jwgd: Debian's wireguard-go (2022) keeps sending from its cached
    # source address after that address is gone, until a handshake retry clears the cache.
    wg set wb peer "$pa" preshared-key <(echo "$psk1")
    check "$ia↔$ib: fixed preshared key connects again" wait_for 15 nsx "$A" ping -c 1 -W 1 10.77.0.2
    if [ "$ia" = jwgd ]; then
        head -c 30000000 /dev/urandom >"$DATA/send"
        rm -f "$DATA/recv"
        nsx "$B" timeout 90 socat -u TCP-LISTEN:5002,reuseaddr OPEN:"$DATA/recv",creat,trunc &
        local server=$!
        (for i in $(seq 0 29); do dd if="$DATA/send" bs=1M skip="$i" count=1 status=none; sleep 0.1; done) \
            | nsx "$A" timeout 90 socat -u - TCP:10.77.0.2:5002,retry=50,interval=0.2 &
        local client=$!
        # the address changes once data is flowing (the paced sender takes 3 s in all)
        wait_for 30 test -s "$DATA/recv" >/dev/null
        nsx "$A" sysctl -q -w net.ipv4.conf.va.promote_secondaries=1
        nsx "$A" ip addr add 192.168.77.11/24 dev va
        nsx "$A" ip addr del 192.168.77.1/24 dev va
        wait "$client"; wait "$server"
        check_eq "$ia→$ib: transfer survives A's address change (sha256)" "$(sha256sum <"$DATA/send")" "$(sha256sum <"$DATA/recv")"
        check_eq "$ib follows A to its new address" "$pa	192.168.77.11:51001" "$(wg show wb endpoints)"
    fi

    # Persistent keepalive is visible on the wire: 32-byte WireGuard messages (UDP length 40) every second.
    wg set wa peer "$pb" persistent-keepalive 1
    nsx "$B" timeout 4 tcpdump -n -i vb -l "udp dst port 51002 and udp[4:2] = 40" >"$DATA/dump" 2>/dev/null
    local n
    n="$(grep -c UDP "$DATA/dump")"
    check "$ia: persistent keepalive seen on the wire every second ($n in 4 s)" test "$n" -ge 3
    wg set wa peer "$pb" persistent-keepalive off

    cleanup
    NAMESPACES=(); INTERFACES=()
}

pair jwgd jwgd
pair jwgd wireguard-go
pair wireguard-go jwgd

echo "# --- an interface moved to another namespace; two interfaces in one namespace"
topology
netns_add "$C"
ka="$(wg_key)"; kb="$(wg_key)"; pa="$(pub_of "$ka")"; pb="$(pub_of "$kb")"
start_daemon jwgd "$A" wm
nsx "$A" ip link set wm netns "$C"
INTERFACES+=("$C:wm")
nsx "$C" ip addr add 10.78.0.1/24 dev wm
nsx "$C" ip link set wm up
wg set wm private-key <(echo "$ka") listen-port 51011 peer "$pb" allowed-ips 10.78.0.2/32 endpoint 192.168.77.2:51012
up wireguard-go "$B" wn 51012 10.78.0.2 fd10:78::2
wg set wn private-key <(echo "$kb") listen-port 51012 peer "$pa" allowed-ips 10.78.0.1/32
check "moved interface: ping from namespace C through a socket left in A" nsx "$C" ping -c 2 -W 3 10.78.0.2
check "moved interface: no WireGuard UDP socket in C" test -z "$(nsx "$C" ss -Hunl 'sport = :51011')"
check "moved interface: its UDP socket stays in A" test -n "$(nsx "$A" ss -Hunl 'sport = :51011')"

kc="$(wg_key)"; kd="$(wg_key)"; pc="$(pub_of "$kc")"; pd="$(pub_of "$kd")"
up jwgd "$A" wx 51021 10.79.0.1 fd10:79::1
up jwgd "$A" wy 51022 10.80.0.1 fd10:80::1
up jwgd "$B" wz 51023 10.79.0.2 fd10:79::2
up wireguard-go "$B" wv 51024 10.80.0.2 fd10:80::2
wg set wx private-key <(echo "$kc") listen-port 51021 peer "$pd" allowed-ips 10.79.0.2/32 endpoint 192.168.77.2:51023
wg set wz private-key <(echo "$kd") listen-port 51023 peer "$pc" allowed-ips 10.79.0.1/32
wg set wy private-key <(echo "$kd") listen-port 51022 peer "$pc" allowed-ips 10.80.0.2/32 endpoint 192.168.77.2:51024
wg set wv private-key <(echo "$kc") listen-port 51024 peer "$pd" allowed-ips 10.80.0.1/32
check "two interfaces in one namespace: first" nsx "$A" ping -c 2 -W 3 10.79.0.2
check "two interfaces in one namespace: second" nsx "$A" ping -c 2 -W 3 10.80.0.2

finish
