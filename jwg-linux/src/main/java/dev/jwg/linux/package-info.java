/**
 * Linux bindings of jwg, the only code that uses {@code java.lang.foreign}: a TUN device
 * ({@link dev.jwg.linux.LinuxTun}), the batched dual-stack UDP socket with sticky source addresses
 * ({@link dev.jwg.linux.LinuxUdpBind}), rtnetlink link events ({@link dev.jwg.linux.LinkMonitor}),
 * small POSIX helpers ({@link dev.jwg.linux.Posix}) and the availability probe
 * ({@link dev.jwg.linux.Native}). Failed system calls surface as
 * {@link dev.jwg.linux.LinuxException} with the errno ({@link dev.jwg.linux.Errno}).
 *
 * <p>Requires Linux on x86_64 or aarch64 with glibc and {@code --enable-native-access}.
 */
package dev.jwg.linux;
