package io.chainring.cli.bench;

import java.nio.charset.StandardCharsets;

/** The key of record {@code i}: {@code user} and ten digits, as YCSB names its records. */
public final class BenchKeys {
    private BenchKeys() {
    }

    public static byte[] key(long record) {
        return String.format("user%010d", record).getBytes(StandardCharsets.US_ASCII);
    }
}
