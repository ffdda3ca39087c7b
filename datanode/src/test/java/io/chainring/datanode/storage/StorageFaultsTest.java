package io.chainring.datanode.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Disk limits, commit modes, and a real kill -9 of a writing process. */
class StorageFaultsTest {
    @TempDir
    Path dir;

    @Test
    void fullDiskRefusesWritesWithAClearErrorAndKeepsServingReads() {
        // JE's disk limit stands in for a full volume: MAX_DISK of a few log files, no FREE_DISK margin
        StorageConfig config = StorageConfig.defaults(dir).withDiskLimits(3L * 1024 * 1024, 0);
        try (StorageEngine engine = StorageEngine.open(config)) {
            PartitionStore p = engine.partition(0);
            p.put(b("first"), b("kept"));
            byte[] value = new byte[64 * 1024];
            StorageException refused = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (int i = 0; refused == null && System.nanoTime() < deadline; i++) {
                try {
                    p.put(b("k" + i), value);
                } catch (StorageException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("writes are refused once the disk limit is reached").isNotNull();
            assertThat(refused.kind()).isEqualTo(StorageException.Kind.DISK_LIMIT);
            assertThat(refused.getMessage()).contains("put in partition 0").contains("disk limit");
            long lsnAfterRefusal = p.lastLsn();
            assertThat(p.get(b("first")).orElseThrow().value()).isEqualTo(b("kept"));
            assertThat(p.get(b("k" + (lsnAfterRefusal - 2)))).as("the last accepted write is readable").isPresent();
            assertThat(engine.isHealthy()).as("a full disk does not invalidate the environment").isTrue();
        }
        // with room again, everything accepted before the refusal is there and writes resume
        try (StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir).withDiskLimits(0, 0))) {
            PartitionStore p = engine.partition(0);
            assertThat(p.get(b("first")).orElseThrow().value()).isEqualTo(b("kept"));
            long last = p.lastLsn();
            assertThat(p.keyCount()).isEqualTo(last);
            assertThat(p.put(b("after"), b("room"))).isEqualTo(last + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void everyCommitModeSurvivesCloseAndReopen(Durability durability) {
        StorageConfig config = StorageConfig.defaults(dir).withDurability(durability);
        try (StorageEngine engine = StorageEngine.open(config)) {
            for (int i = 0; i < 50; i++) {
                engine.partition(i % 3).put(b("k" + i), b("v" + i));
            }
            assertThat(engine.stats().durability()).isEqualTo(durability);
        }
        try (StorageEngine engine = StorageEngine.open(config)) {
            for (int i = 0; i < 50; i++) {
                assertThat(engine.partition(i % 3).get(b("k" + i)).orElseThrow().value()).isEqualTo(b("v" + i));
            }
        }
    }

    @Test
    void writeNoSyncRunsTheBackgroundSyncAndReportsStats() {
        StorageConfig config = StorageConfig.defaults(dir).withSyncInterval(java.time.Duration.ofMillis(20));
        try (StorageEngine engine = StorageEngine.open(config)) {
            engine.partition(0).put(b("k"), b("v"));
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> engine.stats().backgroundSyncs() >= 3);
            StorageStats stats = engine.stats();
            assertThat(stats.diskBytes()).isPositive();
            assertThat(stats.healthy()).isTrue();
            assertThat(stats.cacheHitRatio()).isBetween(0.0, 1.0);
        }
    }

    @Test
    void writeNoSyncKeepsEveryFlushedWriteAcrossKillDashNine() throws Exception {
        int writes = 300;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashWriter.class.getName(), dir.toString(), Integer.toString(writes))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String line = readLineWithin(child, 60);
            assertThat(line).isEqualTo("written " + writes);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no JE close
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        try (StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir))) {
            PartitionStore p = engine.partition(0);
            assertThat(p.lastLsn()).isEqualTo(writes);
            assertThat(p.keyCount()).isEqualTo(writes);
            for (int i = 0; i < writes; i++) {
                assertThat(p.get(b("k" + i)).orElseThrow().version()).isEqualTo(i + 1);
            }
        }
    }

    private static String readLineWithin(Process child, int seconds) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        // the child prints one line after its last commit; a separate thread bounds the wait
        var result = new java.util.concurrent.CompletableFuture<String>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("written")) {
                        result.complete(line);
                        return;
                    }
                }
                result.complete("child exited with code " + child.waitFor());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return result.get(seconds, TimeUnit.SECONDS);
    }

    /** Child process: commits writes with write_no_sync (a long sync interval), reports, then waits to be killed. */
    public static final class CrashWriter {
        public static void main(String[] args) throws Exception {
            Path dataDir = Path.of(args[0]);
            int n = Integer.parseInt(args[1]);
            StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dataDir)
                    .withSyncInterval(java.time.Duration.ofHours(1)));
            PartitionStore p = engine.partition(0);
            for (int i = 0; i < n; i++) {
                p.put(b("k" + i), b("v" + i));
                engine.flushCommits(); // what a datanode does before it acknowledges a write (DESIGN "Storage")
            }
            System.out.println("written " + n);
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // never closes the engine; the parent kills us
        }
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

}
