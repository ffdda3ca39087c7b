package io.chainring.cli.evaluate;

import io.chainring.client.ReadLevel;
import io.chainring.client.WriteAck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** One consistency setting of the matrix: a read level and a write ack level. */
public record Setting(ReadLevel read, WriteAck write) {
    public Setting {
        Objects.requireNonNull(read, "read");
        Objects.requireNonNull(write, "write");
    }

    /** All nine, strongest reads first. */
    public static List<Setting> all() {
        List<Setting> out = new ArrayList<>();
        for (ReadLevel r : List.of(ReadLevel.LINEARIZABLE, ReadLevel.MAJORITY, ReadLevel.ONE)) {
            for (WriteAck w : List.of(WriteAck.ALL, WriteAck.MAJORITY, WriteAck.ONE)) {
                out.add(new Setting(r, w));
            }
        }
        return out;
    }

    /** Parses {@code READ/WRITE}, e.g. {@code LINEARIZABLE/ALL} or {@code one/one}. */
    public static Setting parse(String text) {
        String[] parts = text.trim().toUpperCase(java.util.Locale.ROOT).split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected READ/WRITE such as LINEARIZABLE/ALL, got '" + text + "'");
        }
        return new Setting(ReadLevel.valueOf(parts[0]), WriteAck.valueOf(parts[1]));
    }

    /** Whether the design promises linearizable histories with no stale read and no lost acknowledged write. */
    public boolean promisesLinearizable() {
        return read == ReadLevel.LINEARIZABLE && write == WriteAck.ALL;
    }

    /** e.g. {@code LINEARIZABLE/ALL}. */
    public String label() {
        return read + "/" + write;
    }

    @Override
    public String toString() {
        return label();
    }
}
