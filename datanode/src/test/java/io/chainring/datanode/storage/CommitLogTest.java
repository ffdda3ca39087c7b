package io.chainring.datanode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * write_no_sync's promise with deferred log writes: a partition commit reaches JE's log buffer
 * only, and {@link StorageEngine#flushCommits} puts every commit made before it into the log
 * files (what another process — the OS's page cache — sees), once for many partitions. The
 * check reads the log files' bytes for a marker value, as a crash-restart would find them.
 */
class CommitLogTest {
    @TempDir
    Path dir;
    private StorageEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private StorageEngine open(Durability durability) {
        // no background fsync in the test's time: only the flushes under test write the log
        engine = StorageEngine.open(StorageConfig.defaults(dir).withDurability(durability).withSyncInterval(Duration.ofHours(1)));
        return engine;
    }

    @Test
    void writeNoSyncCommitsReachTheFilesAtTheFlushOnceForManyPartitions() {
        open(Durability.WRITE_NO_SYNC);
        List<byte[]> markers = new ArrayList<>();
        List<Boolean> inFilesWhenCommitted = new ArrayList<>();
        long before = engine.countedCommits();
        for (int p = 0; p < 10; p++) {
            byte[] marker = marker();
            markers.add(marker);
            engine.partition(p).put(("k" + p).getBytes(StandardCharsets.UTF_8), marker, new WriteObserver() {
                @Override
                public void committed(ChainWrite write) {
                    inFilesWhenCommitted.add(logContains(marker));
                }
            });
        }
        assertThat(engine.countedCommits() - before).isEqualTo(10);
        assertThat(inFilesWhenCommitted).as("committed into the buffer, not yet written").containsOnly(false);

        engine.flushCommits();
        for (byte[] marker : markers) {
            assertThat(logContains(marker)).as("in the log files after the flush").isTrue();
        }
        assertThat(engine.partition(7).get("k7".getBytes(StandardCharsets.UTF_8))).isPresent();
    }

    @Test
    void syncCommitsAreInTheFilesWhenTheObserverHearsOfThem() {
        open(Durability.SYNC);
        byte[] marker = marker();
        List<Boolean> inFilesWhenCommitted = new ArrayList<>();
        engine.partition(2).put("k".getBytes(StandardCharsets.UTF_8), marker, new WriteObserver() {
            @Override
            public void committed(ChainWrite write) {
                inFilesWhenCommitted.add(logContains(marker));
            }
        });
        assertThat(inFilesWhenCommitted).containsExactly(true);
        assertThat(engine.countedCommits()).as("nothing deferred").isZero();
    }

    private static byte[] marker() {
        return ("commit-log-marker-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    }

    private boolean logContains(byte[] marker) {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".jdb")).toList()) {
                if (indexOf(Files.readAllBytes(f), marker) >= 0) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
