package io.chainring.metadata;

import io.chainring.ring.Ring;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The cluster's fixed shape, written once by the first controller at {@code config}:
 * partition count Q, replication factor R, and the shortest chain that still takes writes
 * (DESIGN §6.4). Stored as readable {@code key=value} text. {@code min-chain-for-writes} is
 * optional in the text: configs written before it existed read with
 * {@link Ring#defaultMinChainForWrites(int) the default} for their R.
 */
public record ClusterConfig(int partitionCount, int replication, int minChainForWrites) {
    public static final int DEFAULT_PARTITIONS = 256;
    public static final int MAX_PARTITIONS = 65_536;
    public static final int MAX_REPLICATION = 7;

    private static final String PARTITIONS = "partitions";
    private static final String REPLICATION = "replication";
    private static final String MIN_CHAIN = "min-chain-for-writes";

    public ClusterConfig {
        if (partitionCount < 1 || partitionCount > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1.." + MAX_PARTITIONS + ": " + partitionCount);
        }
        if (replication < 1 || replication > MAX_REPLICATION) {
            throw new IllegalArgumentException("replication must be 1.." + MAX_REPLICATION + ": " + replication);
        }
        if (minChainForWrites < 1 || minChainForWrites > replication) {
            throw new IllegalArgumentException("min-chain-for-writes must be 1.." + replication
                    + " (the replication factor): " + minChainForWrites);
        }
    }

    /** A config with the default min chain for writes for {@code replication}. */
    public ClusterConfig(int partitionCount, int replication) {
        this(partitionCount, replication, Ring.defaultMinChainForWrites(replication));
    }

    public byte[] toBytes() {
        return (PARTITIONS + "=" + partitionCount + "\n" + REPLICATION + "=" + replication + "\n"
                + MIN_CHAIN + "=" + minChainForWrites + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static ClusterConfig fromBytes(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            int partitions = Integer.parseInt(p.getProperty(PARTITIONS));
            int replication = Integer.parseInt(p.getProperty(REPLICATION));
            String minChain = p.getProperty(MIN_CHAIN);
            return minChain == null
                    ? new ClusterConfig(partitions, replication)
                    : new ClusterConfig(partitions, replication, Integer.parseInt(minChain.trim()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable cluster config: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    /** How the config reads in messages: "64 partitions, replication 3, min-chain-for-writes 2". */
    public String describe() {
        return partitionCount + " partitions, replication " + replication + ", min-chain-for-writes " + minChainForWrites;
    }
}
