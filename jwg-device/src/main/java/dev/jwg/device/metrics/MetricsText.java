package dev.jwg.device.metrics;

import dev.jwg.core.routing.IpPrefix;
import dev.jwg.core.tunnel.Peer;
import dev.jwg.core.tunnel.Verdict;
import dev.jwg.device.Device;
import dev.jwg.device.DeviceCounters;
import java.util.List;
import java.util.Locale;

/**
 * The body of a scrape: one device's metrics in the Prometheus text exposition format.
 *
 * <ul>
 *   <li>Per peer, the families of the widely used WireGuard exporter (prometheus_wireguard_exporter),
 *       with its names, types and labels ({@code interface}, {@code public_key}, {@code allowed_ips}
 *       as {@code wg show dump} writes them): {@code wireguard_sent_bytes_total},
 *       {@code wireguard_received_bytes_total}, {@code wireguard_latest_handshake_seconds} (Unix
 *       time of the latest handshake, 0 for none), so dashboards made for it work unchanged.
 *   <li>jwgd's own, prefixed {@code jwg_}: handshakes, cookie replies, drops by reason, batches,
 *       the AEAD backend, peers, link state; and the process' memory, CPU time and descriptors.
 * </ul>
 *
 * Only public values are exported: public keys, prefixes, counters. No private or preshared key is
 * read. Every family is written even when it has no sample yet ({@code reason} labels are all
 * present from the start, at 0), so {@code rate()} works from the first scrape. docs/metrics.md
 * lists the families. Stateless.
 */
public final class MetricsText {
    /** The content type of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsText() {}

    /** The scrape of {@code device} and this process, now. */
    public static String render(Device device) {
        return render(device, ProcessStats.current());
    }

