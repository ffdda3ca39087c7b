package io.chainring.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP endpoint for operators: {@code GET /metrics} (Prometheus text format),
 * {@code GET /healthz} (200 while the process answers) and {@code GET /readyz} (200 when
 * {@link Readiness} says ready, else 503 with the reason). Built on the JDK's HTTP server so that
 * servers without a web stack (datanode, controller) need no extra dependency; two daemon
 * threads, so a slow scraper cannot take more.
 *
 * <p>Lifecycle: {@link #start} binds; {@link #close()} stops (idempotent).
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);
    /** Prometheus text exposition format, as Prometheus asks for it. */
    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final AtomicInteger SERVERS = new AtomicInteger();

    private final HttpServer server;
    private final ExecutorService executor;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MetricsServer(HttpServer server, ExecutorService executor, String name) {
        this.server = server;
        this.executor = executor;
        this.name = name;
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @param name      what the endpoint belongs to, for logs and thread names (e.g. "datanode n1")
     * @param metrics   the meters served on /metrics
     * @param readiness consulted on every /readyz
     * @throws IllegalStateException when the port cannot be bound
     */
    public static MetricsServer start(String name, String host, int port, ProcessMetrics metrics, Readiness readiness) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(readiness, "readiness");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("metrics port must be 0..65535 (0 picks a free port): " + port);
        }
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IllegalStateException("cannot bind the metrics endpoint of " + name + " to " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
        int serial = SERVERS.incrementAndGet();
        ExecutorService exec = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "metrics-http-" + serial);
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(exec);
        http.createContext("/metrics", ex -> serve(ex, name, () -> new Reply(200, PROMETHEUS_CONTENT_TYPE, metrics.scrape())));
        http.createContext("/healthz", ex -> serve(ex, name, () -> Reply.text(200, "ok\n")));
        http.createContext("/readyz", ex -> serve(ex, name, () -> {
            Readiness.Status s = readiness.check();
            return s.ready() ? Reply.text(200, "ready\n") : Reply.text(503, "not ready: " + s.reason() + "\n");
        }));
        http.createContext("/", ex -> serve(ex, name, () -> Reply.text(404, "not found; try /metrics, /healthz or /readyz\n")));
        http.start();
        MetricsServer server = new MetricsServer(http, exec, name);
        LOG.info("{}: metrics on http://{}:{}/metrics (also /healthz, /readyz)", name, host, server.port());
        return server;
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://host:port} of this endpoint. */
    public String url() {
        InetSocketAddress a = server.getAddress();
        return "http://" + a.getHostString() + ":" + a.getPort();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                LOG.warn("{}: metrics endpoint threads still busy 2 s after close", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private interface Body {
        Reply get() throws Exception;
    }

    private record Reply(int status, String contentType, String body) {
        static Reply text(int status, String body) {
            return new Reply(status, "text/plain; charset=utf-8", body);
        }
    }

    /** Answers GET and HEAD on an exact path; anything else gets a clear 404/405. Never throws to the server. */
    private static void serve(HttpExchange ex, String name, Body body) throws IOException {
        try (ex) {
            Reply reply;
            String method = ex.getRequestMethod();
            String context = ex.getHttpContext().getPath();
            if (!context.equals("/") && !ex.getRequestURI().getPath().equals(context)) {
                reply = Reply.text(404, "not found; try /metrics, /healthz or /readyz\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                reply = Reply.text(405, "method " + method + " not allowed; use GET\n");
            } else {
                try {
                    reply = body.get();
                } catch (Exception | LinkageError e) {
                    LOG.warn("{}: {} failed", name, context, e);
                    reply = Reply.text(500, "internal error: " + e + "\n");
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", reply.contentType());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            if (method.equals("HEAD")) {
                ex.sendResponseHeaders(reply.status(), -1);
            } else {
                ex.sendResponseHeaders(reply.status(), bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
