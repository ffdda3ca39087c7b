package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.HostPort;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class RingCacheTest {

    private static RingCache cache() {
        ConnectionPool pool = new ConnectionPool(1, 1 << 20, UnaryOperator.identity());
        return new RingCache(List.of(new HostPort("127.0.0.1", closedPort())), new NodeCaller(pool, Duration.ofSeconds(1)),
                RetryPolicy.withDefaults(1), Duration.ofSeconds(1));
    }

    private static int closedPort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Ring ringAt(String cluster, int partitions, long epoch) {
        Ring r = Ring.empty(cluster, partitions, 3);
        while (r.epoch() < epoch) {
            r = r.withNodes(List.of());
        }
        return r;
    }

    @Test
    void onlyNewerRingsOfTheSameClusterAreInstalled() {
        RingCache cache = cache();
        assertThat(cache.epoch()).isEqualTo(-1);
        assertThat(cache.install(ringAt("c", 8, 3))).isTrue();
        assertThat(cache.install(ringAt("c", 8, 3))).isFalse();
        assertThat(cache.install(ringAt("c", 8, 2))).isFalse();
        assertThat(cache.epoch()).isEqualTo(3);
        assertThat(cache.install(ringAt("other", 8, 9))).as("another cluster").isFalse();
        assertThat(cache.install(ringAt("c", 16, 9))).as("another partition count").isFalse();
        assertThat(cache.install(RingCodec.toThrift(ringAt("c", 8, 5)))).isTrue();
        assertThat(cache.epoch()).isEqualTo(5);
        assertThat(cache.install((io.chainring.thrift.TRing) null)).isFalse();
    }

    @Test
    void aRefreshWithNothingReachableKeepsTheRingAndEndsInTime() {
        RingCache cache = cache();
        cache.install(ringAt("c", 8, 4));
        long start = System.nanoTime();
        assertThat(cache.refresh(4, Deadline.after(Duration.ofSeconds(2)), io.chainring.client.RingRefreshCause.REQUEST_FAILED)).isFalse();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2_500);
        assertThat(cache.epoch()).isEqualTo(4);
        // someone else already installed a newer ring: no fetch needed
        cache.install(ringAt("c", 8, 6));
        assertThat(cache.refresh(4, Deadline.after(Duration.ofSeconds(2)), io.chainring.client.RingRefreshCause.REQUEST_FAILED)).isTrue();
    }
}
