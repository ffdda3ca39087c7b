package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.HostPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The non-blocking path of the client against a real cluster: many calls in flight from one
 * thread on few connections, deadlines against a node that accepts connections and never answers,
 * and a connection cut under an async write.
 */
@Tag("cluster")
class AsyncClientIT {
    private static EmbeddedCluster cluster;
    private static ChainringClient direct;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        // R=1: a fault at a key's only replica is the key's fault (no chain repair around it)
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(1).build().start();
        direct = ChainringClient.builder().seeds(cluster.seeds()).build();
        admin = AdminClient.builder().seeds(cluster.seeds()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (direct != null) {
            direct.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static HostPort replicaOf(byte[] key) {
        RingSnapshot ring = admin.ring();
        String head = ring.partitions().get(direct.ring().partitionOf(key)).head().orElseThrow();
        return HostPort.parse(ring.node(head).orElseThrow().address());
    }

    @Test
    void aThousandCallsInFlightFromOneThreadCompleteCorrectlyOnFewConnections() throws Exception {
        int n = 1000;
        Set<String> completers = ConcurrentHashMap.newKeySet();
        // threads(2): at most 2 connections per node carry the 1000 calls
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).threads(2).timeout(Duration.ofSeconds(30)).build()) {
            List<CompletableFuture<Long>> puts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                puts.add(c.putAsync(bytes("many-" + i), bytes("v" + i)));
            }
            assertThat(puts.stream().filter(CompletableFuture::isDone).count()).as("the caller was not blocked").isLessThan(n);
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<CompletableFuture<Optional<Versioned>>> gets = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                gets.add(c.getAsync(bytes("many-" + i)).whenComplete((v, e) -> completers.add(Thread.currentThread().getName())));
            }
            CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int i = 0; i < n; i++) {
                Versioned v = gets.get(i).join().orElseThrow();
                assertThat(v.valueAsString()).isEqualTo("v" + i);
                assertThat(v.version()).isEqualTo(puts.get(i).join());
            }
        }
        assertThat(completers).as("users' continuations never run on the selector thread")
                .allSatisfy(t -> assertThat(t).doesNotStartWith("TAsyncClientManager"));
    }

    @Test
    void manyMultiKeyCallsInFlightFromOneThreadCompleteCorrectly() throws Exception {
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).threads(2).timeout(Duration.ofSeconds(30)).build()) {
            List<CompletableFuture<java.util.Map<byte[], Long>>> puts = new ArrayList<>();
            List<List<byte[]>> batches = new ArrayList<>();
            for (int b = 0; b < 50; b++) {
                java.util.Map<byte[], byte[]> entries = new java.util.LinkedHashMap<>();
                List<byte[]> keys = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    byte[] k = bytes("multi-" + b + "-" + i);
                    keys.add(k);
                    entries.put(k, bytes("v" + b + "-" + i));
                }
                batches.add(keys);
                puts.add(c.multiPutAsync(entries));
            }
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            List<CompletableFuture<java.util.Map<byte[], Versioned>>> gets = new ArrayList<>();
            for (List<byte[]> keys : batches) {
                gets.add(c.multiGetAsync(keys));
            }
            CompletableFuture.allOf(gets.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            for (int b = 0; b < batches.size(); b++) {
                java.util.Map<byte[], Versioned> got = gets.get(b).join();
                assertThat(got).hasSize(40);
                for (int i = 0; i < 40; i++) {
                    byte[] k = batches.get(b).get(i);
                    assertThat(got.get(k).valueAsString()).isEqualTo("v" + b + "-" + i);
                    assertThat(got.get(k).version()).isEqualTo(puts.get(b).join().get(k));
                }
            }
        }
    }

    @Test
    void aCallToANodeThatAcceptsButNeverAnswersTimesOutByItsDeadline() throws Exception {
        byte[] key = bytes("silent-node");
        HostPort replica = replicaOf(key);
        // seeds without the replica, so that no connection to it is pooled before it goes silent
        String others = java.util.Arrays.stream(cluster.seeds().split(","))
                .filter(seed -> !HostPort.parse(seed).equals(replica)).collect(java.util.stream.Collectors.joining(","));
        try (Silent silent = new Silent();
             ChainringClient c = ChainringClient.builder().seeds(others).timeout(Duration.ofMillis(800))
                     .addressTranslator(a -> a.equals(replica) && silent.on ? silent.address() : a).build()) {
            silent.on = true;
            long start = System.nanoTime();
            ChainringTimeoutException e = catchThrowableOfType(ChainringTimeoutException.class, () -> c.put(key, bytes("v")));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isNotNull();
            assertThat(e.mayHaveBeenApplied()).as("the put went out").isTrue();
            assertThat(millis).isBetween(700L, 2_000L);

            start = System.nanoTime();
            CompletableFuture<Optional<Versioned>> f = c.getAsync(key);
            ExecutionException ee = catchThrowableOfType(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(ee.getCause()).isInstanceOf(ChainringTimeoutException.class);
            assertThat(millis).isBetween(700L, 2_000L);
        }
    }

    @Test
    void anAsyncPutCutOffMidCallMayHaveBeenApplied() throws Exception {
        byte[] key = bytes("cut-async-put");
        HostPort replica = replicaOf(key);
        try (FaultProxy proxy = new FaultProxy(replica);
             ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(5))
                     .addressTranslator(a -> a.equals(replica) ? proxy.address() : a).build()) {
            proxy.mode(FaultProxy.Mode.CUT);
            CompletableFuture<Long> f = c.putAsync(key, bytes("cut"));
            ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            proxy.mode(FaultProxy.Mode.PASS);
            assertThat(e.getCause()).isInstanceOf(ConnectionException.class);
            assertThat(((ChainringException) e.getCause()).mayHaveBeenApplied()).isTrue();
            assertThat(proxy.count("kv:put")).as("not retried after an unknown outcome").isEqualTo(1);
            assertThat(direct.get(key).map(Versioned::valueAsString)).as("the write itself went through").contains("cut");
            // the client recovers on a new connection
            assertThat(c.put(key, bytes("after"))).isPositive();
        }
    }

    @Test
    void anAsyncCompareAndSetCutOffMidCallIsNotRetriedAndMayHaveBeenApplied() throws Exception {
        byte[] key = bytes("cut-async-cas");
        long v = direct.put(key, bytes("before"));
        HostPort replica = replicaOf(key);
        try (FaultProxy proxy = new FaultProxy(replica);
             ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(5))
                     .retryWritesAfterUnknownOutcome(true) // never for a CAS, whatever this says
                     .addressTranslator(a -> a.equals(replica) ? proxy.address() : a).build()) {
            proxy.mode(FaultProxy.Mode.CUT);
            CompletableFuture<Long> f = c.compareAndSetAsync(key, bytes("after"), v);
            ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
            proxy.mode(FaultProxy.Mode.PASS);
            assertThat(e.getCause()).isInstanceOf(ConnectionException.class).hasMessageContaining("outcome unknown");
            assertThat(((ChainringException) e.getCause()).mayHaveBeenApplied()).isTrue();
            assertThat(proxy.count("kv:compareAndSet")).as("sent once, never retried").isEqualTo(1);
        }
    }

    /** Accepts connections and never answers (a hung node). */
    private static final class Silent implements AutoCloseable {
        private final ServerSocket server;
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();
        private final Thread acceptor;
        volatile boolean on;

        Silent() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "silent-acceptor");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        HostPort address() {
            return new HostPort("127.0.0.1", server.getLocalPort());
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
            acceptor.join(5_000);
        }
    }
}
