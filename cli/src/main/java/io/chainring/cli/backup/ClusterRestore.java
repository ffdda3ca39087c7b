package io.chainring.cli.backup;

import io.chainring.client.ChainringClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Writes a backup back through the smart client: first every file is checked against the
 * manifest (a damaged backup writes nothing), then each partition's records go out in
 * {@code putAll} batches. Restored keys get new versions (the target cluster's LSNs); keys the
 * target holds that are not in the backup are left alone, so restore into an empty cluster for an
 * exact copy.
 */
public final class ClusterRestore {
    private static final int BATCH_KEYS = 256;
    private static final long BATCH_BYTES = 1 << 20;

    private final ChainringClient client;

    public ClusterRestore(ChainringClient client) {
        this.client = client;
    }

    /** Checks every file of the backup in {@code dir}; returns its manifest. */
    public static Manifest verify(Path dir) throws IOException {
        Manifest manifest = Manifest.read(dir);
        for (Manifest.Part part : manifest.partitions()) {
            PartitionFile.read(dir.resolve(part.file()), part, (k, v) -> { });
        }
        return manifest;
    }

    /** Verifies, then restores; returns the manifest. {@code progress} hears of each partition written. */
    public Manifest run(Path dir, Consumer<Manifest.Part> progress) throws IOException {
        Manifest manifest = verify(dir);
        for (Manifest.Part part : manifest.partitions()) {
            Batch batch = new Batch();
            try {
                PartitionFile.read(dir.resolve(part.file()), part, (k, v) -> {
                    batch.add(k, v);
                    if (batch.full()) {
                        batch.flush();
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            batch.flush();
            progress.accept(part);
        }
        return manifest;
    }

    /** Entries waiting to be written; byte[] keys by identity: each record is one entry. */
    private final class Batch {
        private Map<byte[], byte[]> entries = new IdentityHashMap<>();
        private long bytes;

        void add(byte[] key, byte[] value) {
            entries.put(key, value);
            bytes += key.length + value.length;
        }

        boolean full() {
            return entries.size() >= BATCH_KEYS || bytes >= BATCH_BYTES;
        }

        void flush() {
            if (!entries.isEmpty()) {
                client.putAll(entries);
                entries = new IdentityHashMap<>();
                bytes = 0;
            }
        }
    }
}
