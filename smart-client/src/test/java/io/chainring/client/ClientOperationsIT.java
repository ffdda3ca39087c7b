package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.chainring.embedded.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The client's operations against a real embedded cluster (ZooKeeper, controller, 3 datanodes). */
@Tag("cluster")
class ClientOperationsIT {
    private static EmbeddedCluster cluster;
    private static ChainringClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(32).build().start();
        client = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(10)).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void putGetDeleteRoundTripWithGrowingVersions() {
        byte[] key = bytes("round-trip");
        assertThat(client.get(key)).isEmpty();
        long v1 = client.put(key, bytes("one"));
        assertThat(v1).isPositive();
        assertThat(client.get(key)).contains(new Versioned(bytes("one"), v1));
        long v2 = client.put(key, bytes("two"));
        assertThat(v2).isGreaterThan(v1);
        assertThat(client.get(key).orElseThrow().valueAsString()).isEqualTo("two");
        assertThat(client.delete(key)).isTrue();
        assertThat(client.get(key)).isEmpty();
        assertThat(client.delete(key)).isFalse();
        long v3 = client.put(key, new byte[0]);
        assertThat(v3).isGreaterThan(v2);
        assertThat(client.get(key).orElseThrow().value()).isEmpty();
    }

    @Test
    void stringOverloadsUseUtf8() {
        long v = client.put("grüße", "wörld ✓");
        assertThat(client.get(bytes("grüße"))).contains(new Versioned(bytes("wörld ✓"), v));
        assertThat(client.get("grüße").orElseThrow().valueAsString()).isEqualTo("wörld ✓");
        assertThat(client.delete("grüße")).isTrue();
        assertThat(client.get("grüße")).isEmpty();
    }

    @Test
    void compareAndSetChecksVersions() {
        byte[] key = bytes("cas-key");
        long v1 = client.compareAndSet(key, bytes("first"), 0);
        assertThat(client.get(key)).contains(new Versioned(bytes("first"), v1));

        VersionMismatchException absent = catchThrowableOfType(VersionMismatchException.class,
                () -> client.compareAndSet(key, bytes("again"), 0));
        assertThat(absent.actualVersion()).isEqualTo(v1);
        assertThat(absent.mayHaveBeenApplied()).isFalse();
        assertThat(absent.code()).isEqualTo(ErrorCode.VERSION_MISMATCH);

        long v2 = client.compareAndSet(key, bytes("second"), v1);
        assertThat(v2).isGreaterThan(v1);
        VersionMismatchException stale = catchThrowableOfType(VersionMismatchException.class,
                () -> client.compareAndSet(key, bytes("third"), v1));
        assertThat(stale.actualVersion()).isEqualTo(v2);
        assertThat(stale.getMessage()).contains("cas-key").contains("expected version " + v1);
        assertThat(client.get(key).orElseThrow().valueAsString()).isEqualTo("second");

        client.delete(key);
        VersionMismatchException gone = catchThrowableOfType(VersionMismatchException.class,
                () -> client.compareAndSet(key, bytes("x"), v2));
        assertThat(gone.actualVersion()).isZero();
        assertThat(client.compareAndSet(key, bytes("back"), 0)).isGreaterThan(v2);
        assertThatThrownBy(() -> client.compareAndSet(key, bytes("x"), -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void asyncFormsComplete() throws Exception {
        byte[] key = bytes("async-key");
        long v = client.putAsync(key, bytes("a")).get(10, TimeUnit.SECONDS);
        assertThat(client.getAsync(key).get(10, TimeUnit.SECONDS)).contains(new Versioned(bytes("a"), v));
        long v2 = client.compareAndSetAsync(key, bytes("b"), v).get(10, TimeUnit.SECONDS);
        ExecutionException e = catchThrowableOfType(ExecutionException.class,
                () -> client.compareAndSetAsync(key, bytes("c"), v).get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(VersionMismatchException.class);
        assertThat(((VersionMismatchException) e.getCause()).actualVersion()).isEqualTo(v2);
        assertThat(client.deleteAsync(key).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(client.getAsync(key).join()).isEmpty();

        // many in flight at once, more than the client has threads
        List<CompletableFuture<Long>> puts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            puts.add(client.putAsync(bytes("async-" + i), bytes("v" + i)));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        for (int i = 0; i < 200; i += 17) {
            assertThat(client.get(bytes("async-" + i))).contains(new Versioned(bytes("v" + i), puts.get(i).join()));
        }
    }

    @Test
    void multiPutAndMultiGetSpanEveryNode() {
        Map<byte[], byte[]> entries = new LinkedHashMap<>();
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] k = bytes("multi-" + i);
            keys.add(k);
            entries.put(k, bytes("value-" + i));
        }
        Map<byte[], Long> versions = client.multiPut(entries);
        assertThat(versions).hasSize(100);
        for (byte[] k : keys) {
            assertThat(versions.get(k)).as(new String(k, StandardCharsets.UTF_8)).isPositive();
        }
        byte[] missing = bytes("multi-missing");
        List<byte[]> asked = new ArrayList<>(keys);
        asked.add(missing);
        Map<byte[], Versioned> got = client.multiGet(asked);
        assertThat(got).hasSize(100).doesNotContainKey(missing);
        for (int i = 0; i < 100; i++) {
            assertThat(got.get(keys.get(i))).isEqualTo(new Versioned(bytes("value-" + i), versions.get(keys.get(i))));
            assertThat(client.get(keys.get(i)).orElseThrow().version()).isEqualTo(versions.get(keys.get(i)));
        }
        assertThat(client.multiGet(List.of())).isEmpty();
        assertThat(client.multiPut(Map.of())).isEmpty();
        assertThat(client.multiGetAsync(List.of(keys.get(3))).join()).containsKey(keys.get(3));
    }

    @Test
    void largeBatchesAreCutToFitTheServersLimits() {
        // 12 values of ~1 MB on one node: more than one multiGet answer may carry (8 MiB by default)
        Map<byte[], byte[]> entries = new LinkedHashMap<>();
        List<byte[]> keys = new ArrayList<>();
        Random random = new Random(5);
        RingSnapshot ring;
        try (AdminClient admin = AdminClient.builder().seeds(cluster.seeds()).build()) {
            ring = admin.ring();
        }
        for (int i = 0; keys.size() < 12 && i < 100_000; i++) {
            byte[] k = bytes("large-" + i);
            if (!ring.partitions().get(client.ring().partitionOf(k)).head().orElseThrow().equals("n1")) {
                continue;
            }
            byte[] value = new byte[1_000_000];
            random.nextBytes(value);
            keys.add(k);
            entries.put(k, value);
        }
        Map<byte[], Long> versions = client.multiPut(entries);
        assertThat(versions).hasSize(12);
        Map<byte[], Versioned> got = client.multiGet(keys);
        assertThat(got).hasSize(12);
        for (byte[] k : keys) {
            assertThat(got.get(k)).isEqualTo(new Versioned(entries.get(k), versions.get(k)));
        }
    }

    @ParameterizedTest(name = "read level {0}")
    @ValueSource(strings = {"LINEARIZABLE", "MAJORITY", "ONE"})
    void everyReadLevelReadsWhatWasWritten(String level) {
        ReadLevel readLevel = ReadLevel.valueOf(level);
        byte[] key = bytes("level-" + level);
        long v = client.put(key, bytes(level), WriteAck.ALL);
        assertThat(client.get(key, readLevel)).contains(new Versioned(bytes(level), v));
        assertThat(client.get(bytes("level-missing-" + level), readLevel)).isEmpty();
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).readLevel(readLevel).writeAck(WriteAck.ONE).build()) {
            assertThat(c.get(key)).contains(new Versioned(bytes(level), v));
            Map<byte[], Versioned> m = c.multiGet(List.of(key));
            assertThat(m.get(key)).isEqualTo(new Versioned(bytes(level), v));
            assertThat(c.put(key, bytes("again"))).isGreaterThan(v);
        }
    }

    @Test
    void badKeysAreRefusedAndNothingIsApplied() {
        byte[] huge = new byte[4096];
        InvalidRequestException e = catchThrowableOfType(InvalidRequestException.class, () -> client.put(huge, bytes("v")));
        assertThat(e.mayHaveBeenApplied()).isFalse();
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(e.getMessage()).contains("key");
        assertThat(catchThrowableOfType(InvalidRequestException.class, () -> client.get(huge)).mayHaveBeenApplied()).isFalse();
        assertThat(catchThrowableOfType(InvalidRequestException.class, () -> client.put(new byte[0], bytes("v"))).getMessage())
                .contains("key");
        // the client and the cluster carry on
        assertThat(client.put(bytes("after-bad-key"), bytes("ok"))).isPositive();

        // one bad key in a batch: refused as a whole group, and the error says other groups may have landed
        Map<byte[], byte[]> batch = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            batch.put(bytes("batch-with-bad-" + i), bytes("v"));
        }
        batch.put(huge, bytes("v"));
        CompletionException ce = catchThrowableOfType(CompletionException.class, () -> client.multiPutAsync(batch).join());
        assertThat(ce.getCause()).isInstanceOf(InvalidRequestException.class);
        assertThat(((ChainringException) ce.getCause()).mayHaveBeenApplied()).isTrue();
    }

    @Test
    void nullsAreRejectedBeforeAnythingIsSent() {
        assertThatThrownBy(() -> client.put((byte[]) null, bytes("v"))).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("key");
        assertThatThrownBy(() -> client.put(bytes("k"), null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("value");
        assertThatThrownBy(() -> client.get((String) null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {11, 22, 33})
    void randomizedOperationsAgreeWithAModel(long seed) {
        Random random = new Random(seed);
        Map<String, Optional<Versioned>> model = new HashMap<>();
        for (int i = 0; i < 150; i++) {
            String key = "model-" + seed + "-" + random.nextInt(12);
            byte[] k = bytes(key);
            Optional<Versioned> expected = model.getOrDefault(key, Optional.empty());
            switch (random.nextInt(4)) {
                case 0 -> {
                    byte[] value = new byte[random.nextInt(64)];
                    random.nextBytes(value);
                    long v = client.put(k, value);
                    assertThat(v).as("seed %d step %d", seed, i).isGreaterThan(expected.map(Versioned::version).orElse(0L));
                    model.put(key, Optional.of(new Versioned(value, v)));
                }
                case 1 -> {
                    assertThat(client.delete(k)).as("seed %d step %d", seed, i).isEqualTo(expected.isPresent());
                    model.put(key, Optional.empty());
                }
                case 2 -> {
                    long expectedVersion = random.nextBoolean() ? expected.map(Versioned::version).orElse(0L) : random.nextInt(3);
                    byte[] value = bytes("cas-" + i);
                    long current = expected.map(Versioned::version).orElse(0L);
                    if (expectedVersion == current) {
                        long v = client.compareAndSet(k, value, expectedVersion);
                        model.put(key, Optional.of(new Versioned(value, v)));
                    } else {
                        VersionMismatchException e = catchThrowableOfType(VersionMismatchException.class,
                                () -> client.compareAndSet(k, value, expectedVersion));
                        assertThat(e).as("seed %d step %d", seed, i).isNotNull();
                        assertThat(e.actualVersion()).as("seed %d step %d", seed, i).isEqualTo(current);
                    }
                }
                default -> assertThat(client.get(k)).as("seed %d step %d", seed, i).isEqualTo(expected);
            }
        }
    }

    @Test
    void ringViewReportsTheCachedRing() {
        RingView ring = client.ring();
        assertThat(ring.cluster()).isEqualTo(cluster.cluster());
        assertThat(ring.partitionCount()).isEqualTo(32);
        assertThat(ring.epoch()).isPositive();
        assertThat(ring.partitionOf(bytes("x"))).isBetween(0, 31);
    }

    @Test
    void adminClientReportsStatusAndRing() {
        try (AdminClient admin = AdminClient.builder().seeds(cluster.seeds()).build()) {
            ClusterStatus status = admin.status();
            assertThat(status.cluster()).isEqualTo(cluster.cluster());
            assertThat(status.partitionCount()).isEqualTo(32);
            assertThat(status.controller()).isEqualTo(cluster.controllerAddress());
            assertThat(status.nodes()).extracting(NodeStatus::id).containsExactlyInAnyOrder("n1", "n2", "n3");
            assertThat(status.nodes()).allSatisfy(n -> {
                assertThat(n.live()).isTrue();
                assertThat(n.state()).isEqualTo("ACTIVE");
                assertThat(n.address()).startsWith("127.0.0.1:");
            });
            int replicas = status.nodes().stream().mapToInt(NodeStatus::partitions).sum();
            assertThat(replicas).isEqualTo(32 * status.replication());
            assertThat(status.nodes().stream().mapToInt(NodeStatus::heads).sum()).isEqualTo(32);

            RingSnapshot ring = admin.ring();
            assertThat(ring.epoch()).isGreaterThanOrEqualTo(status.epoch() - 1).isPositive();
            assertThat(ring.partitions()).hasSize(32);
            assertThat(ring.partitions()).allSatisfy(p -> {
                assertThat(p.chain()).hasSize(ring.replication());
                assertThat(p.changedAt()).isBetween(1L, ring.epoch());
                assertThat(ring.node(p.head().orElseThrow())).isPresent();
            });
            assertThat(ring.epoch()).isGreaterThanOrEqualTo(client.ring().epoch());
        }
    }
}
