package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234567, -99})
    void backoffStaysInTheJitteredWindowAndGrowsToTheCap(long seed) {
        Random random = new Random(seed);
        long base = Duration.ofMillis(5 + random.nextInt(50)).toNanos();
        long max = base * (1 + random.nextInt(100));
        RetryPolicy p = new RetryPolicy(10, Duration.ofNanos(base), Duration.ofNanos(max), new Random(seed));
        long previousWindow = 0;
        for (int retry = 1; retry <= 80; retry++) {
            long window = p.windowNanos(retry);
            long expected = BigInteger.valueOf(base).shiftLeft(retry - 1).min(BigInteger.valueOf(max)).longValueExact();
            assertThat(window).as("seed %d retry %d", seed, retry).isEqualTo(expected);
            assertThat(window).as("seed %d retry %d", seed, retry).isGreaterThanOrEqualTo(previousWindow).isLessThanOrEqualTo(max);
            previousWindow = window;
            for (int i = 0; i < 50; i++) {
                long pause = p.backoffNanos(retry);
                assertThat(pause).as("seed %d retry %d", seed, retry).isBetween(window / 2, window);
            }
        }
    }

    @Test
    void jitterSpreadsTheWaits() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofMillis(100), Duration.ofSeconds(1), new Random(7));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 200; i++) {
            long pause = p.backoffNanos(1);
            min = Math.min(min, pause);
            max = Math.max(max, pause);
        }
        // the window is 50..100 ms: 200 draws cover most of it
        assertThat(max - min).isGreaterThan(Duration.ofMillis(40).toNanos());
    }

    @Test
    void retriesAreBounded() {
        RetryPolicy p = RetryPolicy.withDefaults(3);
        assertThat(p.mayRetry(0)).isTrue();
        assertThat(p.mayRetry(2)).isTrue();
        assertThat(p.mayRetry(3)).isFalse();
        assertThat(RetryPolicy.withDefaults(0).mayRetry(0)).isFalse();
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new RetryPolicy(-1, Duration.ofMillis(1), Duration.ofMillis(2), new Random()))
                .hasMessageContaining("maxRetries");
        assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofMillis(10), Duration.ofMillis(2), new Random()))
                .hasMessageContaining("below baseBackoff");
        assertThatThrownBy(() -> RetryPolicy.withDefaults(1).backoffNanos(0)).hasMessageContaining("from 1");
    }
}
