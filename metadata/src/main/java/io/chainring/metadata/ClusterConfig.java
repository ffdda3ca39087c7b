package io.chainring.metadata;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * The cluster's fixed shape, written once by the first controller at {@code config}:
 * partition count Q and replication factor R. Stored as readable {@code key=value} text.
 */
public record ClusterConfig(int partitionCount, int replication) {
    public static final int DEFAULT_PARTITIONS = 256;
    public static final int MAX_PARTITIONS = 65_536;

    public ClusterConfig {
        if (partitionCount < 1 || partitionCount > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be 1.." + MAX_PARTITIONS + ": " + partitionCount);
        }
        if (replication < 1 || replication > 7) {
            throw new IllegalArgumentException("replication must be 1..7: " + replication);
        }
    }

    public byte[] toBytes() {
        return ("partitions=" + partitionCount + "\nreplication=" + replication + "\n").getBytes(StandardCharsets.UTF_8);
    }

    public static ClusterConfig fromBytes(byte[] bytes) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
            return new ClusterConfig(Integer.parseInt(p.getProperty("partitions")),
                    Integer.parseInt(p.getProperty("replication")));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("unreadable cluster config: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }
}
