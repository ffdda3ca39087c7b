package io.chainring.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceMetricsTest {
    /** Shaped like a Thrift Iface: specific declared exceptions plus a generic base. */
    interface Kv {
        String get(String key) throws StaleRouting, NotServing, Exception;

        long compareAndSet(String key, long expected) throws StaleRouting, VersionMismatch, Exception;
    }

    static final class StaleRouting extends Exception {
    }

    static final class NotServing extends Exception {
    }

    static final class VersionMismatch extends Exception {
    }

    private final ProcessMetrics metrics = ProcessMetrics.bare();

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void countsCallsByOpAndResultAndTimesThem() throws Exception {
        Kv target = new Kv() {
            @Override
            public String get(String key) throws StaleRouting, NotServing {
                if (key.equals("stale")) {
                    throw new StaleRouting();
                }
                if (key.equals("crash")) {
                    throw new IllegalStateException("bug");
                }
                return "v-" + key;
            }

            @Override
            public long compareAndSet(String key, long expected) throws VersionMismatch {
                throw new VersionMismatch();
            }
        };
        Kv kv = ServiceMetrics.instrument(Kv.class, target, metrics.registry(), "chainring.test");

        assertThat(kv.get("a")).isEqualTo("v-a");
        assertThat(kv.get("b")).isEqualTo("v-b");
        assertThatThrownBy(() -> kv.get("stale")).isInstanceOf(StaleRouting.class);
        assertThatThrownBy(() -> kv.get("crash")).isInstanceOf(IllegalStateException.class).hasMessage("bug");
        assertThatThrownBy(() -> kv.compareAndSet("k", 1)).isInstanceOf(VersionMismatch.class);

        String text = metrics.scrape();
        assertThat(text)
                .contains("chainring_test_requests_total{op=\"get\",result=\"ok\"} 2.0")
                .contains("chainring_test_requests_total{op=\"get\",result=\"stale_routing\"} 1.0")
                .contains("chainring_test_requests_total{op=\"get\",result=\"error\"} 1.0")
                .contains("chainring_test_requests_total{op=\"compare_and_set\",result=\"version_mismatch\"} 1.0")
                .contains("chainring_test_request_seconds_count{op=\"get\"} 4")
                .contains("chainring_test_request_seconds_bucket{op=\"get\",le=\"0.001\"}")
                .doesNotContain("\"a\"").doesNotContain("\"stale\"");
        assertThat(kv.toString()).isEqualTo(target.toString());
    }

    @Test
    void namesAreSnakeCase() {
        assertThat(ServiceMetrics.snakeCase("multiGet")).isEqualTo("multi_get");
        assertThat(ServiceMetrics.snakeCase("InvalidRequest")).isEqualTo("invalid_request");
        assertThat(ServiceMetrics.snakeCase("get")).isEqualTo("get");
    }

    @Test
    void refusesAClass() {
        assertThatThrownBy(() -> ServiceMetrics.instrument(String.class, "x", metrics.registry(), "p"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an interface");
    }
}
