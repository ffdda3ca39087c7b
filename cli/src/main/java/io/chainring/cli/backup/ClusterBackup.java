package io.chainring.cli.backup;

import io.chainring.client.AdminClient;
import io.chainring.client.RingSnapshot;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unauthorized;
import io.chainring.transport.ClusterSecret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies every partition of a cluster into a directory, each consistent at one LSN: the copy is
 * paged from the partition's tail (which holds only committed writes) with the node-admin
 * {@code snapshot} call, and kept only if the tail's applied LSN after the last page equals the
 * one before the first, i.e. no write reached the partition while it was copied; otherwise the
 * partition is copied again (at most {@code attempts} times, then the backup fails and says which
 * partition kept changing). Partitions are consistent each at its own LSN, not at one instant
 * across the cluster (docs/DEPLOY.md, "Backup and restore").
 */
public final class ClusterBackup {
    private static final Logger log = LoggerFactory.getLogger(ClusterBackup.class);
    private static final int CHUNK_BYTES = 1 << 20;

    private final AdminClient admin;
    private final Optional<ClusterSecret> secret;
    private final Duration timeout;
    private final int attempts;

    public ClusterBackup(AdminClient admin, Optional<ClusterSecret> secret, Duration timeout, int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1: " + attempts);
        }
        this.admin = admin;
        this.secret = secret;
        this.timeout = timeout;
        this.attempts = attempts;
    }

    /**
     * Backs the cluster up into {@code dir} (created; must be empty) and returns the manifest,
     * written last. {@code progress} hears of each partition as it is done.
     */
    public Manifest run(Path dir, Consumer<Manifest.Part> progress) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        try (var entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new BackupException(dir + " is not empty: give a new directory for each backup");
            }
        }
        RingSnapshot ring = admin.ring();
        List<Manifest.Part> parts = new ArrayList<>();
        for (int p = 0; p < ring.partitionCount(); p++) {
            Manifest.Part part = copyPartition(dir, p);
            parts.add(part);
            progress.accept(part);
        }
        Manifest manifest = new Manifest(PartitionFile.FORMAT, ring.cluster(), Instant.now().toString(), ring.epoch(),
                ring.partitionCount(), ring.replication(), parts);
        manifest.write(dir);
        return manifest;
    }

    private Manifest.Part copyPartition(Path dir, int partition) throws IOException, InterruptedException {
        String lastProblem = "";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            RingSnapshot ring = admin.ring();
            RingSnapshot.PartitionChain chain = ring.partitions().get(partition);
            Optional<String> tail = chain.tail().flatMap(ring::node).map(RingSnapshot.Node::address);
            if (tail.isEmpty()) {
                lastProblem = "partition " + partition + " has no tail in ring epoch " + ring.epoch();
            } else {
                try (NodeAdminConnection node = NodeAdminConnection.open(tail.get(), secret, timeout)) {
                    Optional<Manifest.Part> part = copyOnce(dir, partition, ring.epoch(), node);
                    if (part.isPresent()) {
                        return part.get();
                    }
                    lastProblem = "writes reached partition " + partition + " while it was copied";
                } catch (Unauthorized e) {
                    throw new BackupException("node " + tail.get() + " refused the snapshot: " + e.getMessage()
                            + " (give the cluster secret: --cluster-secret-file or $" + ClusterSecret.ENV + ")", e);
                } catch (StaleRouting | NotServing e) {
                    lastProblem = "partition " + partition + " moved or its tail is not serving: " + e.getMessage();
                } catch (TException e) {
                    lastProblem = "partition " + partition + " from " + tail.get() + ": " + e.getMessage();
                }
            }
            log.info("backup: attempt {} of {} for partition {}: {}", attempt, attempts, partition, lastProblem);
            Thread.sleep(Math.min(2_000, 100L << attempt));
        }
        throw new BackupException("gave up on partition " + partition + " after " + attempts + " attempts: " + lastProblem
                + " (back up when writes are light, or raise --attempts)");
    }

    /** One pass over the partition; empty when its applied LSN moved meanwhile (the file is then deleted). */
    private static Optional<Manifest.Part> copyOnce(Path dir, int partition, long epoch, NodeAdminConnection node)
            throws IOException, TException {
        Path file = dir.resolve(PartitionFile.name(partition));
        ByteBuffer cursor = ByteBuffer.wrap(new byte[0]);
        SnapshotChunk chunk = node.client().snapshot(epoch, partition, cursor, CHUNK_BYTES);
        long lsn = chunk.getAppliedLsn();
        Manifest.Part part;
        try (PartitionFile.Writer out = new PartitionFile.Writer(file, partition, lsn)) {
            while (true) {
                for (ReplicatedWrite w : chunk.getRecords()) {
                    if (w.isSetValue()) { // tombstones stay behind: a restore writes live keys only
                        out.add(w.getKey(), w.getValue());
                    }
                }
                if (chunk.isSetResumeAfter()) {
                    cursor = ByteBuffer.wrap(chunk.getResumeAfter());
                } else if (!chunk.getRecords().isEmpty()) {
                    cursor = ByteBuffer.wrap(chunk.getRecords().get(chunk.getRecords().size() - 1).getKey());
                }
                if (chunk.isDone()) {
                    break;
                }
                chunk = node.client().snapshot(epoch, partition, cursor, CHUNK_BYTES);
            }
            part = out.finish();
        }
        // the applied LSN is read before a chunk: ask once more, after the last page
        long after = node.client().snapshot(epoch, partition, cursor, 1).getAppliedLsn();
        if (after != lsn) {
            Files.delete(file);
            return Optional.empty();
        }
        return Optional.of(part);
    }
}
