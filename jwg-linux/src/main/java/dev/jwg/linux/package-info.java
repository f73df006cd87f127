/**
 * Linux bindings of jwg, the only code that uses {@code java.lang.foreign}: a TUN device
 * ({@link dev.jwg.linux.LinuxTun}), the batched dual-stack UDP socket with sticky source addresses
 * ({@link dev.jwg.linux.LinuxUdpBind}), rtnetlink link events ({@link dev.jwg.linux.LinkMonitor}),
 * small POSIX helpers ({@link dev.jwg.linux.Posix}), the availability probe
 * ({@link dev.jwg.linux.Native}), and OpenSSL's ChaCha20-Poly1305 as a transport AEAD backend
 * ({@link dev.jwg.linux.OpenSslAead}, used when it is installed, passes its known-answer tests and
 * is measured faster than the JDK's). Failed system calls surface as
 * {@link dev.jwg.linux.LinuxException} with the errno ({@link dev.jwg.linux.Errno}).
 *
 * <p>Both the TUN and the socket use the kernel's offloads when it accepts them
 * ({@link dev.jwg.linux.Offload}; {@code JWG_OFFLOAD=0} switches them off): TSO/USO super-packets
 * with a virtio-net header on the TUN, UDP GSO and GRO on the socket, so that one system call
 * moves up to 64 KiB. The packet work this needs (splitting, coalescing, checksums) is plain Java
 * in {@link dev.jwg.linux.gso}.
 *
 * <p>Requires Linux on x86_64 or aarch64 with glibc and {@code --enable-native-access}.
 */
package dev.jwg.linux;
