#!/usr/bin/env bash
# jwgd's Prometheus endpoint (docs/metrics.md) against a real Prometheus: jwgd in one namespace
# with JWG_METRICS_ADDRESS on loopback, wireguard-go in another, a tunnel with a preshared key and
# traffic through it. Checks: promtool check metrics accepts the scrape; the exporter-compatible
# per-peer families carry the traffic and the handshake; jwgd's own counters moved; no private or
# preshared key appears; only loopback listens; bad requests get 404/405; 40 idle connections
# (a hostile scraper) neither stop the tunnel nor the daemon and scrapes work again once they go;
# bad and taken --metrics addresses fail the start clearly and leave no interface; jwg up takes
# the address from a '# jwg: MetricsAddress' line of a wg-quick file. Then Debian's
# prometheus scrapes jwgd every second and a value is queried back through its HTTP API.
E2E_PREFIX="${E2E_PREFIX:-wm}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"
command -v prometheus >/dev/null && command -v promtool >/dev/null && command -v curl >/dev/null \
    || { echo "t-metrics: needs prometheus, promtool and curl (bin/lib/install-test-deps.sh)" >&2; exit 1; }

TAG="$(run_tag "${E2E_PREFIX}j" "${E2E_PREFIX}g")"
NA="${E2E_PREFIX}-met-a-$TAG" NB="${E2E_PREFIX}-met-b-$TAG"
J="${E2E_PREFIX}j$TAG" G="${E2E_PREFIX}g$TAG"
T="$(mktemp -d /tmp/jwg-metrics.XXXXXX)"
PROM_PID=""
idle=""
trap '[ -n "$idle" ] && kill "$idle" 2>/dev/null; [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; cleanup; rm -rf "$T"' EXIT
METRICS=127.0.0.1:9586

netns_add "$NA"
netns_add "$NB"
veth "$NA" "v$J" "$NB" "v$G"
nsx "$NA" ip addr add 192.0.2.1/24 dev "v$J"
nsx "$NB" ip addr add 192.0.2.2/24 dev "v$G"

KA="$(wg_key)" KB="$(wg_key)" PSK="$(wg genpsk)"
PA="$(pub_of "$KA")" PB="$(pub_of "$KB")"
INTERFACES+=("$NA:$J")
rm -f "/var/run/wireguard/$J.sock"
JWG_METRICS_ADDRESS="$METRICS" LOG_LEVEL=error nsx "$NA" "$JWGD" "$J" >>"$E2E_LOGS/$J.log" 2>&1
check "jwgd starts with JWG_METRICS_ADDRESS" test -S "/var/run/wireguard/$J.sock"
start_daemon wireguard-go "$NB" "$G"
nsx "$NA" wg set "$J" private-key <(echo "$KA") listen-port 51820 \
    peer "$PB" preshared-key <(echo "$PSK") allowed-ips 10.66.0.2/32,fd66::2/128 endpoint 192.0.2.2:51820
nsx "$NB" wg set "$G" private-key <(echo "$KB") listen-port 51820 \
    peer "$PA" preshared-key <(echo "$PSK") allowed-ips 10.66.0.1/32 endpoint 192.0.2.1:51820
nsx "$NA" ip addr add 10.66.0.1/24 dev "$J"
nsx "$NB" ip addr add 10.66.0.2/24 dev "$G"
nsx "$NA" ip link set "$J" up
nsx "$NB" ip link set "$G" up
check "ping through the tunnel" nsx "$NA" ping -c 3 -i 0.2 -W 2 10.66.0.2

scrape() { nsx "$NA" curl -sS --max-time 5 "http://$METRICS/metrics"; }
scrape >"$T/scrape.txt"
check "promtool check metrics accepts the scrape" sh -c "promtool check metrics <'$T/scrape.txt' >'$T/promtool.out' 2>&1 && ! test -s '$T/promtool.out'"
cat "$T/promtool.out" 2>/dev/null | sed 's/^/    # promtool: /'

# value FAMILY LABEL-SUBSTRING: the value of the first sample of FAMILY whose labels contain it
value() { awk -v f="$1" -v l="$2" '(index($0, f "{") == 1 || index($0, f " ") == 1) && index($0, l) { print $NF; exit }' "$T/scrape.txt"; }
peer_labels="interface=\"$J\",public_key=\"$PB\",allowed_ips=\"10.66.0.2/32,fd66::2/128\""
check "wireguard_sent_bytes_total has the exporter's labels and counts traffic" \
    test "$(value wireguard_sent_bytes_total "$peer_labels")" -gt 0
check "wireguard_received_bytes_total counts traffic" test "$(value wireguard_received_bytes_total "$peer_labels")" -gt 0
hs="$(value wireguard_latest_handshake_seconds "$peer_labels")"
check "wireguard_latest_handshake_seconds is the Unix time of the handshake (within a minute of now)" \
    test "$(( $(date +%s) - ${hs:-0} ))" -lt 60
check "the TYPE lines match the exporter's" grep -qx '# TYPE wireguard_latest_handshake_seconds gauge' "$T/scrape.txt"
check "handshake initiations counted" test "$(value jwg_handshake_initiations_sent_total "interface=\"$J\"")" -ge 1
check "completed handshakes counted (we initiated)" test "$(value jwg_handshakes_completed_total 'role="initiator"')" -ge 1
check "drops by reason are all present" test "$(grep -c '^jwg_packets_dropped_total{' "$T/scrape.txt")" -ge 12
check "data-path batches counted" test "$(value jwg_batches_total 'path="udp_receive"')" -ge 1
check "the AEAD backend is reported" grep -Eq "^jwg_aead_backend_info\\{interface=\"$J\",backend=\"(jdk|openssl)\"\\} 1\$" "$T/scrape.txt"
check "process memory is reported" test "$(value process_resident_memory_bytes '')" -gt 0
for secret in "$KA" "$PSK" "$(echo "$KA" | base64 -d | od -An -tx1 | tr -d ' \n')" "$(echo "$PSK" | base64 -d | od -An -tx1 | tr -d ' \n')"; do
    check "no secret in the scrape (${secret:0:4}...)" sh -c "! grep -qF -- '$secret' '$T/scrape.txt'"
