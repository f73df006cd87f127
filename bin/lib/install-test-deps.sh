#!/usr/bin/env bash
# Installs what the tests need on a Debian machine: Maven, the reference peer (wireguard-go) and
# the stock tools (wg, wg-quick), iproute2, nftables, iperf3, tcpdump, ping, bird2, and OpenSSL's
# libcrypto (libssl3), which jwgd uses for the transport AEAD when it is faster than the JDK's;
# prometheus (with promtool) and curl for t-metrics.sh: a 19 MB download, ~25 s to install, and no
# service is started by it on a machine without systemd (t-metrics runs its own in a namespace; on
# a host with systemd the package enables its own, `systemctl disable --now prometheus` stops it);
# systemd for t-journal.sh's systemd-journald, systemd-cat and journalctl (no init system needed).
# Idempotent: only missing packages are installed. Needs root.
set -euo pipefail

# binutils (strip), man-db, xz-utils: for building and checking the Debian package (t-package.sh)
packages=(maven wireguard-go wireguard-tools iproute2 nftables iperf3 tcpdump iputils-ping bird2 procps psmisc util-linux socat libssl3 curl prometheus systemd
    binutils man-db xz-utils)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-test-deps: need root to install: ${missing[*]}" >&2
        exit 1
    fi
    echo "install-test-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=300 update -qq
    apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
