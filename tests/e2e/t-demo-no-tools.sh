#!/usr/bin/env bash
# 'jwg demo' on a machine that never had wireguard-tools, wireguard-go, iperf3 or ping: in a private
# mount namespace those programs are covered by an empty, non-executable file, and the demo must
# still finish successfully with jwg's own genkey/pubkey/set/show, jwgd at both ends and pings it
# sends itself, say which optional steps it skipped, and leave nothing behind.
E2E_PREFIX="${E2E_PREFIX:-wdn}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"

T="$(mktemp -d /tmp/jwg-wdn.XXXXXX)"
trap 'rm -rf "$T"' EXIT
HIDDEN=(wg wg-quick wireguard-go iperf3 ping)

# The demo's names are fixed and it allows one run per machine: take turns with t-demo.sh.
exec 9>/run/jwg-e2e-demo.lock
flock -w 600 9 || { not_ok "waited 10 min for another demo test to finish"; finish; exit 1; }

: >"$T/empty"
chmod 644 "$T/empty"
cat >"$T/run" <<EOF
#!/bin/bash
# in the private mount namespace: hide the tools wherever the PATH or the sbin directories have them
for t in ${HIDDEN[*]}; do
    for d in /usr/local/bin /usr/local/sbin /usr/bin /usr/sbin /bin /sbin; do
        [ -e "\$d/\$t" ] && mount --bind "$T/empty" "\$d/\$t"
    done
    if command -v "\$t" >/dev/null && [ -x "\$(command -v "\$t")" ]; then
        echo "could not hide \$t" >&2
        exit 99
    fi
done
exec "$JWG" demo
EOF
chmod 755 "$T/run"
start=$SECONDS
unshare --mount --propagation private "$T/run" >"$T/demo.log" 2>&1
rc=$?
took=$((SECONDS - start))
check_eq "jwg demo without ${HIDDEN[*]}: exit 0 (took ${took} s)" "0" "$rc"
check "it names what is missing and what it does instead" \
    grep -q '^Optional: wireguard-go not installed (that step is skipped); iperf3 not installed (that step is skipped); ping not installed (jwg sends the pings itself)' "$T/demo.log"
check "keys come from jwg genkey and jwg pubkey" bash -c "grep -q '^\[#\] .*/jwg genkey > ' $T/demo.log && grep -q '^\[#\] .*/jwg pubkey < ' $T/demo.log"
check "the tunnel is configured with jwg set" grep -q '^\[#\] .*/jwg set jwgdemo0 private-key ' "$T/demo.log"
check "jwgd runs at both ends" bash -c "grep -q '^\[#\] ip netns exec jwg-demo-a .*/jwgd jwgdemo0$' $T/demo.log && grep -q '^\[#\] ip netns exec jwg-demo-b .*/jwgd jwgdemo1$' $T/demo.log"
check "pings sent by jwg itself are answered through the tunnel" grep -q 'echo reply from 10.227.0.2: seq=' "$T/demo.log"
check "IPv6 too" grep -q 'echo reply from fd00:227::2: seq=' "$T/demo.log"
check "jwg show shows a handshake" grep -q 'latest handshake:' "$T/demo.log"
check "it says the wireguard-go step is skipped and how to get it" grep -q 'wireguard-go, the reference userspace implementation, is not installed' "$T/demo.log"
check "it says the iperf3 step is skipped" grep -q 'iperf3 is not installed, so the throughput step is skipped' "$T/demo.log"
check "no step used a hidden tool" bash -c "! grep -E '^\[#\] (ip netns exec [^ ]+ )?(wg|wg-quick|wireguard-go|iperf3|ping) ' $T/demo.log"
check "it says it cleaned up" grep -q 'Nothing left behind' "$T/demo.log"
check "no namespace, socket or link left" bash -c "! ip netns list | grep -q '^jwg-demo-' && ! ls /var/run/wireguard | grep -q '^jwgdemo' && ! ip -o link | grep -q jwgdemo"
if [ "$rc" != 0 ]; then sed 's/^/    # /' "$T/demo.log" | tail -n 40; fi
finish
