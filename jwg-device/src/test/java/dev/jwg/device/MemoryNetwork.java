package dev.jwg.device;

import dev.jwg.device.io.Bind;
import dev.jwg.device.io.PacketBatch;
import dev.jwg.device.io.PacketMemory;
import dev.jwg.device.io.TunDevice;
import java.io.IOException;
import java.net.BindException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An in-memory UDP network and TUN devices for device tests (wireguard-go's tuntest): binds are
 * addressed by (IPv4 address, port); datagrams are delivered through queues.
 */
public final class MemoryNetwork {
    private final Map<String, MemoryBind> binds = new ConcurrentHashMap<>();
    /** Every datagram sent, in the order the sends happened (tests of ordering read it). */
    final java.util.List<Sent> sent = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    volatile boolean recording;
    /** Read sizes of every bind opened from now on ({@link MemoryBind#limits}); null: unlimited. */
    volatile int[] bindLimits;

    /** A datagram as it was sent: from which bind port to which port, its bytes. */
    record Sent(int fromPort, int toPort, byte[] payload) {}

    private static String key(byte[] addr, int port) {
        return Arrays.toString(addr) + ":" + port;
    }

    public Device.BindOpener opener(byte[] address) {
        return port -> {
            int p = port == 0 ? 40000 + binds.size() : port;
            MemoryBind b = new MemoryBind(address.clone(), p);
            b.limits = bindLimits;
            if (binds.putIfAbsent(key(address, p), b) != null) {
                throw new BindException("port " + p + " in use");
            }
            return b;
        };
    }

    /** The most packets read {@code i} may return: {@code capacity}, or less when {@code limits} says so. */
    static int limit(int[] limits, int i, int capacity) {
        return limits == null ? capacity : Math.min(capacity, limits[i % limits.length]);
    }

    record Datagram(byte[] payload, byte[] srcAddr, int srcPort) {}

    /** Delivers {@code payload} to the bind at {@code to}:{@code toPort} as if sent from {@code from}:{@code fromPort}. */
    public void deliver(byte[] to, int toPort, byte[] payload, byte[] from, int fromPort) {
        MemoryBind target = binds.get(key(to, toPort));
        if (target != null && !target.closed) {
            target.inbox.add(new Datagram(payload.clone(), from.clone(), fromPort));
        }
    }

    public final class MemoryBind implements Bind {
        final byte[] address;
        final int port;
        final BlockingQueue<Datagram> inbox = new LinkedBlockingQueue<>();
        public volatile boolean closed;
        volatile int mark;
        /** Read sizes: receive {@code i} returns at most {@code limits[i % length]} datagrams (null: as many as fit). */
        volatile int[] limits;
        private int receives;

        MemoryBind(byte[] address, int port) {
            this.address = address;
            this.port = port;
        }

        @Override
        public int port() { return port; }

        @Override
        public int receive(PacketBatch batch) throws IOException {
            try {
                Datagram d = null;
                while (d == null) {
                    if (closed) {
                        return -1;
                    }
                    d = inbox.poll(50, TimeUnit.MILLISECONDS);
                }
                int n = 0;
                int max = limit(limits, receives++, batch.capacity());
                while (d != null && n < max) {
                    if (d.payload().length > batch.maxPacket()) {
                        d = inbox.poll(); // too large for the slots: dropped, as a truncated datagram
                        continue;
                    }
                    batch.put(n, d.payload(), 0, d.payload().length);
                    System.arraycopy(d.srcAddr(), 0, batch.remoteAddress(n), 0, 4);
                    batch.setRemote(n, 4, d.srcPort());
                    System.arraycopy(address, 0, batch.localAddress(n), 0, 4);
                    batch.setLocal(n, 4, 0);
                    n++;
                    d = n < max ? inbox.poll() : null;
                }
                batch.setCount(n);
                return n;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void send(PacketBatch batch, int from, int to) {
            for (int i = from; i < to; i++) {
                if (batch.length(i) == 0) {
                    continue;
                }
                byte[] dst = Arrays.copyOf(batch.remoteAddress(i), 4);
                MemoryBind target = binds.get(key(dst, batch.remotePort(i)));
                byte[] payload = batch.packet(i);
                if (recording) {
                    sent.add(new Sent(port, batch.remotePort(i), payload));
                }
                if (target != null && !target.closed) {
                    target.inbox.add(new Datagram(payload, address, port));
                }
            }
        }

        @Override
        public void setMark(int mark) { this.mark = mark; }

        @Override
        public void close() {
            closed = true;
            binds.remove(key(address, port), this);
        }
    }

    /** A TUN device whose packets the test injects and collects. */
    public static final class MemoryTun implements TunDevice {
        public final BlockingQueue<byte[]> fromKernel = new LinkedBlockingQueue<>();
        public final BlockingQueue<byte[]> toKernel = new LinkedBlockingQueue<>();
        public volatile boolean closed;
        /** Read sizes: read {@code i} returns at most {@code limits[i % length]} packets (null: as many as fit). */
        volatile int[] limits;
        private int reads;
        /** Slot regions of the tests' devices: packets and datagrams up to 2 KiB. */
        static final int REGION = 2048 + PacketBatch.HEADROOM + PacketBatch.TAILROOM;
        final String name;

        public MemoryTun(String name) {
            this.name = name;
        }

        @Override
        public String name() { return name; }

        @Override
        public int mtu() { return 1420; }

        @Override
        public int read(PacketBatch batch) throws IOException {
            try {
                byte[] p = null;
                while (p == null) {
                    if (closed) {
                        return -1;
                    }
                    p = fromKernel.poll(50, TimeUnit.MILLISECONDS);
                }
                int n = 0;
                int max = limit(limits, reads++, batch.capacity());
                while (p != null && n < max) {
                    batch.put(n, p, 0, p.length);
                    n++;
                    p = n < max ? fromKernel.poll() : null;
                }
                batch.setCount(n);
                return n;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void write(PacketBatch batch, int from, int to) {
            for (int i = from; i < to; i++) {
                if (batch.length(i) > 0) {
                    toKernel.add(batch.packet(i));
                }
            }
        }

        /** Small regions: the tests' packets are small, and the JDK's direct buffers are resident. */
        @Override
        public PacketMemory packetMemory(long maxBytes) {
            return PacketMemory.direct(REGION);
        }

        @Override
        public void close() { closed = true; }
    }
}
