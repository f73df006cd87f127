#!/usr/bin/env bash
# The Debian package, as a user gets it: bin/package builds it, apt installs it; then, with the
# JDKs, Maven, Maven's repositories and this checkout hidden (tmpfs over them in a private mount
# namespace), only the installed jwg and jwgd bring up a tunnel from a wg-quick file against
# wireguard-go, ping through it, show it and take it down. Also: the AOT caches recorded at build
# time are accepted by the installed runtime, systemd-analyze verify passes every unit, man finds
# jwg(8) and jwgd(8), the bash completion completes subcommands and interface names. Finally apt
# purges the package and none of its files remain.
# Installs system-wide and purges again; one run per machine at a time (a lock).
E2E_PREFIX="${E2E_PREFIX:-pkt}"
source "$(dirname "$(readlink -f "$0")")/lib.sh"

T="$(mktemp -d /tmp/jwg-pkt.XXXXXX)"
chmod 755 "$T"
TAG="$(run_tag "${E2E_PREFIX}")"
S="${E2E_PREFIX}${TAG}s" C="${E2E_PREFIX}${TAG}c"       # namespaces: wireguard-go server, client
IS="${E2E_PREFIX}${TAG}g" IC="${E2E_PREFIX}${TAG}j"     # interfaces: wireguard-go, jwg up
purge() { dpkg -s jwg >/dev/null 2>&1 && apt-get purge -y -qq jwg >/dev/null 2>&1; }
trap 'cleanup; purge; rm -rf "$T"' EXIT

exec 9>/run/jwg-e2e-package.lock
flock -w 900 9 || { not_ok "waited 15 min for another t-package.sh"; finish; exit 1; }
if dpkg -s jwg >/dev/null 2>&1; then
    not_ok "a jwg package is installed already; this test installs and purges its own (remove it first)"
    trap 'cleanup; rm -rf "$T"' EXIT
    finish
    exit 1
fi

echo "# --- build"
start=$SECONDS
if [ -n "${JWG_PACKAGE_DEB:-}" ]; then # a .deb built already (to rerun the checks below quickly)
    deb="$(readlink -f "$JWG_PACKAGE_DEB")"
else
    deb="$("$E2E_ROOT/bin/package" --out "$T/dist" 2>"$T/package.log" | tail -n 1)"
fi
check "bin/package builds a .deb ($((SECONDS - start)) s)" test -f "$deb"
[ -f "$deb" ] || { sed 's/^/    # /' "$T/package.log" | tail -n 20; finish; exit 1; }
size=$(stat -c %s "$deb")
check "the .deb is well under 80 MB ($((size / 1048576)) MB)" test "$size" -lt $((60 * 1048576))
check "its name is jwg_<version>_<arch>.deb" bash -c "[[ '$(basename "$deb")' =~ ^jwg_[0-9][^_]*_$(dpkg --print-architecture)\.deb$ ]]"
check_eq "Depends: only Debian packages (libc6, iproute2)" "libc6 (>= 2.17), iproute2" "$(dpkg-deb -f "$deb" Depends)"

echo "# --- install with apt"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$deb" >"$T/apt.log" 2>&1
check "apt-get install ./jwg_*.deb" dpkg -s jwg
dpkg -L jwg | sort >"$T/files"
check "/usr/bin/jwg and /usr/bin/jwgd are installed" test -x /usr/bin/jwg -a -x /usr/bin/jwgd

echo "# --- units, man pages, completion"
for unit in jwg-quick@ jwg-networkd@; do
    cp "/lib/systemd/system/$unit.service" "$T/${unit}${IC}.service"
    check "systemd-analyze verify $unit.service" systemd-analyze verify "$T/${unit}${IC}.service"
done
check "systemd-analyze verify jwg-quick.target" systemd-analyze verify /lib/systemd/system/jwg-quick.target
check "man -w jwg jwgd" man -w jwg jwgd
complete_words() { # WORDS...: what the installed completion offers for the last word, one a line
    bash -c 'source /usr/share/bash-completion/completions/jwg; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1));
        COMP_LINE="$*"; _jwg; printf "%s\n" "${COMPREPLY[@]}"' complete "$@"
}
check_eq "the completion completes subcommands (jwg sh)" "show showconf " "$(complete_words jwg sh | sort | tr '\n' ' ')"
check_eq "and options (jwg up --n)" "--networkd --no-dns " "$(complete_words jwg up --n | sort | tr '\n' ' ')"

echo "# --- a tunnel with only the installed tools: JDKs, Maven and the checkout hidden"
netns_add "$S"
netns_add "$C"
veth "$S" "${E2E_PREFIX}${TAG}vs" "$C" "${E2E_PREFIX}${TAG}vc"
nsx "$S" ip addr add 192.168.239.1/24 dev "${E2E_PREFIX}${TAG}vs"
nsx "$C" ip addr add 192.168.239.2/24 dev "${E2E_PREFIX}${TAG}vc"
KS="$(wg_key)"; KC="$(wg_key)"
start_daemon wireguard-go "$S" "$IS"
wg set "$IS" private-key <(echo "$KS") listen-port 51839 peer "$(pub_of "$KC")" allowed-ips 10.239.0.2/32
nsx "$S" ip addr add 10.239.0.1/24 dev "$IS"
nsx "$S" ip link set "$IS" up
mkdir -p "$T/etc"
cat >"$T/etc/$IC.conf" <<EOF
[Interface]
PrivateKey = $KC
Address = 10.239.0.2/24

