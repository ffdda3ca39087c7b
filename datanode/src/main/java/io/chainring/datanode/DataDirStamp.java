package io.chainring.datanode;

import io.chainring.ring.NodeId;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a data directory belongs to: the cluster (name and the id from ZooKeeper), the node id, and
 * a random id of the directory itself. Written at the node's first start, checked at every later
 * one, so a directory is never served by another node or under another cluster.
 *
 * @param cluster   cluster name
 * @param clusterId the cluster's id ({@code <cluster>/cluster-id})
 * @param nodeId    the node that owns the directory
 * @param dataDirId random, fixed at the first start; marks the node's live znode so a restart in
 *                  place is told apart from a second process under the same id
 */
public record DataDirStamp(String cluster, String clusterId, NodeId nodeId, String dataDirId) {
    /** The file in the data directory. */
    public static final String FILE_NAME = "chainring-node.properties";
    private static final Logger LOG = LoggerFactory.getLogger(DataDirStamp.class);

    public DataDirStamp {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(clusterId, "clusterId");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(dataDirId, "dataDirId");
    }

    /**
     * Checks the stamp of {@code dataDir} against this process's identity, or writes it when the
     * directory has none (a new node; or a directory from before stamps, which is then adopted
     * with a warning).
     *
     * @throws DataDirMismatchException when the directory belongs to another node or cluster
     */
    public static DataDirStamp claim(Path dataDir, String cluster, String clusterId, NodeId nodeId) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                DataDirStamp stamped = read(file);
                stamped.requireMatches(dataDir, cluster, clusterId, nodeId);
                return stamped;
            }
            Files.createDirectories(dataDir);
            if (holdsData(dataDir)) {
                LOG.warn("data directory {} has no {} (written by older versions): adopting it as node {} of cluster {} ({})",
                        dataDir, FILE_NAME, nodeId, cluster, clusterId);
            }
            DataDirStamp stamp = new DataDirStamp(cluster, clusterId, nodeId, UUID.randomUUID().toString());
            stamp.write(file);
            return stamp;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    private void requireMatches(Path dataDir, String cluster, String clusterId, NodeId nodeId) {
        if (!this.nodeId.equals(nodeId)) {
            throw new DataDirMismatchException("data directory " + dataDir + " belongs to node " + this.nodeId
                    + " (cluster " + this.cluster + "), not to " + nodeId + ": start " + this.nodeId
                    + " on it, or give " + nodeId + " its own --data-dir");
        }
        if (!this.clusterId.equals(clusterId)) {
            throw new DataDirMismatchException("data directory " + dataDir + " belongs to cluster " + this.cluster + " (id "
                    + this.clusterId + "), but ZooKeeper holds cluster " + cluster + " with id " + clusterId
                    + ": wrong --zk or --cluster, or that cluster's metadata was wiped; to start " + nodeId
                    + " empty in this cluster, move the directory away");
        }
    }

    /** The id written into the node's live znode. */
    public String incarnation() {
        return dataDirId;
    }

    private static boolean holdsData(Path dataDir) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dataDir, "*.jdb")) {
            return files.iterator().hasNext();
        }
    }

    private static DataDirStamp read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        String cluster = p.getProperty("cluster");
        String clusterId = p.getProperty("cluster-id");
        String node = p.getProperty("node-id");
        String dir = p.getProperty("data-dir-id");
        if (cluster == null || clusterId == null || node == null || dir == null) {
            throw new DataDirMismatchException(file + " is incomplete (needs cluster, cluster-id, node-id, data-dir-id): "
                    + "was it edited by hand?");
        }
        return new DataDirStamp(cluster, clusterId, NodeId.of(node), dir);
    }

    private void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("cluster", cluster);
        p.setProperty("cluster-id", clusterId);
        p.setProperty("node-id", nodeId.value());
        p.setProperty("data-dir-id", dataDirId);
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(out, "Chainring node identity: do not edit; a mismatch with the cluster refuses to start");
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
