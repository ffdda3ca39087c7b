package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.HostPort;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Network faults between the client and a real cluster: every datanode sits behind a
 * {@link FaultProxy}, and the client dials the proxies (its test-only address translator).
 * A second client talks to the cluster directly to see what really happened.
 */
@Tag("cluster")
class ClientFaultsIT {
    private static EmbeddedCluster cluster;
    private static final Map<HostPort, FaultProxy> proxies = new HashMap<>();
    private static ChainringClient direct;
    private static AdminClient admin;
    private ChainringClient client;

    @BeforeAll
    static void start() throws Exception {
        // R=1: these faults are about one node failing a key alone (with chains, the controller repairs around it)
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(1).build().start();
        for (String seed : cluster.seeds().split(",")) {
            HostPort node = HostPort.parse(seed);
            proxies.put(node, new FaultProxy(node));
        }
        direct = ChainringClient.builder().seeds(cluster.seeds()).build();
        admin = AdminClient.builder().seeds(cluster.seeds()).build();
    }

    @AfterAll
    static void stop() throws Exception {
        for (FaultProxy p : proxies.values()) {
            p.close();
        }
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

    @BeforeEach
    void buildClient() {
        proxies.values().forEach(p -> {
            p.mode(FaultProxy.Mode.PASS);
            p.clear();
        });
        client = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(1))
                .addressTranslator(a -> proxies.containsKey(a) ? proxies.get(a).address() : a).build();
    }

