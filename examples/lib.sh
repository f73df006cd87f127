# Shared helpers for the runnable examples under examples/: every host of an example is a network
# namespace, and every command "on" a host also runs in a private mount namespace in which that
# host's own files sit where a real machine keeps them:
#
#   examples/N-name/HOST/etc/wireguard/        ->  /etc/wireguard/          (wg-quick files)
#   examples/N-name/HOST/etc/systemd/network/  ->  /etc/systemd/network/    (networkd files)
#   a fresh per-host directory                 ->  /run/wireguard, /run/jwg (UAPI sockets, state)
#
# So each host can have its own wg0, `jwg up wg0` finds /etc/wireguard/wg0.conf as wg-quick would,
# and `wg show` on one host never sees another host's socket. The files are copied (mode 0600)
# before they are mounted, so the committed examples are never changed by a run.
#
# Sourced by examples/*/run, after which a script uses:
#   add_host NAME              a new host (namespace) with lo up and IPv6 on
#   host NAME command...       run a command on that host
#   link NAME1 IF1 NAME2 IF2   a cable (veth pair, both ends up) between two hosts
#   check / check_eq / wait_for / finish   TAP-style checks (from tests/e2e/lib.sh)
# and the small helpers at the end of this file (fails, on, peer_field, handshake_done, ...).
# Every namespace, daemon and temporary file is removed on exit, also on failure.

EXAMPLE_DIR="$(cd "$(dirname "$(readlink -f "$0")")" && pwd)"
source "$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)/tests/e2e/lib.sh"
PATH="$E2E_ROOT/bin:$PATH" # jwg and jwgd, as if installed
export PATH

EXAMPLE_NAME="$(basename "$EXAMPLE_DIR")"
EXAMPLE_TAG="$(run_tag x)"
EXAMPLE_STATE="$(mktemp -d "/tmp/jwg-example-${EXAMPLE_NAME}.XXXXXX")"
chmod 700 "$EXAMPLE_STATE"
declare -A HOST_NS=()

for d in /etc/wireguard /etc/systemd/network /run/wireguard /run/jwg; do
    mkdir -p "$d"
done

example_cleanup() {
    local h
    for h in "${!HOST_NS[@]}"; do
        # jwg down is not needed: killing the daemons and deleting the namespaces removes it all
        ip netns pids "${HOST_NS[$h]}" 2>/dev/null | xargs -r kill 2>/dev/null || true
    done
    cleanup
    rm -rf "$EXAMPLE_STATE"
}
trap example_cleanup EXIT

# add_host NAME: namespace "x<tag>-NAME"; copies NAME/etc of this example, if there is one.
add_host() {
    local name="$1" ns="x${EXAMPLE_TAG}-$1"
    HOST_NS[$name]="$ns"
    netns_add "$ns"
    mkdir -p "$EXAMPLE_STATE/$name/run/wireguard" "$EXAMPLE_STATE/$name/run/jwg" \
        "$EXAMPLE_STATE/$name/etc/wireguard" "$EXAMPLE_STATE/$name/etc/systemd/network"
    if [ -d "$EXAMPLE_DIR/$name/etc" ]; then
        (umask 077 && cp -r "$EXAMPLE_DIR/$name/etc/." "$EXAMPLE_STATE/$name/etc/")
        find "$EXAMPLE_STATE/$name/etc" -type f -exec chmod 600 {} +
    fi
}

# ns_of NAME: the namespace behind a host name, for tools that take one (ip -n, ip netns exec).
ns_of() { echo "${HOST_NS[$1]}"; }

# host NAME command...: run a command on a host, with that host's /etc and /run mounted.
host() {
    local name="$1"
    shift
    local s="$EXAMPLE_STATE/$name"
    ip netns exec "${HOST_NS[$name]}" unshare --mount --propagation private -- /bin/sh -c '
        s="$1"; shift
        mount --bind "$s/etc/wireguard" /etc/wireguard &&
        mount --bind "$s/etc/systemd/network" /etc/systemd/network &&
        mount --bind "$s/run/wireguard" /run/wireguard &&
        mount --bind "$s/run/jwg" /run/jwg &&
        exec "$@"' sh "$s" "$@"
}

# link NAME1 IF1 NAME2 IF2: a veth pair between two hosts, both ends up.
link() {
    ip link add "$2" netns "${HOST_NS[$1]}" type veth peer name "$4" netns "${HOST_NS[$3]}"
    host "$1" ip link set "$2" up
    host "$3" ip link set "$4" up
}

# fails command...: succeeds when the command fails (a check that something does not work).
fails() { ! "$@"; }

# on HOST command...: run a command on a host and print its output indented, as a comment under the checks.
on() { host "$@" 2>&1 | sed 's/^/    # /'; }

# peer_field HOST PUBKEY FIELD: one column of `wg show wg0 FIELD` on HOST for the peer PUBKEY.
peer_field() { host "$1" wg show wg0 "$3" | awk -v k="$2" '$1 == k { print $2 }'; }

# handshake_done HOST PUBKEY [T]: HOST has completed a handshake with PUBKEY (at or after the time T).
handshake_done() {
    local t
    t="$(peer_field "$1" "$2" latest-handshakes)"
    [ "$t" -gt 0 ] 2>/dev/null && [ "$t" -ge "${3:-0}" ]
}

# listening HOST PORT [-t|-u]: something on HOST listens on PORT, TCP (the default) or UDP.
listening() { host "$1" ss -Hln "${3:--t}" "sport = :$2" | grep -q .; }

# packets HOST TABLE COUNTER: the packets of a named counter in an inet nftables table on HOST.
packets() { host "$1" nft list counter inet "$2" "$3" | awk '/packets/ { print $2 }'; }

# no_rule HOST -4|-6 TEXT: no ip rule on HOST mentions TEXT.
no_rule() { ! host "$1" ip "$2" rule | grep -q "$3"; }

# load_nftables HOST: load the example's HOST/etc/nftables.conf on HOST, as nftables.service does at boot.
load_nftables() { host "$1" nft -f "$EXAMPLE_DIR/$1/etc/nftables.conf"; }

# load_sysctl HOST: apply the example's HOST/etc/sysctl.d/*.conf on HOST, as systemd-sysctl does at boot.
load_sysctl() { host "$1" sysctl -q -p "$EXAMPLE_DIR/$1"/etc/sysctl.d/*.conf >/dev/null; }
