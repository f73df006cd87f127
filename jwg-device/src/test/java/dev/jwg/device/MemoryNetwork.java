package dev.jwg.device;

import dev.jwg.device.io.Bind;
import dev.jwg.device.io.DatagramBatch;
import dev.jwg.device.io.PacketBatch;
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

    private static String key(byte[] addr, int port) {
        return Arrays.toString(addr) + ":" + port;
    }

    public Device.BindOpener opener(byte[] address) {
        return port -> {
            int p = port == 0 ? 40000 + binds.size() : port;
            MemoryBind b = new MemoryBind(address.clone(), p);
            if (binds.putIfAbsent(key(address, p), b) != null) {
                throw new BindException("port " + p + " in use");
            }
            return b;
        };
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

        MemoryBind(byte[] address, int port) {
            this.address = address;
            this.port = port;
        }

        @Override
        public int port() { return port; }

        @Override
        public int receive(DatagramBatch batch) throws IOException {
            try {
                Datagram d = null;
                while (d == null) {
                    if (closed) {
                        return -1;
                    }
                    d = inbox.poll(50, TimeUnit.MILLISECONDS);
                }
                int n = 0;
                while (d != null && n < batch.capacity()) {
                    System.arraycopy(d.payload(), 0, batch.buffer(n), 0, d.payload().length);
                    batch.setPayload(n, 0, d.payload().length);
                    System.arraycopy(d.srcAddr(), 0, batch.remoteAddress(n), 0, 4);
                    batch.setRemote(n, 4, d.srcPort());
                    System.arraycopy(address, 0, batch.localAddress(n), 0, 4);
                    batch.setLocal(n, 4, 0);
                    n++;
                    d = n < batch.capacity() ? inbox.poll() : null;
                }
                batch.setCount(n);
                return n;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void send(DatagramBatch batch) {
            for (int i = 0; i < batch.count(); i++) {
                byte[] to = Arrays.copyOf(batch.remoteAddress(i), 4);
                MemoryBind target = binds.get(key(to, batch.remotePort(i)));
                if (target != null && !target.closed) {
                    target.inbox.add(new Datagram(Arrays.copyOfRange(batch.buffer(i), batch.offset(i),
                            batch.offset(i) + batch.length(i)), address, port));
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
                while (p != null && n < batch.capacity()) {
                    System.arraycopy(p, 0, batch.buffer(n), PacketBatch.HEADROOM, p.length);
                    batch.set(n, PacketBatch.HEADROOM, p.length);
                    n++;
                    p = n < batch.capacity() ? fromKernel.poll() : null;
                }
                batch.setCount(n);
                return n;
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }

        @Override
        public void write(PacketBatch batch) {
            for (int i = 0; i < batch.count(); i++) {
                toKernel.add(Arrays.copyOfRange(batch.buffer(i), batch.offset(i), batch.offset(i) + batch.length(i)));
            }
        }

        @Override
        public void close() { closed = true; }
    }
}
