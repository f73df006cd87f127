#!/usr/bin/env bash
# DNS= of wg-quick files and .network files, with stub resolvconf and resolvectl programs on the PATH
# of a private mount namespace (where any real ones are masked): applied through resolvconf when it is
# there, else through systemd-resolved (resolvectl); undone by jwg down; refused when neither is there
# (nothing changed), unless jwg up --no-dns; a failing resolvconf or resolvectl rolls everything back.
source "$(dirname "$(readlink -f "$0")")/lib.sh"

TAG="$(run_tag "${E2E_PREFIX}d")"
NS="${E2E_PREFIX}-dns$TAG"
IF="${E2E_PREFIX}d$TAG"
DIR="$(mktemp -d /tmp/jwg-dns.XXXXXX)"
chmod 700 "$DIR"
mkdir -m 700 "$DIR/rc" "$DIR/rd" "$DIR/none" "$DIR/net"
trap 'cleanup; rm -f "/run/jwg/$IF.state"; rm -rf "$DIR"' EXIT
netns_add "$NS"

# stubs that record what they are told; $DIR/fail makes them fail
cat >"$DIR/rc/resolvconf" <<EOF
#!/bin/bash
echo "resolvconf \$*" >>"$DIR/log"
[ -e "$DIR/fail" ] && exit 1
case "\$1" in
    -a) cat >"$DIR/record.\$2" ;;
    -d) rm -f "$DIR/record.\$2" ;;
esac
EOF
cat >"$DIR/rd/resolvectl" <<EOF
#!/bin/bash
echo "resolvectl \$*" >>"$DIR/log"
[ -e "$DIR/fail" ] && [ "\$1" = domain ] && { echo "Failed to set DNS configuration: Unit dbus-org.freedesktop.resolve1.service not found." >&2; exit 1; }
exit 0
EOF
chmod 755 "$DIR/rc/resolvconf" "$DIR/rd/resolvectl"

K="$(wg_key)"; P="$(pub_of "$(wg_key)")"
cat >"$DIR/$IF.conf" <<EOF
[Interface]
PrivateKey = $K
Address = 10.250.0.2/24
DNS = 10.250.0.53, corp.example