    @AfterEach
    void closeClient() {
        proxies.values().forEach(p -> p.mode(FaultProxy.Mode.PASS));
        client.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The proxy in front of the head of the key's partition. */
    private static FaultProxy headProxy(byte[] key) {
        RingSnapshot ring = admin.ring();
        String head = ring.partitions().get(direct.ring().partitionOf(key)).head().orElseThrow();
        HostPort address = HostPort.parse(ring.node(head).orElseThrow().address());
        return proxies.get(address);
    }

    @Test
    void aPassedDeadlineReportsThatThePutMayHaveBeenApplied() {
        byte[] key = bytes("held-put");
        FaultProxy head = headProxy(key);
        head.mode(FaultProxy.Mode.HOLD);
        long start = System.nanoTime();
        ChainringTimeoutException e = catchThrowableOfType(ChainringTimeoutException.class,
                () -> client.put(key, bytes("maybe")));
        long millis = (System.nanoTime() - start) / 1_000_000;
        head.mode(FaultProxy.Mode.PASS);

        assertThat(e).isNotNull();
        assertThat(e.mayHaveBeenApplied()).isTrue();
        assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
        assertThat(millis).isBetween(900L, 3_000L);
        assertThat(head.count("kv:put")).isEqualTo(1);
        // and indeed it was applied: the answer was lost, not the write
        assertThat(direct.get(key).map(Versioned::valueAsString)).contains("maybe");
    }

    @Test
    void anAsyncCallCompletesWithTheTimeoutByItsDeadline() throws Exception {
        byte[] key = bytes("held-get");
        direct.put(key, bytes("x"));
        proxies.values().forEach(p -> p.mode(FaultProxy.Mode.HOLD));
        CompletableFuture<Optional<Versioned>> f = client.getAsync(key);
        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(ChainringTimeoutException.class);
    }

    @Test
    void closeIsBoundedWithCallsInFlightAndRefusesLaterCalls() throws Exception {
        ChainringClient closing = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(30))
                .addressTranslator(a -> proxies.containsKey(a) ? proxies.get(a).address() : a).build();
        proxies.values().forEach(p -> p.mode(FaultProxy.Mode.HOLD));
        List<CompletableFuture<Long>> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(closing.putAsync(bytes("closing-" + i), bytes("v")));
        }
        Thread.sleep(200); // let them reach the wire
        long start = System.nanoTime();
        closing.close();
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as("at most the 5 s grace, not the 30 s call timeout").isLessThan(8_000);
        for (CompletableFuture<Long> f : inFlight) {
            ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
            assertThat(e.getCause()).isInstanceOf(ConnectionException.class).hasMessageContaining("client closed");
            assertThat(((ChainringException) e.getCause()).mayHaveBeenApplied()).isTrue();
        }
        assertThatThrownBy(() -> closing.get(bytes("x"))).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThat(closing.getAsync(bytes("x"))).isCompletedExceptionally();
        closing.close(); // idempotent
    }

    @Test
    void aCompareAndSetCutOffMidCallIsNotRetriedAndMayHaveBeenApplied() {
        byte[] key = bytes("cut-cas");
        long v = direct.put(key, bytes("before"));
        FaultProxy head = headProxy(key);
        head.clear();
        head.mode(FaultProxy.Mode.CUT);
        ConnectionException e = catchThrowableOfType(ConnectionException.class,
                () -> client.compareAndSet(key, bytes("after"), v));
        head.mode(FaultProxy.Mode.PASS);

        assertThat(e).isNotNull();
        assertThat(e.mayHaveBeenApplied()).isTrue();
        assertThat(e.getMessage()).contains("compareAndSet").contains("outcome unknown");
        assertThat(head.count("kv:compareAndSet")).as("sent once, never retried").isEqualTo(1);
        Versioned now = direct.get(key).orElseThrow();
        assertThat(now.valueAsString()).isEqualTo("after");
        assertThat(now.version()).isGreaterThan(v);
    }

    @Test
    void aPutCutOffOnceIsNotRetriedByDefaultAndMayHaveBeenApplied() {
        byte[] key = bytes("cut-put-default");
        FaultProxy head = headProxy(key);
        head.clear();
        head.mode(FaultProxy.Mode.CUT_ONCE);
        ConnectionException e = catchThrowableOfType(ConnectionException.class, () -> client.put(key, bytes("once")));
        assertThat(e).isNotNull();
        assertThat(e.mayHaveBeenApplied()).isTrue();
        assertThat(head.count("kv:put")).as("sent once, not retried").isEqualTo(1);
    }

    @Test
    void aPutCutOffOnceIsRetriedAndSucceedsWhenTheClientOptsIn() {
        byte[] key = bytes("cut-put");
        FaultProxy head = headProxy(key);
        try (ChainringClient retrying = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(5))
                .retryWritesAfterUnknownOutcome(true)
                .addressTranslator(a -> proxies.containsKey(a) ? proxies.get(a).address() : a).build()) {
            // cut only after the client fetched its ring, so the cut hits the put
            head.clear();
            head.mode(FaultProxy.Mode.CUT_ONCE);
            long v = retrying.put(key, bytes("retried"));
            assertThat(head.count("kv:put")).as("first attempt cut, second answered").isEqualTo(2);
            assertThat(direct.get(key)).contains(new Versioned(bytes("retried"), v));
        }
    }

    @Test
    void aPutThatKeepsBeingCutFailsAfterBoundedRetries() {
        byte[] key = bytes("always-cut-put");
        FaultProxy head = headProxy(key);
        head.clear();
        head.mode(FaultProxy.Mode.CUT);
        try (ChainringClient patient = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(10))
                .maxRetries(3).retryWritesAfterUnknownOutcome(true).addressTranslator(a -> proxies.containsKey(a) ? proxies.get(a).address() : a).build()) {
            ConnectionException e = catchThrowableOfType(ConnectionException.class, () -> patient.put(key, bytes("v")));
            assertThat(e).isNotNull();
            assertThat(e.mayHaveBeenApplied()).isTrue();
        }
        assertThat(head.count("kv:put")).as("first attempt and 3 retries").isEqualTo(4);
    }

    @Test
    void aCompareAndSetThatCouldNotBeSentIsReportedAsNotApplied() throws Exception {
        byte[] key = bytes("unsent-cas");
        long v = direct.put(key, bytes("before"));
        String headId = admin.ring().partitions().get(direct.ring().partitionOf(key)).head().orElseThrow();
        // no proxy here: a proxy accepts connections for a dead node, a dead node refuses them
        try (ChainringClient straight = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(5)).build()) {
            assertThat(straight.get(key)).isPresent(); // leaves a pooled connection to the head
            cluster.stopDatanode(headId);
            try {
                long start = System.nanoTime();
                UnavailableException e = catchThrowableOfType(UnavailableException.class,
                        () -> straight.compareAndSet(key, bytes("after"), v));
                assertThat(e).isNotNull();
                assertThat(e.mayHaveBeenApplied()).isFalse();
                assertThat(e.getMessage()).contains(headId).contains("connection refused");
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000);
            } finally {
                cluster.restartDatanode(headId);
                cluster.awaitServing(Duration.ofSeconds(30));
            }
            // the dead pooled connection was noticed, not sent into: the node is back and the CAS goes through
            assertThat(straight.compareAndSet(key, bytes("after"), v)).isGreaterThan(v);
        }
        assertThat(direct.get(key).orElseThrow().valueAsString()).isEqualTo("after");
    }
}
