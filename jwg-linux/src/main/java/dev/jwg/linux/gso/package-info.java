/**
 * Pure-Java packet work behind the Linux offloads, with no system calls so that it is tested byte
 * for byte: the virtio-net header of a TUN opened with {@code IFF_VNET_HDR}
 * ({@link dev.jwg.linux.gso.VirtioNetHdr}), Internet checksums ({@link dev.jwg.linux.gso.Checksum}),
 * splitting TSO/USO super-packets read from the TUN ({@link dev.jwg.linux.gso.GsoSplitter}),
 * coalescing TCP segments and UDP datagrams written to it ({@link dev.jwg.linux.gso.Coalescer}) and grouping
 * datagrams for UDP GSO ({@link dev.jwg.linux.gso.UdpSegments}).
 */
package dev.jwg.linux.gso;
