package dev.jwg.device.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jwg.device.Device;
import dev.jwg.device.Log;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The metrics endpoint: {@code GET /metrics} answers {@link MetricsText} for one device; {@code /}
 * a line pointing there; anything else 404, a method other than GET or HEAD 405.
 *
 * <p>Built on the JDK's own HTTP server ({@code jdk.httpserver}): no dependency, and it has the
 * bounds a hostile or slow scraper must meet, which we set unless the operator did (system
 * properties): at most {@value #MAX_CONNECTIONS} connections ({@code jdk.httpserver.maxConnections};
 * more are closed at once), a request must arrive within {@value #MAX_REQUEST_SECONDS} s and a
 * response be taken within {@value #MAX_RESPONSE_SECONDS} s ({@code sun.net.httpserver.maxReqTime},
 * {@code maxRspTime}), at most {@value #MAX_HEADERS} request headers of {@value #MAX_HEADER_BYTES}
 * bytes in all. A hand-written server would have to build those bounds again, and nothing measured
 * asks for one: a scrape is one small response every few seconds.
 *
 * <p>Scrapes are answered by one thread of their own, so at most one body (a few hundred bytes
 * per peer) is in memory at a time, and nothing on this side blocks a data thread: the counters and
 * peer totals are read without locks ({@link dev.jwg.device.DeviceCounters}); only the allowed-IPs
 * listing takes the configuration lock the UAPI takes too. Thread-safe.
 */
public final class MetricsServer implements AutoCloseable {
    static final int MAX_CONNECTIONS = 16;
    static final int MAX_REQUEST_SECONDS = 10;
    static final int MAX_RESPONSE_SECONDS = 10;
    static final int MAX_HEADERS = 64;
    static final int MAX_HEADER_BYTES = 16384;

    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts serving {@code device}'s metrics on {@code address}.
     *
     * @throws IOException when the address cannot be bound (in use, not local)
     */
    public static MetricsServer start(InetSocketAddress address, Device device, Log log) throws IOException {
        limit("jdk.httpserver.maxConnections", MAX_CONNECTIONS);
        limit("sun.net.httpserver.maxReqTime", MAX_REQUEST_SECONDS);
        limit("sun.net.httpserver.maxRspTime", MAX_RESPONSE_SECONDS);
        limit("sun.net.httpserver.maxReqHeaders", MAX_HEADERS);
        limit("sun.net.httpserver.maxReqHeaderSize", MAX_HEADER_BYTES);
        HttpServer server = HttpServer.create(address, 8);
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, device.name() + "-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, device, log));
        server.start();
        return new MetricsServer(server, executor);
    }

    private static void limit(String property, int value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, Integer.toString(value));
        }
    }

    private static void handle(HttpExchange exchange, Device device, Log log) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            boolean head = method.equals("HEAD");
            if (!head && !method.equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            String type;
            int status = 200;
            if ("/metrics".equals(path)) {
                body = MetricsText.render(device).getBytes(StandardCharsets.UTF_8);
                type = MetricsText.CONTENT_TYPE;
            } else if ("/".equals(path)) {
                body = ("jwgd " + device.name() + ": metrics at /metrics\n").getBytes(StandardCharsets.UTF_8);
                type = "text/plain; charset=utf-8";
            } else {
                status = 404;
                body = "not found: the metrics are at /metrics\n".getBytes(StandardCharsets.UTF_8);
                type = "text/plain; charset=utf-8";
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            if (head) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            log.verbose("Metrics request ended: %s", e.getMessage());
        } catch (RuntimeException e) {
            log.error("Metrics request failed: %s", e);
        }
    }

    /** The address actually bound (the port chosen when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /**
     * Parses {@code HOST:PORT} ({@code 127.0.0.1:9586}, {@code [::1]:9586}, {@code localhost:9586})
     * or a port alone ({@code 9586}, {@code :9586}), which means the IPv4 loopback address.
     *
     * @throws IllegalArgumentException with the reason in words
     */
    public static InetSocketAddress parseAddress(String text) {
        String s = text.trim();
        String host;
        String port;
        int colon = s.lastIndexOf(':');
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0 || close + 1 >= s.length() || s.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("'" + text + "' is not HOST:PORT ([IPv6]:PORT for an IPv6 address)");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else if (colon < 0) {
            host = "";
            port = s;
        } else if (s.indexOf(':') != colon) {
            throw new IllegalArgumentException("'" + text + "': write an IPv6 address in brackets, [ADDRESS]:PORT");
        } else {
            host = s.substring(0, colon);
            port = s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': the port is not a number");
        }
        if (p < 0 || p > 65535) {
            throw new IllegalArgumentException("'" + text + "': the port is not between 0 and 65535");
        }
        try {
            InetAddress a = host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
            return new InetSocketAddress(a, p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': cannot resolve " + host);
        }
    }

    /** Stops listening; a scrape under way is cut short. Idempotent. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
