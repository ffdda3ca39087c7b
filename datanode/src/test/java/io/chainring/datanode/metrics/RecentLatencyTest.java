package io.chainring.datanode.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecentLatencyTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @Test
    void p99CoversTheRecentWindowOnlyAndTheCountEverything() {
        AtomicLong now = new AtomicLong();
        RecentLatency latency = new RecentLatency(10 * SECOND, SECOND, now::get);
        assertThat(latency.percentileMicros(99)).isZero();
        for (int i = 1; i <= 1000; i++) {
            latency.record(TimeUnit.MICROSECONDS.toNanos(i));
        }
        assertThat((double) latency.percentileMicros(99)).isCloseTo(990, within(2.0));
        now.addAndGet(3 * SECOND);
        for (int i = 0; i < 1000; i++) {
            latency.record(TimeUnit.MICROSECONDS.toNanos(5000));
        }
        assertThat((double) latency.percentileMicros(99)).as("both slices in the window").isCloseTo(5000, within(5.0));
        assertThat((double) latency.percentileMicros(25)).isCloseTo(500, within(2.0));
        now.addAndGet(9 * SECOND);
        assertThat((double) latency.percentileMicros(25)).as("the first slice left the window").isCloseTo(5000, within(5.0));
        now.addAndGet(20 * SECOND);
        assertThat(latency.percentileMicros(99)).isZero();
        assertThat(latency.count()).isEqualTo(2000);
    }
}