[Peer]
PublicKey = $P
AllowedIPs = 10.250.0.0/24
EOF
cat >"$DIR/net/80-$IF.netdev" <<EOF
[NetDev]
Name=$IF
Kind=wireguard
[WireGuard]
PrivateKey=$K
EOF
cat >"$DIR/net/85-$IF.network" <<EOF
[Match]
Name=$IF
[Network]
Address=10.250.0.2/24
DNS=10.250.0.53 [fd50::53]:853#dns.example
Domains=corp.example ~.
EOF
chmod 600 "$DIR/$IF.conf" "$DIR"/net/*

# jwg BACKEND ARGS...: jwg in the namespace, with only the stubs of BACKEND (rc, rd or none) on the
# PATH, any real resolvconf or resolvectl masked
jwg_with() {
    local backend="$1"
    shift
    nsx "$NS" unshare -m --propagation private bash -c '
        for p in resolvconf resolvectl; do
            while real="$(type -P "$p")"; [ -n "$real" ]; do mount --bind /dev/null "$real" || exit 1; done
        done
        PATH="$0:$PATH" exec "$@"' "$DIR/$backend" "$JWG" "$@"
}

snapshot() {
    nsx "$NS" ip route show table all
    nsx "$NS" ip rule
    nsx "$NS" ip addr 2>/dev/null
    ls /run/jwg 2>/dev/null | grep "^$IF\\." || true
    ls /var/run/wireguard 2>/dev/null | grep "^$IF\\." || true
    pgrep -f -- "JwgdMain -f $IF\$" || true
    ls "$DIR" | grep '^record\.' || true
}
BEFORE="$(snapshot)"
nothing_left() {
    local after=""
    for _ in $(seq 1 50); do
        after="$(snapshot)"
        [ "$after" == "$BEFORE" ] && break
        sleep 0.1
    done
    if [ "$after" == "$BEFORE" ]; then
        ok "$1"
    else
        not_ok "$1"
        diff <(echo "$BEFORE") <(echo "$after") | sed 's/^/    # /' | head -n 20
    fi
}
dns_lines() { grep -E '^\[[#!]\] (resolv|DNS|routing)|resolvconf|resolvectl' <<<"$1"; }

echo "# --- resolvconf: a .network's DNS= and Domains= (~. makes the record exclusive)"
rm -f "$DIR/log"
out="$(jwg_with rc up "$DIR/net/80-$IF.netdev" 2>&1)"
check_eq "up: exit status 0" 0 "$?"
echo "$out" | sed 's/^/    # /'
check_eq "up: resolvconf -a, exclusive; the server's port and name cannot be given to resolvconf" \
"[!] DNS server [fd50::53]:853#dns.example is given to resolvconf as fd50::53: resolvconf takes no port, interface or server name
[#] resolvconf -a $IF -m 0 -x" "$(dns_lines "$out")"
check_eq "the record: nameserver and search lines" $'nameserver 10.250.0.53\nnameserver fd50::53\nsearch corp.example' \
    "$(cat "$DIR/record.$IF")"
out="$(jwg_with rc down "$IF" 2>&1)"
check_eq "down: the link, then the record" "0 [#] ip link delete dev $IF
[#] resolvconf -d $IF -f" "$? $out"
nothing_left "resolvconf: nothing left, the record removed"

echo "# --- resolvectl: no resolvconf, systemd-resolved takes a wg-quick file's DNS"
rm -f "$DIR/log"
out="$(jwg_with rd up "$DIR/$IF.conf" 2>&1)"
check_eq "up: exit status 0" 0 "$?"
check_eq "up: resolvectl dns and domain; wg-quick's exclusive DNS is the routing domain ~." \
"[#] resolvectl dns $IF 10.250.0.53
[#] resolvectl domain $IF corp.example ~." "$(dns_lines "$out")"
out="$(jwg_with rd down "$IF" 2>&1)"
check_eq "down: resolvectl revert while the link is still there, then the link" "0 [#] resolvectl revert $IF
[#] ip link delete dev $IF" "$? $out"
nothing_left "resolvectl (wg-quick file): nothing left"
rm -f "$DIR/log"
out="$(jwg_with rd up "$DIR/net/80-$IF.netdev" 2>&1)"
check_eq "a .network through resolvectl: DNS= in networkd's syntax, Domains= as written" \
"[#] resolvectl dns $IF 10.250.0.53 [fd50::53]:853#dns.example
[#] resolvectl domain $IF corp.example ~." "$(dns_lines "$out")"
jwg_with rd down "$IF" >/dev/null 2>&1
check_eq "down: reverted" "resolvectl revert $IF" "$(tail -n 1 "$DIR/log")"
nothing_left "resolvectl (.network): nothing left"

echo "# --- neither: up is refused, nothing changes; --no-dns brings the tunnel up without DNS"
for f in "$DIR/$IF.conf" "$DIR/net/80-$IF.netdev"; do
    out="$(jwg_with none up "$f" 2>&1)"; rc=$?
    check "$(basename "$f"): exit 1, saying why and how to opt out, before any [#]" \
        test "$rc" = 1 -a -z "$(grep '^\[#\]' <<<"$out")" -a -n "$(grep "^jwg: cannot configure DNS (10.250.0.53.*): neither resolvconf nor resolvectl (systemd-resolved) is installed.*'jwg up --no-dns'" <<<"$out")"
    nothing_left "$(basename "$f"): nothing left"
done
out="$(jwg_with none up --no-dns "$DIR/$IF.conf" 2>&1)"
check_eq "--no-dns: exit status 0" 0 "$?"
check_eq "--no-dns: a note says what was left out" "[!] DNS not configured (--no-dns): 10.250.0.53, corp.example" "$(dns_lines "$out")"
check "--no-dns: the tunnel is up" grep -q "10.250.0.2/24" <<<"$(nsx "$NS" ip -4 addr show dev "$IF")"
jwg_with none down "$IF" >/dev/null 2>&1
nothing_left "--no-dns: down leaves nothing"

echo "# --- fail closed: a failing resolvconf or resolvectl rolls everything back"
touch "$DIR/fail"
out="$(jwg_with rc up "$DIR/net/80-$IF.netdev" 2>&1)"; rc=$?
check_eq "resolvconf fails: exit 1, the link rolled back" "1 [#] ip link delete dev $IF" "$rc $(tail -n 1 <<<"$out")"
nothing_left "resolvconf fails: nothing left"
out="$(jwg_with rd up "$DIR/$IF.conf" 2>&1)"; rc=$?
check_eq "resolvectl domain fails: exit 1, reverted and the link deleted, in reverse order" \
"1 [#] resolvectl revert $IF
[#] ip link delete dev $IF" "$rc $(tail -n 2 <<<"$out")"
nothing_left "resolvectl fails: nothing left"
rm -f "$DIR/fail"

finish
