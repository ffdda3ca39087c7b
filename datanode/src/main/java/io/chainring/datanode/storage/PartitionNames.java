package io.chainring.datanode.storage;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Names of the per-partition JE databases: {@code p-00042}. */
public final class PartitionNames {
    private static final Pattern NAME = Pattern.compile("p-(\\d{5,10})");

    private PartitionNames() {
    }

    public static String databaseName(int partition) {
        if (partition < 0) {
            throw new IllegalArgumentException("negative partition id " + partition);
        }
        // not String.format: the meta row's key is built with every write (a profile showed it at 2% of a node's CPU)
        String digits = Integer.toString(partition);
        return digits.length() >= 5 ? "p-" + digits : "p-" + "00000".substring(digits.length()) + digits;
    }

    /** The partition id of a database name, or empty for other databases (such as "meta"). */
    public static OptionalInt partitionOf(String databaseName) {
        Matcher m = NAME.matcher(databaseName);
        if (!m.matches()) {
            return OptionalInt.empty();
        }
        long id = Long.parseLong(m.group(1));
        return id <= Integer.MAX_VALUE ? OptionalInt.of((int) id) : OptionalInt.empty();
    }
}
