package io.chainring.metadata;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * Finds the controller leader's admin address without taking part in the election: the latch
 * participant with the lowest sequence number leads, and its znode data is its {@code host:port}.
 */
public final class ControllerDirectory {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public ControllerDirectory(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    public Optional<String> leaderAddress() {
        String latch = paths.controllerLatch();
        try {
            List<String> children = zk.getChildren().forPath(latch);
            Optional<String> first = children.stream().min(Comparator.comparing(ControllerDirectory::sequence));
            if (first.isEmpty()) {
                return Optional.empty();
            }
            byte[] data = zk.getData().forPath(latch + "/" + first.get());
            return data == null || data.length == 0 ? Optional.empty() : Optional.of(new String(data, StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw MetadataException.failed("cannot read controller leader at " + latch, e);
        }
    }

    /** Curator latch nodes are named {@code <prefix>latch-<10-digit sequence>}. */
    private static String sequence(String child) {
        int i = child.lastIndexOf("latch-");
        return i >= 0 ? child.substring(i + "latch-".length()) : child;
    }
}
