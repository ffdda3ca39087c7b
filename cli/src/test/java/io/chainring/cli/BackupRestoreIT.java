package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.client.ChainringClient;
import io.chainring.client.Versioned;
import io.chainring.embedded.EmbeddedCluster;
import io.chainring.transport.ClusterSecret;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code chainring backup} and {@code restore} on real clusters: a loaded cluster (with a cluster
 * secret, so the snapshot service is members-only) is backed up, wiped (stopped, its data
 * directories deleted), a new cluster started, the backup restored, and every key reads back
 * with its value, deleted keys staying deleted. A damaged backup writes nothing; a backup taken
 * while writes go on still holds every key written before it started.
 */
@Tag("cluster")
class BackupRestoreIT {
    private static final int KEYS = 3_000;

    @TempDir
    Path tmp;

    private static byte[] key(int i) {
        return ("user:" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] value(int i) {
        byte[] v = new byte[1 + (i * 37) % 700];
        for (int j = 0; j < v.length; j++) {
            v[j] = (byte) (i * 31 + j);
        }
        return v;
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    record Result(int exit, String out, String err) {
    }

    private EmbeddedCluster start(Path data, ClusterSecret secret) throws Exception {
        EmbeddedCluster c = EmbeddedCluster.builder().nodes(3).partitions(32).dataDir(data).clusterSecret(secret).build().start();
        c.awaitFullChains(Duration.ofSeconds(60));
        return c;
    }

    @Test
    void backupWipeRestoreOfALoadedClusterReturnsEveryKey() throws Exception {
        String secretText = ClusterSecret.generateText();
        ClusterSecret secret = ClusterSecret.parse(secretText);
        Path secretFile = tmp.resolve("cluster-secret");
        Files.writeString(secretFile, secretText);
        Path backup = tmp.resolve("backup");
        Path data = tmp.resolve("cluster-a");
        try (EmbeddedCluster a = start(data, secret);
             ChainringClient client = ChainringClient.builder().seeds(a.seeds()).timeout(Duration.ofSeconds(20)).build()) {
            for (int start = 0; start < KEYS; start += 200) {
                Map<byte[], byte[]> batch = new HashMap<>();
                for (int i = start; i < Math.min(KEYS, start + 200); i++) {
                    batch.put(key(i), value(i));
                }
                client.putAll(batch);
            }
            for (int i = 0; i < KEYS; i += 10) {
                assertThat(client.delete(key(i))).isTrue(); // tombstones must not come back as keys
            }
            client.put(key(1), "overwritten".getBytes(StandardCharsets.UTF_8));

            Result refused = cli("backup", "--seeds", a.seeds(), "--out", tmp.resolve("no-secret").toString());
            assertThat(refused.exit()).as(refused.err()).isEqualTo(4);
            assertThat(refused.err()).contains("for cluster members only").contains("--cluster-secret-file");

            Result made = cli("backup", "--seeds", a.seeds(), "--out", backup.toString(),
                    "--cluster-secret-file", secretFile.toString(), "--json");
            assertThat(made.exit()).as(made.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(made.out());
            JsonShapes.check("backup", json);
            assertThat(json.get("keyCount").asLong()).isEqualTo(KEYS - KEYS / 10);
            assertThat(json.get("partitionCount").asInt()).isEqualTo(32);
        }
        // wipe: the cluster is gone, data directories and ZooKeeper's data with it
        deleteTree(data);
        assertThat(data).doesNotExist();

        try (EmbeddedCluster b = start(tmp.resolve("cluster-b"), ClusterSecret.parse(ClusterSecret.generateText()));
             ChainringClient client = ChainringClient.builder().seeds(b.seeds()).timeout(Duration.ofSeconds(20)).build()) {
            assertThat(client.get(key(2))).as("a new, empty cluster").isEmpty();
            Result restored = cli("restore", "--seeds", b.seeds(), "--in", backup.toString(), "--json");
            assertThat(restored.exit()).as(restored.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(restored.out());
            JsonShapes.check("restore", json);
            assertThat(json.get("keyCount").asLong()).isEqualTo(KEYS - KEYS / 10);

            int missing = 0;
            for (int i = 0; i < KEYS; i++) {
                Optional<Versioned> got = client.get(key(i));
                if (i % 10 == 0) {
                    assertThat(got).as("deleted key %d", i).isEmpty();
                } else if (i == 1) {
                    assertThat(got.map(v -> new String(v.value(), StandardCharsets.UTF_8))).contains("overwritten");
                } else if (got.isEmpty()) {
                    missing++;
                } else {
                    assertThat(got.get().value()).as("key %d", i).isEqualTo(value(i));
                }
            }
            assertThat(missing).as("keys lost between backup and restore").isZero();
        }
    }

    @Test
    void aDamagedBackupIsRefusedAndWritesNothing() throws Exception {
        String secretText = ClusterSecret.generateText();
        Path backup = tmp.resolve("backup");
        try (EmbeddedCluster c = start(tmp.resolve("c"), ClusterSecret.parse(secretText));
             ChainringClient client = ChainringClient.builder().seeds(c.seeds()).timeout(Duration.ofSeconds(20)).build()) {
            for (int i = 0; i < 200; i++) {
                client.put(key(i), value(i));
            }
            Path secretFile = tmp.resolve("secret");
            Files.writeString(secretFile, "  " + secretText + "\n");
            assertThat(cli("backup", "--seeds", c.seeds(), "--out", backup.toString(), "--cluster-secret-file", secretFile.toString())
                    .exit()).isZero();
            assertThat(cli("restore", "--seeds", c.seeds(), "--in", backup.toString(), "--verify-only").out()).contains("verified");
            Result again = cli("backup", "--seeds", c.seeds(), "--out", backup.toString(), "--cluster-secret-file", secretFile.toString());
            assertThat(again.exit()).isEqualTo(4);
            assertThat(again.err()).contains("is not empty");

            for (int i = 0; i < 200; i++) {
                client.delete(key(i));
            }
            // flip one byte in the middle of the last partition file that holds records
            Path damaged;
            try (Stream<Path> files = Files.list(backup)) {
                damaged = files.filter(f -> f.toString().endsWith(".crbk")).filter(f -> f.toFile().length() > 40)
                        .max(Path::compareTo).orElseThrow();
            }
            try (RandomAccessFile f = new RandomAccessFile(damaged.toFile(), "rw")) {
                long at = f.length() / 2;
                f.seek(at);
                int b = f.read();
                f.seek(at);
                f.write(b ^ 0x40);
            }
            Result refused = cli("restore", "--seeds", c.seeds(), "--in", backup.toString());
            assertThat(refused.exit()).isEqualTo(4);
            assertThat(refused.err()).contains(damaged.getFileName().toString());
            for (int i = 0; i < 200; i++) {
                assertThat(client.get(key(i))).as("nothing of a damaged backup is written").isEmpty();
            }
            Result notABackup = cli("restore", "--seeds", c.seeds(), "--in", tmp.toString());
            assertThat(notABackup.exit()).isEqualTo(4);
            assertThat(notABackup.err()).contains("manifest.json");
        }
    }

    @Test
    void aBackupTakenUnderWritesHoldsEveryKeyWrittenBeforeItStarted() throws Exception {
        String secretText = ClusterSecret.generateText();
        Path backup = tmp.resolve("backup");
        try (EmbeddedCluster c = start(tmp.resolve("c"), ClusterSecret.parse(secretText));
             ChainringClient client = ChainringClient.builder().seeds(c.seeds()).timeout(Duration.ofSeconds(20)).build()) {
            for (int i = 0; i < 1_000; i++) {
                client.put(key(i), value(i));
            }
            Path secretFile = tmp.resolve("secret");
            Files.writeString(secretFile, secretText);
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicLong written = new AtomicLong();
            Thread writer = new Thread(() -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                for (int n = 0; writing.get() && System.nanoTime() < deadline; n++) {
                    client.put(("later:" + n).getBytes(StandardCharsets.UTF_8), value(n));
                    written.incrementAndGet();
                    try {
                        Thread.sleep(5); // light writes: each partition sees one every ~160 ms
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }, "backup-it-writer");
            writer.start();
            Result made;
            try {
                made = cli("backup", "--seeds", c.seeds(), "--out", backup.toString(), "--cluster-secret-file", secretFile.toString(),
                        "--json");
            } finally {
                writing.set(false);
                writer.join(30_000);
            }
            assertThat(made.exit()).as(made.err()).isZero();
            assertThat(written.get()).as("writes went on during the backup").isPositive();
            long keys = new ObjectMapper().readTree(made.out()).get("keyCount").asLong();
            assertThat(keys).isGreaterThanOrEqualTo(1_000).isLessThanOrEqualTo(1_000 + written.get());
            // every key written before the backup started is in it, with its value
            List<Integer> absent = new ArrayList<>();
            try (EmbeddedCluster fresh = start(tmp.resolve("fresh"), ClusterSecret.parse(ClusterSecret.generateText()));
                 ChainringClient c2 = ChainringClient.builder().seeds(fresh.seeds()).timeout(Duration.ofSeconds(20)).build()) {
                assertThat(cli("restore", "--seeds", fresh.seeds(), "--in", backup.toString()).exit()).isZero();
                for (int i = 0; i < 1_000; i++) {
                    Optional<Versioned> got = c2.get(key(i));
                    if (got.isEmpty() || !java.util.Arrays.equals(got.get().value(), value(i))) {
                        absent.add(i);
                    }
                }
            }
            assertThat(absent).isEmpty();
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
