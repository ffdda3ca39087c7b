package io.chainring.cli.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * {@code manifest.json} of a backup: the cluster it came from and, per partition, its file, the
 * LSN it is consistent at, its record count and bytes, and the file's SHA-256. Written last, so a
 * directory without a manifest is an unfinished backup.
 */
public record Manifest(int format, String cluster, String createdAt, long ringEpoch, int partitionCount, int replication,
                       List<Part> partitions) {
    static final String FILE = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Manifest {
        Objects.requireNonNull(cluster, "cluster");
        partitions = List.copyOf(partitions);
    }

    /** One partition: every write up to {@code lsn} and none after it, {@code keys} live records. */
    public record Part(int partition, String file, long lsn, long keys, long bytes, String sha256) {
    }

    public long keys() {
        return partitions.stream().mapToLong(Part::keys).sum();
    }

    public long bytes() {
        return partitions.stream().mapToLong(Part::bytes).sum();
    }

    void write(Path dir) throws IOException {
        Path tmp = dir.resolve(FILE + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** @throws BackupException no manifest (not a backup, or an unfinished one) or another format */
    static Manifest read(Path dir) throws IOException {
        Manifest m;
        try {
            m = JSON.readValue(Files.readAllBytes(dir.resolve(FILE)), Manifest.class);
        } catch (NoSuchFileException e) {
            throw new BackupException(dir + " holds no " + FILE + ": not a backup, or one that did not finish", e);
        }
        if (m.format() != PartitionFile.FORMAT) {
            throw new BackupException(dir + " is a backup of format " + m.format() + "; this version reads format " + PartitionFile.FORMAT);
        }
        return m;
    }
}
