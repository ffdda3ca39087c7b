package io.chainring.controller;

import io.chainring.metadata.ClusterConfig;
import io.chainring.metadata.ClusterConfigStore;
import io.chainring.ring.Ring;
import java.util.Optional;

/**
 * Settles the cluster's shape (partition count Q, replication R, min chain for writes) at
 * controller start: flags given are created or verified against ZooKeeper; flags left out adopt
 * what the cluster has, or the defaults for a new cluster.
 */
public final class ClusterShape {
    /** DESIGN §5: chains of three replicas unless told otherwise. */
    public static final int DEFAULT_REPLICATION = 3;

    private ClusterShape() {
    }

    /**
     * The config in force. With no flags, an existing config is adopted and a new cluster gets
     * {@value ClusterConfig#DEFAULT_PARTITIONS} partitions, replication {@value #DEFAULT_REPLICATION}
     * and the default min chain for writes. With flags, a flag left out takes the existing value
     * (or the default) and the result must agree with the cluster's config. The min chain left
     * out follows the replication: the cluster's own value when R is the cluster's, else the
     * default for R.
     *
     * @throws IllegalStateException    when the flags disagree with the existing cluster
     * @throws IllegalArgumentException when the min chain does not fit the replication
     */
    public static ClusterConfig resolve(ClusterConfigStore store, Optional<Integer> partitions,
                                        Optional<Integer> replication, Optional<Integer> minChainForWrites) {
        Optional<ClusterConfig> existing = store.read();
        if (partitions.isEmpty() && replication.isEmpty() && minChainForWrites.isEmpty()) {
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
        int q = partitions.orElse(existing.map(ClusterConfig::partitionCount).orElse(ClusterConfig.DEFAULT_PARTITIONS));
        int r = replication.orElse(existing.map(ClusterConfig::replication).orElse(DEFAULT_REPLICATION));
        int minChain = minChainForWrites.orElse(existing.filter(c -> c.replication() == r)
                .map(ClusterConfig::minChainForWrites)
                .orElse(Ring.defaultMinChainForWrites(r)));
        return store.createOrVerify(new ClusterConfig(q, r, minChain));
    }
}
