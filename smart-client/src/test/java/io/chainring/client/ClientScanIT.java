package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.embedded.EmbeddedCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Scans with resumable cursors against a real embedded cluster (3 datanodes, 16 partitions). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class ClientScanIT {
    private static final int SCAN_KEYS = 300;
    private static final int OTHER_KEYS = 40;
    private static EmbeddedCluster cluster;
    private static ChainringClient client;
    /** key -> version of everything written by {@link #load()}. */
    private static final Map<String, Long> written = new HashMap<>();

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

    @Test
    @Order(1)
    void anEmptyClusterScansToNothing() {
        ScanPage page = client.scan(ScanCursor.start(), 100);
        assertThat(page.entries()).isEmpty();
        assertThat(page.isLast()).isTrue();
        assertThat(page.next().partitionCount()).isEqualTo(16);
        assertThat(client.scanAll().count()).isZero();
        // a finished cursor gives an empty last page at once
        assertThat(client.scan(page.next(), 10).entries()).isEmpty();
    }

    @Test
    @Order(2)
    void load() {
        // one multiPut (grouped per head, in parallel) instead of hundreds of round trips
        Map<byte[], byte[]> batch = new java.util.IdentityHashMap<>();
        Map<byte[], String> names = new java.util.IdentityHashMap<>();
        for (int i = 0; i < SCAN_KEYS; i++) {
            String k = String.format("scan/%04d", i);
            byte[] kb = k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            batch.put(kb, ("value-" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            names.put(kb, k);
        }
        for (int i = 0; i < OTHER_KEYS; i++) {
            String k = "other/" + i;
            byte[] kb = k.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            batch.put(kb, ("o" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            names.put(kb, k);
        }
        client.multiPut(batch).forEach((k, v) -> written.put(names.get(k), v));
        assertThat(written).hasSize(SCAN_KEYS + OTHER_KEYS);
        // around the prefix "scan/": just below it ('.' < '/') and just above it ('0' > '/')
        for (String k : List.of("scan", "scan.", "scan.x", "scan0", "scan0/1", "scam/z")) {
            written.put(k, client.put(k, k));
        }
        // deleted keys are not scanned
        client.put("scan/gone", "x");
        assertThat(client.delete("scan/gone")).isTrue();
    }

    @Test
    @Order(3)
    void pagesCoverEveryKeyOnceInPartitionAndKeyOrder() {
        List<ScanEntry> all = new ArrayList<>();
        ScanCursor cursor = ScanCursor.start();
        int pages = 0;
        do {
            ScanPage page = client.scan(cursor, 37);
            assertThat(page.entries().size()).isLessThanOrEqualTo(37);
            all.addAll(page.entries());
            cursor = page.next();
            pages++;
            assertThat(pages).as("a scan of %d keys ends", written.size()).isLessThan(200);
        } while (!cursor.isDone());

        assertThat(all).extracting(ScanEntry::keyAsString).doesNotHaveDuplicates();
        Map<String, Long> seen = all.stream().collect(Collectors.toMap(ScanEntry::keyAsString, ScanEntry::version));
        assertThat(seen).isEqualTo(written);
        for (int i = 1; i < all.size(); i++) {
            ScanEntry a = all.get(i - 1);
            ScanEntry b = all.get(i);
            assertThat(b.partition()).isGreaterThanOrEqualTo(a.partition());
            if (a.partition() == b.partition()) {
                assertThat(Arrays.compareUnsigned(a.key(), b.key())).as("%s before %s", a, b).isNegative();
            }
        }
        for (ScanEntry e : all) {
            assertThat(e.partition()).isEqualTo(client.ring().partitionOf(e.key()));
        }
        assertThat(all.stream().map(ScanEntry::partition).distinct().count()).as("keys spread over partitions").isGreaterThan(8);
        ScanEntry one = all.stream().filter(e -> e.keyAsString().equals("scan/0007")).findFirst().orElseThrow();
        assertThat(one.valueAsString()).isEqualTo("value-7");
        assertThat(one.versioned()).isEqualTo(client.get("scan/0007").orElseThrow());
    }

    @Test
    @Order(4)
    void aCursorSavedAsTextResumesInAnotherClient() {
        List<String> firstHalf = new ArrayList<>();
        ScanCursor cursor = ScanCursor.start();
        while (firstHalf.size() < written.size() / 2) {
            ScanPage page = client.scan(cursor, 50);
            page.entries().forEach(e -> firstHalf.add(e.keyAsString()));
            cursor = page.next();
        }
        String saved = cursor.toString();
        assertThat(cursor.isDone()).isFalse();

        List<String> rest = new ArrayList<>();
        try (ChainringClient other = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            ScanCursor resumed = ScanCursor.parse(saved);
            assertThat(resumed).isEqualTo(cursor);
            other.scanAll(resumed).forEach(e -> rest.add(e.keyAsString()));
        }
        Set<String> union = new HashSet<>(firstHalf);
        assertThat(rest).doesNotContainAnyElementsOf(firstHalf);
        union.addAll(rest);
        assertThat(union).isEqualTo(written.keySet());
        assertThat(firstHalf.size() + rest.size()).isEqualTo(written.size());
    }

    @Test
    @Order(5)
    void aPrefixScanReturnsExactlyTheKeysWithThePrefix() {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.start("scan/");
        do {
            ScanPage page = client.scan(cursor, 64);
            page.entries().forEach(e -> keys.add(e.keyAsString()));
            cursor = page.next();
        } while (!cursor.isDone());
        Set<String> expected = written.keySet().stream().filter(k -> k.startsWith("scan/")).collect(Collectors.toSet());
        assertThat(expected).hasSize(SCAN_KEYS);
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);

        assertThat(client.scanAll(ScanCursor.start("scan")).count()).as("scan, scan., scan.x, scan0, scan0/1 and scan/*")
                .isEqualTo(SCAN_KEYS + 5);
        assertThat(client.scanAll(ScanCursor.start("nothing-has-this-prefix/")).count()).isZero();
        ScanPage empty = client.scan(ScanCursor.start("nothing-has-this-prefix/"), 10);
        assertThat(empty.entries()).isEmpty();
        assertThat(empty.isLast()).isTrue();
    }

    @Test
    @Order(6)
    void streamsAndIterablesResumeAfterAnyEntry() throws Exception {
        List<ScanEntry> first = client.scanAll(ScanCursor.start("other/")).limit(10).toList();
        assertThat(first).hasSize(10);
        ScanCursor after = first.get(9).resumeAfter();
        List<String> remaining = client.scanAll(ScanCursor.parse(after.toString())).map(ScanEntry::keyAsString).toList();
        assertThat(remaining).hasSize(OTHER_KEYS - 10).doesNotContainAnyElementsOf(first.stream().map(ScanEntry::keyAsString).toList());

        int n = 0;
        for (ScanEntry e : client.scanIterable(ScanCursor.start("other/"))) {
            assertThat(e.keyAsString()).startsWith("other/");
            n++;
        }
        assertThat(n).isEqualTo(OTHER_KEYS);

        ScanPage async = client.scanAsync(ScanCursor.start("other/"), 5).get(10, TimeUnit.SECONDS);
        assertThat(async.entries()).hasSize(5);
    }

    @Test
    @Order(7)
    void badScanArgumentsAreRejected() {
        assertThatThrownBy(() -> client.scan(ScanCursor.parse("c1.8.3.."), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("8 partitions; this cluster has 16");
        assertThatThrownBy(() -> client.scan(ScanCursor.start(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scan limit must be 1..10000");
        assertThatThrownBy(() -> client.scan(null, 10)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @Order(8)
    void readLevelOneScansAnyMember() {
        long n = 0;
        ScanCursor c = ScanCursor.start("scan/");
        do {
            ScanPage p = client.scan(c, 1000, ReadLevel.ONE);
            n += p.entries().size();
            c = p.next();
        } while (!c.isDone());
        assertThat(n).isEqualTo(SCAN_KEYS);
    }
}