done
# listeners: the local addresses listening on the metrics port (Java shows IPv4 as ::ffff:a.b.c.d)
listeners() { nsx "$NA" ss -Hltn | awk '{print $4}' | grep -E ':9586$' | sed 's/^\[::ffff:\(.*\)\]/\1/' | sort -u | tr '\n' ' '; }
check_eq "the endpoint listens on loopback only" "$METRICS " "$(listeners)"
check_eq "POST is refused with 405" 405 "$(nsx "$NA" curl -s -o /dev/null -w '%{http_code}' -X POST "http://$METRICS/metrics")"
check_eq "another path is 404" 404 "$(nsx "$NA" curl -s -o /dev/null -w '%{http_code}' "http://$METRICS/nope")"

# A hostile scraper: 40 connections that never send a request. The server keeps at most 16 and
# drops each after its request time (10 s); the tunnel and the daemon go on regardless.
nsx "$NA" bash -c "for i in \$(seq 1 40); do exec {fd}<>/dev/tcp/127.0.0.1/9586 || true; done; sleep 12" &
idle=$!
idle_open() { [ "$(nsx "$NA" ss -Htn state established state close-wait '( dport = :9586 )' | wc -l)" -ge 40 ]; }
check "40 idle connections are open" wait_for 20 idle_open
check "the tunnel carries traffic while 40 idle connections are open" nsx "$NA" ping -c 3 -i 0.2 -W 2 10.66.0.2
check "the daemon is alive" kill -0 "$(daemon_pid "$J")"
wait "$idle"
check "scrapes work again once the idle connections are gone" wait_for 15 sh -c "ip netns exec '$NA' curl -sf --max-time 2 'http://$METRICS/metrics' | grep -q '^wireguard_sent_bytes_total'"

# Bad and taken addresses: a clear error, no interface left behind.
# fails_cleanly IFNAME PATTERN JWGD-ARGS...: jwgd exits 1 saying PATTERN, and IFNAME does not exist
fails_cleanly() {
    local ifn="$1" pattern="$2" out rc
    shift 2
    out="$(nsx "$NA" "$JWGD" "$@" "$ifn" 2>&1)"
    rc=$?
    echo "$out"
    link_gone() { ! nsx "$NA" ip link show "$ifn" >/dev/null 2>&1; }
    [ "$rc" -eq 1 ] && grep -q -- "$pattern" <<<"$out" && wait_for 10 link_gone
}
check "--metrics with a bad port fails with the reason" fails_cleanly "${J}x" 'port is not between 0 and 65535' --metrics 127.0.0.1:99999
INTERFACES+=("$NA:${J}y")
check "a taken metrics address fails the start, no interface left" fails_cleanly "${J}y" "cannot serve metrics on $METRICS" --metrics "$METRICS"

# jwg up passes '# jwg: MetricsAddress = ...' from a wg-quick file to the daemon it starts.
Q="${J}q"
cat >"$T/$Q.conf" <<EOF
[Interface]
# jwg: MetricsAddress = 127.0.0.1:9587
PrivateKey = $(wg_key)
Address = 10.67.0.1/24
EOF
INTERFACES+=("$NA:$Q")
nsx "$NA" env JWG_STATE_DIR="$T/state" "$JWG" up "$T/$Q.conf" >"$T/q.out" 2>&1
check_eq "jwg up with '# jwg: MetricsAddress' in the file" 0 "$?"
check "the daemon is started with it" grep -qF "[#] env JWG_METRICS_ADDRESS=127.0.0.1:9587 " "$T/q.out"
check "and serves the metrics there" sh -c "ip netns exec '$NA' curl -sf --max-time 5 http://127.0.0.1:9587/metrics | grep -q '^jwg_peers{interface=\"$Q\"} 0\$'"
nsx "$NA" env JWG_STATE_DIR="$T/state" "$JWG" down "$Q" >>"$T/q.out" 2>&1
check_eq "jwg down" 0 "$?"

# A real Prometheus scrapes jwgd and answers a query about it.
cat >"$T/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: jwgd
    static_configs:
      - targets: ['$METRICS']
EOF
nsx "$NA" prometheus --config.file="$T/prometheus.yml" --storage.tsdb.path="$T/data" \
    --web.listen-address=127.0.0.1:9590 >"$T/prometheus.log" 2>&1 &
PROM_PID=$!
query() {
    nsx "$NA" curl -sf --max-time 2 --get "http://127.0.0.1:9590/api/v1/query" --data-urlencode "query=$1"
}
q="wireguard_received_bytes_total{interface=\"$J\",public_key=\"$PB\"}"
has_value() { query "$q" | grep -Eq '"value":\[[0-9.]+,"[1-9][0-9]*"\]'; }
if wait_for 60 has_value; then
    ok "Prometheus scraped jwgd: $(query "$q" | grep -o '"value":\[[^]]*\]')"
else
    not_ok "Prometheus query $q"
    tail -n 5 "$T/prometheus.log" | sed 's/^/    # /'
fi
check "Prometheus sees the target up" sh -c "ip netns exec '$NA' curl -sf --get http://127.0.0.1:9590/api/v1/query --data-urlencode 'query=up{job=\"jwgd\"}' | grep -q '\"value\":\\[[0-9.]*,\"1\"\\]'"
finish