    static String render(Device device, ProcessStats process) {
        String ifname = device.name();
        List<Peer> peers = device.node().peers();
        int n = peers.size();
        String[] keys = new String[n];
        String[] allowed = new String[n];
        long[] tx = new long[n];
        long[] rx = new long[n];
        long[] handshake = new long[n];
        for (int i = 0; i < n; i++) {
            Peer p = peers.get(i);
            keys[i] = p.publicKey().toBase64();
            allowed[i] = allowedIps(device, p);
            tx[i] = p.txBytes();
            rx[i] = p.rxBytes();
            handshake[i] = p.lastHandshakeEpochNanos() / 1_000_000_000L;
        }
        StringBuilder sb = new StringBuilder(2048 + n * 3 * (100 + 20));
        ExpositionWriter w = new ExpositionWriter(sb);
        w.family("wireguard_sent_bytes_total", "counter", "Bytes sent to the peer");
        for (int i = 0; i < n; i++) {
            w.sample("wireguard_sent_bytes_total", tx[i], peerLabels(ifname, keys[i], allowed[i]));
        }
        w.family("wireguard_received_bytes_total", "counter", "Bytes received from the peer");
        for (int i = 0; i < n; i++) {
            w.sample("wireguard_received_bytes_total", rx[i], peerLabels(ifname, keys[i], allowed[i]));
        }
        w.family("wireguard_latest_handshake_seconds", "gauge",
                "UNIX timestamp seconds of the latest handshake with the peer (0: none yet)");
        for (int i = 0; i < n; i++) {
            w.sample("wireguard_latest_handshake_seconds", handshake[i], peerLabels(ifname, keys[i], allowed[i]));
        }

        DeviceCounters c = device.counters();
        w.family("jwg_peers", "gauge", "Peers configured on the interface")
                .sample("jwg_peers", n, "interface", ifname);
        w.family("jwg_interface_up", "gauge", "1 while the interface is up (the UDP socket open), else 0")
                .sample("jwg_interface_up", device.isUp() ? 1 : 0, "interface", ifname);
        w.family("jwg_handshake_initiations_sent_total", "counter",
                "Handshake initiations sent (first attempts and retries)")
                .sample("jwg_handshake_initiations_sent_total", c.initiationsSent(), "interface", ifname);
        w.family("jwg_handshakes_completed_total", "counter",
                "Sessions established: role initiator from a response to our initiation, responder from an initiation we answered")
                .sample("jwg_handshakes_completed_total", c.handshakesCompletedAsInitiator(), "interface", ifname, "role", "initiator")
                .sample("jwg_handshakes_completed_total", c.handshakesCompletedAsResponder(), "interface", ifname, "role", "responder");
        w.family("jwg_cookie_replies_sent_total", "counter",
                "Cookie replies sent instead of processing a handshake while under load")
                .sample("jwg_cookie_replies_sent_total", c.cookieRepliesSent(), "interface", ifname);
        w.family("jwg_packets_dropped_total", "counter",
                "Received packets dropped, by reason (the protocol core's verdicts; handshake_queue_full: a handshake flood overflowed the queue)");
        for (Verdict v : Verdict.values()) {
            if (v.isDrop()) {
                w.sample("jwg_packets_dropped_total", c.dropped(v), "interface", ifname, "reason", reason(v));
            }
        }
        w.sample("jwg_packets_dropped_total", c.handshakeQueueFullDrops(), "interface", ifname, "reason", "handshake_queue_full");
        w.family("jwg_batches_total", "counter", "Batches moved by the data threads (one TUN read or one UDP receive each)");
        for (DeviceCounters.Path p : DeviceCounters.Path.values()) {
            w.sample("jwg_batches_total", c.batches(p), "interface", ifname, "path", path(p));
        }
        w.family("jwg_batch_packets_total", "counter", "Packets in those batches (divide by jwg_batches_total for the mean batch size)");
        for (DeviceCounters.Path p : DeviceCounters.Path.values()) {
            w.sample("jwg_batch_packets_total", c.batchPackets(p), "interface", ifname, "path", path(p));
        }
        w.family("jwg_aead_backend_info", "gauge", "The ChaCha20-Poly1305 implementation that encrypts data packets (always 1)")
                .sample("jwg_aead_backend_info", 1, "interface", ifname, "backend", device.aead().name());

        if (process.residentBytes().isPresent()) {
            w.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes")
                    .sample("process_resident_memory_bytes", process.residentBytes().getAsLong());
        }
        if (process.virtualBytes().isPresent()) {
            w.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes")
                    .sample("process_virtual_memory_bytes", process.virtualBytes().getAsLong());
        }
        if (process.openFds().isPresent()) {
            w.family("process_open_fds", "gauge", "Number of open file descriptors")
                    .sample("process_open_fds", process.openFds().getAsLong());
        }
        if (process.cpuNanos().isPresent()) {
            w.family("process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds")
                    .sample("process_cpu_seconds_total", process.cpuNanos().getAsLong() / 1e9);
        }
        if (process.startEpochMillis().isPresent()) {
            w.family("process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds")
                    .sample("process_start_time_seconds", process.startEpochMillis().getAsLong() / 1e3);
        }
        w.family("jvm_memory_used_bytes", "gauge", "Java heap in use, in bytes")
                .sample("jvm_memory_used_bytes", process.heapUsed(), "area", "heap");
        w.family("jvm_memory_committed_bytes", "gauge", "Java heap committed, in bytes")
                .sample("jvm_memory_committed_bytes", process.heapCommitted(), "area", "heap");
        w.family("jvm_memory_max_bytes", "gauge", "Largest Java heap allowed, in bytes")
                .sample("jvm_memory_max_bytes", process.heapMax(), "area", "heap");
        return sb.toString();
    }

    private static String[] peerLabels(String ifname, String key, String allowed) {
        return new String[] {"interface", ifname, "public_key", key, "allowed_ips", allowed};
    }

    /** The allowed IPs as {@code wg show dump} writes them: comma-separated, "(none)" for none. */
    private static String allowedIps(Device device, Peer p) {
        List<IpPrefix> prefixes = device.node().allowedIps().prefixesOf(p);
        if (prefixes.isEmpty()) {
            return "(none)";
        }
        StringBuilder sb = new StringBuilder();
        for (IpPrefix prefix : prefixes) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(prefix);
        }
        return sb.toString();
    }

    /** The {@code reason} label of a drop verdict: {@code DROP_RATE_LIMITED} → {@code rate_limited}. */
    static String reason(Verdict v) {
        return v.name().substring("DROP_".length()).toLowerCase(Locale.ROOT);
    }

    private static String path(DeviceCounters.Path p) {
        return p.name().toLowerCase(Locale.ROOT);
    }
}
