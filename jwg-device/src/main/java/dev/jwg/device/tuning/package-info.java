/**
 * Start-up tuning: what jwgd does once, before or beside the first packets, to run faster, and
 * which changes no behaviour on the wire. {@link dev.jwg.device.tuning.AeadSelector} vets and
 * chooses the transport AEAD; {@link dev.jwg.device.tuning.Warmup} runs the data path on private
 * devices until the JIT has compiled it. The Linux I/O the warm-up runs on is
 * {@code dev.jwg.linux.LinuxWarmupIo}, in jwg-linux with the rest of the FFM code.
 */
package dev.jwg.device.tuning;
