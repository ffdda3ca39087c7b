package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.embedded.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What issue 15 asked of the client, against a real cluster: batch results looked up by key
 * content and in request order, a per-call timeout, codecs, and versions that are log positions.
 */
@Tag("cluster")
class ClientConvenienceIT {
    private static EmbeddedCluster cluster;
    private static ChainringClient client;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
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
    void getAllResultsAreFoundByKeyContentAndInRequestOrder() {
        Map<byte[], byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 40; i++) {
            entries.put(bytes("batch:" + i), bytes("v" + i));
        }
        KeyedResults<Long> versions = client.putAll(entries);
        assertThat(versions.size()).isEqualTo(40);
        // a fresh array with the same bytes finds the entry (a Map<byte[], ...> would not)
        assertThat(versions.get(bytes("batch:7"))).hasValueSatisfying(v -> assertThat(v).isPositive());
        assertThat(versions.get("batch:7")).isEqualTo(versions.get(bytes("batch:7")));

        List<byte[]> asked = new ArrayList<>();
        asked.add(bytes("batch:3"));
        asked.add(bytes("batch:missing"));
        asked.add(bytes("batch:39"));
        asked.add(bytes("batch:3")); // asked twice: one result
        KeyedResults<Versioned> got = client.getAll(asked);
        assertThat(got.size()).isEqualTo(2);
        assertThat(got.get(bytes("batch:3")).map(Versioned::valueAsString)).contains("v3");
        assertThat(got.get(bytes("batch:3")).map(Versioned::version)).isEqualTo(versions.get("batch:3"));
        assertThat(got.get(bytes("batch:missing"))).isEmpty();
        assertThat(got.contains(bytes("batch:39"))).isTrue();
        assertThat(got.contains(bytes("batch:missing"))).isFalse();
        assertThat(got.inRequestOrder()).hasSize(3)
                .extracting(r -> r.map(Versioned::valueAsString).orElse(null))
                .containsExactly("v3", null, "v39");
        List<String> seen = new ArrayList<>();
        got.forEach((k, v) -> seen.add(new String(k, StandardCharsets.UTF_8) + "=" + v.valueAsString()));
        assertThat(seen).containsExactly("batch:3=v3", "batch:39=v39");

        assertThat(client.getAllAsync(List.of(bytes("batch:0"))).join().get("batch:0")).isPresent();
        assertThat(client.getAll(List.of()).size()).isZero();

        // the deprecated form still works, with its identity semantics
        @SuppressWarnings("deprecation")
        Map<byte[], Versioned> old = client.multiGet(asked);
        assertThat(old.get(bytes("batch:3"))).as("identity: another array finds nothing").isNull();
        assertThat(old.get(asked.get(0))).isNotNull();
    }

    @Test
    void withTimeoutGivesOneCallSiteItsOwnDeadlineAndSharesTheRest() {
        client.put("deadline", "x");
        ChainringClient hurried = client.withTimeout(Duration.ofNanos(1));
        assertThat(hurried.timeout()).isEqualTo(Duration.ofNanos(1));
        assertThatThrownBy(() -> hurried.get(bytes("deadline"))).isInstanceOf(ChainringTimeoutException.class);
        assertThatThrownBy(() -> hurried.getAll(List.of(bytes("deadline")))).isInstanceOf(ChainringTimeoutException.class);

        ChainringClient patient = client.withTimeout(Duration.ofSeconds(30));
        assertThat(patient.get("deadline").map(Versioned::valueAsString)).contains("x");
        patient.close(); // a view: closing it leaves the client open
        assertThat(client.get("deadline")).isPresent();
        assertThat(client.timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThatThrownBy(() -> client.withTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("timeout must be positive");
    }

    /** A value type with a hand-written text form, standing in for a JSON mapper. */
    record Order(String id, int quantity) {
        static final Codec<Order> CODEC = Codec.of(
                o -> (o.id() + "," + o.quantity()).getBytes(StandardCharsets.UTF_8),
                b -> {
                    String[] parts = new String(b, StandardCharsets.UTF_8).split(",");
                    if (parts.length != 2) {
                        throw new java.io.IOException("not an order: " + new String(b, StandardCharsets.UTF_8));
                    }
                    return new Order(parts[0], Integer.parseInt(parts[1]));
                });
    }

    @Test
    void codecsTurnValuesIntoBytesAndBack() {
        long v = client.put("order:1", new Order("o-1", 3), Order.CODEC);
        Optional<Versioned> read = client.get("order:1");
        assertThat(read.map(x -> x.value(Order.CODEC))).contains(new Order("o-1", 3));
        assertThat(read.map(Versioned::version)).contains(v);

        client.put("greeting", "héllo", Codec.utf8());
        assertThat(client.get("greeting").map(x -> x.value(Codec.utf8()))).contains("héllo");

        client.put("not-an-order", "garbage");
        assertThatThrownBy(() -> client.get("not-an-order").map(x -> x.value(Order.CODEC)))
                .isInstanceOf(Codec.CodecException.class).hasMessageContaining("not an order");

        Codec<Order> failing = Codec.of(o -> {
            throw new java.io.IOException("disk full");
        }, b -> null);
        assertThatThrownBy(() -> client.put("order:2", new Order("o-2", 1), failing))
                .isInstanceOf(Codec.CodecException.class).hasMessageContaining("disk full");
        assertThat(client.get("order:2")).as("nothing was sent").isEmpty();
    }

    @Test
    void aVersionIsThePartitionsLogPositionNotAPerKeyCounter() {
        // many writes to one partition, then a new key of that partition: its first version is past them
        byte[] first = bytes("lsn-a");
        int partition = client.ring().partitionOf(first);
        long last = 0;
        for (int i = 0; i < 20; i++) {
            last = client.put(first, bytes("v" + i));
        }
        byte[] other = null;
        for (int i = 0; other == null; i++) {
            byte[] candidate = bytes("lsn-b" + i);
            if (client.ring().partitionOf(candidate) == partition) {
                other = candidate;
            }
        }
        long fresh = client.put(other, bytes("new"));
        assertThat(fresh).as("a new key starts at the partition's next log position, not at 1").isGreaterThan(last);
        assertThat(last).as("the key's own versions grew with each write").isGreaterThanOrEqualTo(20);
    }
}
