package io.chainring.cli.evaluate.history;

import io.chainring.client.VersionMismatchException;
import io.chainring.client.Versioned;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * One random operation of a linearizability workload on a recording client: 40 % reads, 25 %
 * writes, 20 % compare-and-sets (a quarter of them expecting absence, the rest the version last
 * seen) and 15 % deletes. {@code seen} keeps the version this worker last saw per key. Other
 * failures ({@link io.chainring.client.ChainringException}) are recorded by the client and go to
 * the caller, who decides whether to pause.
 */
public final class RandomOps {
    private RandomOps() {
    }

    /** Runs one operation on {@code key}, writing {@code value} if it writes. */
    public static void step(RecordingClient c, Random random, String key, String value, Map<String, Long> seen) {
        int dice = random.nextInt(100);
        try {
            if (dice < 40) {
                Optional<Versioned> v = c.get(key);
                seen.put(key, v.map(Versioned::version).orElse(0L));
            } else if (dice < 65) {
                seen.put(key, c.put(key, value));
            } else if (dice < 85) {
                long expected = random.nextInt(4) == 0 ? 0 : seen.getOrDefault(key, 0L);
                seen.put(key, c.compareAndSet(key, value, expected));
            } else {
                c.delete(key);
                seen.put(key, 0L);
            }
        } catch (VersionMismatchException e) {
            seen.put(key, e.actualVersion());
        }
    }
}
