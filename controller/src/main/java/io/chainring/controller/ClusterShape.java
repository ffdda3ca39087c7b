package io.chainring.controller;

import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.ClusterConfigStore;
import java.util.Optional;

/**
 * Settles the cluster's shape (partition count Q, replication R) at controller start: flags
 * given are created or verified against ZooKeeper; flags left out adopt what the cluster has,
 * or the defaults for a new cluster. Refuses shapes this version cannot serve.
 */
public final class ClusterShape {
    public static final int DEFAULT_REPLICATION = 1;
    public static final String NEEDS_CHAIN_REPLICATION =
            "replication > 1 needs chain replication, which this version does not have yet";

    private ClusterShape() {
    }

    /** Refuses a requested replication this version cannot serve, before anything is written. */
    public static void refuseUnsupported(Optional<Integer> requestedReplication) {
        requestedReplication.ifPresent(r -> {
            if (r > 1) {
                throw new IllegalArgumentException("cannot start with replication " + r + ": " + NEEDS_CHAIN_REPLICATION);
            }
        });
    }

    /** Refuses an existing cluster whose replication this version cannot serve. */
    public static void refuseUnsupported(String cluster, ClusterConfig config) {
        if (config.replication() > 1) {
            throw new IllegalStateException("cluster '" + cluster + "' has replication " + config.replication()
                    + ": " + NEEDS_CHAIN_REPLICATION);
        }
    }

    /**
     * The config in force. With no flags, an existing config is adopted and a new cluster gets
     * {@value ClusterConfig#DEFAULT_PARTITIONS} partitions and replication {@value #DEFAULT_REPLICATION}.
     * With flags, a flag left out takes the existing value (or the default) and the result must
     * agree with the cluster's config.
     *
     * @throws IllegalStateException when the flags disagree with the existing cluster
     */
    public static ClusterConfig resolve(ClusterConfigStore store, Optional<Integer> partitions,
                                        Optional<Integer> replication) {
        Optional<ClusterConfig> existing = store.read();
        if (partitions.isEmpty() && replication.isEmpty()) {
            if (existing.isPresent()) {
                return existing.get();
            }
            ClusterConfig defaults = new ClusterConfig(ClusterConfig.DEFAULT_PARTITIONS, DEFAULT_REPLICATION);
            try {
                return store.createOrVerify(defaults);
            } catch (IllegalStateException raced) {
                // another controller created the cluster with its own flags meanwhile: adopt them
                return store.read().orElseThrow(() -> raced);
            }
        }
        ClusterConfig wanted = new ClusterConfig(
                partitions.orElse(existing.map(ClusterConfig::partitionCount).orElse(ClusterConfig.DEFAULT_PARTITIONS)),
                replication.orElse(existing.map(ClusterConfig::replication).orElse(DEFAULT_REPLICATION)));
        return store.createOrVerify(wanted);
    }
}
