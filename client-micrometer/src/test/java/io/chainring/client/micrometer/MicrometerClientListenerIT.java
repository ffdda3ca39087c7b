package io.chainring.client.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.client.ChainringClient;
import io.chainring.client.Outcome;
import io.chainring.client.RingRefreshCause;
import io.chainring.client.ScanCursor;
import io.chainring.client.VersionMismatchException;
import io.chainring.embedded.EmbeddedCluster;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Micrometer adapter's meters, fed by a real client against a real embedded cluster. */
@Tag("cluster")
class MicrometerClientListenerIT {
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void callsRequestsAndRingRefreshesBecomeMeters() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds())
                .listener(new MicrometerClientListener(registry, Tags.of("client", "test"))).build()) {
            for (int i = 0; i < 20; i++) {
                c.put("key-" + i, "value");
            }
            for (int i = 0; i < 30; i++) {
                c.get("key-" + i);
            }
            long v = c.put("cas", "x");
            assertThatThrownBy(() -> c.compareAndSet("cas".getBytes(), "y".getBytes(), v + 1))
                    .isInstanceOf(VersionMismatchException.class);
            c.scan(ScanCursor.start(), 100);

            Timer puts = registry.get("chainring.client.calls").tags("op", "put", "outcome", "SUCCESS", "client", "test").timer();
            assertThat(puts.count()).isEqualTo(21);
            assertThat(puts.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("chainring.client.calls").tags("op", "get", "outcome", "SUCCESS").timer().count()).isEqualTo(30);
            assertThat(registry.get("chainring.client.calls").tags("op", "compareAndSet", "outcome", "VERSION_MISMATCH").timer().count())
                    .isEqualTo(1);
            assertThat(registry.get("chainring.client.calls").tags("op", "scan").timer().count()).isEqualTo(1);

            // one request per single-key call, spread over the three nodes
            double getRequests = registry.get("chainring.client.requests").tags("op", "get", "outcome", "SUCCESS").timers()
                    .stream().mapToLong(Timer::count).sum();
            assertThat(getRequests).isEqualTo(30);
            assertThat(registry.get("chainring.client.requests").tags("op", "put").timers())
                    .extracting(t -> t.getId().getTag("node")).hasSizeGreaterThan(1)
                    .allSatisfy(node -> assertThat(cluster.datanodeIds().stream().map(Object::toString)).contains(node));
            assertThat(registry.get("chainring.client.requests.active").gauge().value()).isZero();

            assertThat(registry.get("chainring.client.ring.refreshes").tags("cause", "BOOTSTRAP", "changed", "true").counter().count())
                    .isEqualTo(1);
            assertThat(registry.get("chainring.client.ring.epoch").gauge().value()).isEqualTo(c.ring().epoch());
        }
    }

    @Test
    void retriesAreCountedByOperationAndCause() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        MicrometerClientListener l = new MicrometerClientListener(registry);
        l.retrying("put", 1, Outcome.STALE_ROUTING, 0);
        l.retrying("put", 2, Outcome.STALE_ROUTING, 20_000_000);
        l.retrying("get", 1, Outcome.CONNECT_FAILED, 20_000_000);
        l.ringRefreshed(RingRefreshCause.PERIODIC, 7, 7);
        l.ringRefreshed(RingRefreshCause.STALE_ROUTING, 7, 9);
        assertThat(registry.get("chainring.client.retries").tags("op", "put", "cause", "STALE_ROUTING").counter().count()).isEqualTo(2);
        assertThat(registry.get("chainring.client.retries").tags("op", "get", "cause", "CONNECT_FAILED").counter().count()).isEqualTo(1);
        assertThat(registry.get("chainring.client.ring.refreshes").tags("cause", "PERIODIC", "changed", "false").counter().count())
                .isEqualTo(1);
        assertThat(registry.get("chainring.client.ring.epoch").gauge().value()).isEqualTo(9);
    }
}
