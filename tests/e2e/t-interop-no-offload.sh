#!/usr/bin/env bash
# t-interop.sh again with jwgd's Linux offloads switched off (JWG_OFFLOAD=0: no virtio-net header,
# no TSO/USO on the TUN, no UDP GSO/GRO): one system call per packet, the fallback path every
# kernel supports. Interop with wireguard-go and between jwgd peers must hold on both paths.
export JWG_OFFLOAD=0
echo "# JWG_OFFLOAD=0: jwgd runs without TUN and UDP offloads"
exec bash "$(dirname "$(readlink -f "$0")")/t-interop.sh"