[Peer]
PublicKey = $(pub_of "$KS")
AllowedIPs = 10.239.0.1/32
Endpoint = 192.168.239.1:51839
PersistentKeepalive = 25
EOF
chmod 600 "$T/etc/$IC.conf"
INTERFACES+=("$C:$IC")
m2="$(sed -n 's/.*-Dmaven.repo.local=\([^ ]*\).*/\1/p' "$E2E_ROOT/.mvn/maven.config" 2>/dev/null)"
cat >"$T/hidden.sh" <<EOF
#!/bin/bash
# in a private mount namespace: nothing of the build is reachable, only what the package installed
set -u
for d in /usr/lib/jvm /usr/share/maven /usr/share/maven-repo /root/.m2 ${m2:-} "$E2E_ROOT"; do
    [ -d "\$d" ] && mount -t tmpfs -o size=1m,mode=755 tmpfs "\$d"
done
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
unset JAVA_HOME
fail() { echo "FAIL: \$*"; }
command -v java >/dev/null && [ -x "\$(readlink -f "\$(command -v java)")" ] && fail "a java is still reachable"
command -v mvn >/dev/null && mvn -v >/dev/null 2>&1 && fail "mvn still runs"
[ -e "$E2E_ROOT/bin/jwg" ] && fail "the checkout is still visible"
source /usr/lib/jwg/bin/lib/launcher.sh
/usr/lib/jwg/runtime/bin/java "\${JWG_CLI_FLAGS[@]}" -XX:AOTMode=on -XX:AOTCache=/usr/lib/jwg/jwg.aot -cp /usr/lib/jwg/jwg.jar \
    dev.jwg.cli.JwgMain --version >/dev/null 2>&1 && echo "AOT jwg accepted" || fail "the installed runtime refuses jwg.aot"
/usr/lib/jwg/runtime/bin/java "\${JWGD_FLAGS[@]}" -XX:AOTMode=on -XX:AOTCache=/usr/lib/jwg/jwgd.aot -cp /usr/lib/jwg/jwg.jar \
    dev.jwg.cli.JwgdMain --version >/dev/null 2>&1 && echo "AOT jwgd accepted" || fail "the installed runtime refuses jwgd.aot"
jwg --version && jwgd --version | head -n 1
JAVA_TOOL_OPTIONS=-XX:AOTMode=on jwg --version >/dev/null 2>&1 && echo "LAUNCHER AOT jwg" || fail "/usr/bin/jwg starts without its cache"
JAVA_TOOL_OPTIONS=-XX:AOTMode=on jwgd --version >/dev/null 2>&1 && echo "LAUNCHER AOT jwgd" || fail "/usr/bin/jwgd starts without its cache"
ip netns exec "$C" jwg up "$T/etc/$IC.conf" && echo "UP ok"
ip netns exec "$C" ping -c 3 -i 0.2 -W 5 10.239.0.1 && echo "PING ok"
bash -c 'source /usr/share/bash-completion/completions/jwg; COMP_WORDS=(jwg show ""); COMP_CWORD=2; COMP_LINE="jwg show "; _jwg
    printf "%s\n" "\${COMPREPLY[@]}"' >"$T/complete-if.out"
jwg show "$IC" >"$T/show.out" && echo "SHOW ok"
jwg show interfaces
ip netns exec "$C" jwg down "$IC" && echo "DOWN ok"
EOF
chmod 755 "$T/hidden.sh"
unshare --mount --propagation private "$T/hidden.sh" >"$T/hidden.log" 2>&1
sed 's/^/    # /' "$T/hidden.log" | head -n 40
check "nothing of the build was reachable" bash -c "! grep -q '^FAIL' $T/hidden.log"
check "the installed runtime accepts the AOT caches recorded at package build time" \
    bash -c "grep -q '^AOT jwg accepted' $T/hidden.log && grep -q '^AOT jwgd accepted' $T/hidden.log"
check "/usr/bin/jwg and /usr/bin/jwgd start with their caches" \
    bash -c "grep -q '^LAUNCHER AOT jwg$' $T/hidden.log && grep -q '^LAUNCHER AOT jwgd$' $T/hidden.log"
check "jwg --version runs from the package" grep -q '^jwg .*(Java 25' "$T/hidden.log"
check "jwg up from a wg-quick file" grep -q '^UP ok' "$T/hidden.log"
check "ping through the tunnel to wireguard-go" grep -q '^PING ok' "$T/hidden.log"
check "a handshake with wireguard-go" grep -q 'latest handshake:' "$T/show.out"
check "jwg show through the installed tools" grep -q "^interface: $IC" "$T/show.out"
check "the completion completes the interface's name (jwg show <TAB>)" grep -qx "$IC" "$T/complete-if.out"
check "jwg down" grep -q '^DOWN ok' "$T/hidden.log"
check "nothing of the interface is left" bash -c "! ip -n $C link show $IC >/dev/null 2>&1 && [ ! -e /var/run/wireguard/$IC.sock ] && [ ! -e /run/jwg/$IC.state ]"

echo "# --- purge"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq jwg >"$T/purge.log" 2>&1
check "apt-get purge jwg" bash -c "! dpkg -s jwg >/dev/null 2>&1"
left=""
while read -r f; do
    [ -e "$f" ] && [ "$f" != /. ] || continue
    [ -d "$f" ] && [ -n "$(dpkg -S "$f" 2>/dev/null)" ] && continue # a directory other packages use
    [ -d "$f" ] && case "$f" in /|/usr|/usr/*bin|/usr/lib|/usr/share|/usr/share/*|/lib|/lib/systemd|/lib/systemd/system) continue ;; esac
    left+=" $f"
done <"$T/files"
check_eq "none of the package's files remain" "" "$left"
finish
