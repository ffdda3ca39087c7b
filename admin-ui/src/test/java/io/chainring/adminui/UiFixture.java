package io.chainring.adminui;

import io.chainring.datanode.Datanode;
import io.chainring.datanode.DatanodeConfig;
import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.NodeId;
import io.chainring.transport.ClusterSecret;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real embedded cluster with an admin UI in front of it, for the HTTP and browser tests.
 * Also restarts a datanode on another port (same id and data) — a real ring change: the
 * controller writes the new address at epoch + 1.
 */
final class UiFixture implements AutoCloseable {
    static final String TOKEN = "test-admin-token-0123456789";
    static final int PARTITIONS = 32;
    /** The cluster's member secret, so that a datanode this fixture restarts by hand can join its chains again. */
    static final ClusterSecret SECRET = ClusterSecret.parse(ClusterSecret.generateText());
    /** The pages are checked on single-node chains; chain replication has its own module tests. */
    static final int REPLICATION = 1;

    final EmbeddedCluster cluster;
    final AdminUiServer ui;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Datanode> movedNodes = new ArrayList<>();

    private UiFixture(EmbeddedCluster cluster, AdminUiServer ui) {
        this.cluster = cluster;
        this.ui = ui;
    }

    static UiFixture start(boolean requireLogin) throws Exception {
        return start(requireLogin, false);
    }

    /** @param metrics whether the cluster's controller and datanodes serve their metrics endpoints */
    static UiFixture start(boolean requireLogin, boolean metrics) throws Exception {
        return start(requireLogin, metrics, REPLICATION);
    }

    static UiFixture start(boolean requireLogin, boolean metrics, int replication) throws Exception {
        // the UI passes its admin token to the controller's admin calls: the two must be the same
        EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(PARTITIONS).replication(replication)
                .metrics(metrics).adminToken(TOKEN).clusterSecret(SECRET).build();
        try {
            cluster.start();
            AdminUiServer ui = AdminUiServer.start(AdminUiConfig.builder(List.of(cluster.seeds()), TOKEN)
                    .requireLogin(requireLogin).pollInterval(Duration.ofMillis(250)).build());
            UiFixture f = new UiFixture(cluster, ui);
            f.await("the UI's first good poll", Duration.ofSeconds(20), () -> ui.poller().snapshot().lastSuccess() != null);
            return f;
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
    }

    /**
     * Stops datanode {@code id}, waits until the UI has seen it go down, and starts it again, same
     * id and data, on a new free port.
     */
    Datanode restartOnNewPort(String id) throws Exception {
        return restartOnNewPort(id, -1);
    }

    /** As {@link #restartOnNewPort(String)}, serving metrics on {@code metricsPort} (0 = free, -1 = none). */
    Datanode restartOnNewPort(String id, int metricsPort) throws Exception {
        int oldPort = cluster.datanode(id).port();
        cluster.stopDatanode(id);
        await("the UI to see " + id + " down", Duration.ofSeconds(30), () -> ui.events().newestFirst(50).stream()
                .anyMatch(e -> e.kind() == io.chainring.adminui.cluster.ClusterEvent.Kind.NODE_DOWN
                        && e.summary().startsWith("node " + id + " ")));
        DatanodeConfig config = DatanodeConfig.builder(NodeId.of(id), cluster.dataDir().resolve(id), cluster.zkConnect())
                .cluster(cluster.cluster()).port(0).metricsPort(metricsPort).clusterSecret(java.util.Optional.of(SECRET))
                // the session of the cluster's other nodes, not the 2 s datanode default
                .zkSessionTimeout(java.time.Duration.ofSeconds(EmbeddedCluster.Builder.DEFAULT_SESSION_TIMEOUT_SECONDS)).build();
        Datanode node = new Datanode(config).start();
        movedNodes.add(node);
        if (node.port() == oldPort) {
            throw new IllegalStateException("the OS gave the old port back; the test needs another one");
        }
        return node;
    }

    /** Polls {@code GET path} (JSON) until {@code condition} holds; returns the last answer. */
    com.fasterxml.jackson.databind.JsonNode awaitJson(String what, Duration timeout, String path,
            java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        while (true) {
            HttpResponse<String> r = get(path);
            com.fasterxml.jackson.databind.JsonNode last = r.statusCode() == 200 ? json.readTree(r.body()) : null;
            if (last != null && condition.test(last)) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what
                        + "; last answer " + r.statusCode() + ": " + r.body());
            }
            Thread.sleep(100);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + ui.port() + path;
    }

    HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (!java.util.Arrays.asList(headers).contains("Content-Type")) {
            b.header("Content-Type", "application/json");
        }
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() {
        try {
            ui.close();
        } finally {
            try {
                movedNodes.forEach(Datanode::close);
            } finally {
                cluster.close();
            }
        }
    }
}
