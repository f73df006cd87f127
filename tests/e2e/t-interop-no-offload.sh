#!/usr/bin/env bash
# t-interop.sh again with jwgd's Linux offloads switched off (JWG_OFFLOAD=0: no virtio-net header,
# no TSO/USO on the TUN, no UDP GSO/GRO): one system call per packet, the fallback path every
# kernel supports. Interop with wireguard-go and between jwgd peers must hold on both paths. And
# with one crypto worker (JWG_WORKERS=1: the reading threads encrypt and decrypt themselves), where
# t-interop.sh has four: the two runs cover both offload settings and both kinds of data path.
# And with the full warm-up (JWG_WARMUP=full: ready only once the JIT has compiled what the warm-up
# queued, then one more short life), where t-interop.sh has the default brief one.
export JWG_OFFLOAD=0
export JWG_WORKERS=1
export JWG_WARMUP=full
echo "# JWG_OFFLOAD=0: jwgd runs without TUN and UDP offloads; JWG_WARMUP=full"
exec bash "$(dirname "$(readlink -f "$0")")/t-interop.sh"
