#!/usr/bin/env bash
# Endpoint re-resolution built into jwgd: a client brought up with `jwg up` from a wg-quick file
# whose peer's Endpoint is a host name (resolved through an /etc/hosts of its own, bind-mounted in a
# private mount namespace), a wireguard-go "home server" behind it. The server's address changes
# and the name is pointed at the new one, as a dynamic-DNS update would; with no command run, jwgd
# looks the name up again once the handshake is stale (JWG_RERESOLVE_AFTER=4 here instead of 135 s,
# to keep the test short), logs the change as a warning, moves the endpoint, and the tunnel works
# again. jwg up records the names beside its state (IF.endpoints); jwg down removes them.
E2E_PREFIX="${E2E_PREFIX:-wr}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TAG="$(run_tag "${E2E_PREFIX}c" "${E2E_PREFIX}s")"
NC="${E2E_PREFIX}-rr-c-$TAG" NS="${E2E_PREFIX}-rr-s-$TAG"
C="${E2E_PREFIX}c$TAG" S="${E2E_PREFIX}s$TAG"
T="$(mktemp -d /tmp/jwg-reresolve.XXXXXX)"
trap 'cleanup; rm -rf "$T"' EXIT
STATE="$T/state"
NAME="home-$TAG.${E2E_PREFIX}-test.example"

netns_add "$NC"
netns_add "$NS"
veth "$NC" "v$C" "$NS" "v$S"
nsx "$NC" ip addr add 192.0.2.1/24 dev "v$C"
nsx "$NS" ip addr add 192.0.2.2/24 dev "v$S"

KC="$(wg_key)" KS="$(wg_key)"
PC="$(pub_of "$KC")" PS="$(pub_of "$KS")"
start_daemon wireguard-go "$NS" "$S"
nsx "$NS" wg set "$S" private-key <(echo "$KS") listen-port 51820 peer "$PC" allowed-ips 10.77.0.1/32
nsx "$NS" ip addr add 10.77.0.2/24 dev "$S"
nsx "$NS" ip link set "$S" up

cat >"$T/$C.conf" <<EOF
[Interface]
PrivateKey = $KC
Address = 10.77.0.1/24
ListenPort = 51820

[Peer]
PublicKey = $PS
AllowedIPs = 10.77.0.2/32
Endpoint = $NAME:51820
EOF
printf '127.0.0.1 localhost\n192.0.2.2 %s\n' "$NAME" >"$T/hosts"
INTERFACES+=("$NC:$C")
# The client's jwg up and its jwgd see $T/hosts as /etc/hosts (a private mount namespace; the
# file is rewritten in place below, so the bind mount keeps showing it).
nsx "$NC" unshare --mount --propagation private sh -c 'mount --bind "$1" /etc/hosts && shift && exec "$@"' \
    sh "$T/hosts" env JWG_STATE_DIR="$STATE" JWG_RERESOLVE_AFTER=4 LOG_LEVEL=error "$JWG" up "$T/$C.conf" >"$T/up.log" 2>&1
check_eq "jwg up with a host name endpoint" 0 "$?"
check "the tunnel works" nsx "$NC" ping -c 2 -i 0.2 -W 2 10.77.0.2
check_eq "jwg up recorded the name for jwgd" "$PS $NAME:51820" "$(grep -v '^#' "$STATE/$C.endpoints")"
check_eq "the endpoint is the name's address" "$PS	192.0.2.2:51820" "$(nsx "$NC" wg show "$C" endpoints)"

# The server moves to another address, and the name follows it.
nsx "$NS" ip addr del 192.0.2.2/24 dev "v$S"
nsx "$NS" ip addr add 192.0.2.3/24 dev "v$S"
printf '127.0.0.1 localhost\n192.0.2.3 %s\n' "$NAME" >"$T/hosts"
recovered() { nsx "$NC" ping -c 1 -W 1 10.77.0.2; }
check "the tunnel recovers without any command" wait_for 60 recovered
check_eq "the endpoint moved to the new address" "$PS	192.0.2.3:51820" "$(nsx "$NC" wg show "$C" endpoints)"
check "the change is logged as a warning" grep -q "WARNING: ($C) .*peer(${PS:0:4}…${PS:39:4}) - Endpoint $NAME:51820 re-resolved to 192.0.2.3:51820 (was 192.0.2.2:51820" "$T/up.log"

nsx "$NC" env JWG_STATE_DIR="$STATE" "$JWG" down "$C" >>"$T/up.log" 2>&1
check_eq "jwg down" 0 "$?"
check "jwg down removes the names" test ! -e "$STATE/$C.endpoints"
finish
