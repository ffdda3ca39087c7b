package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainringClientBuilderTest {

    @Test
    void buildWithoutSeedsSaysSo() {
        assertThatThrownBy(() -> ChainringClient.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no seeds");
        assertThatThrownBy(() -> AdminClient.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no seeds");
    }

    @Test
    void emptySeedListsAreRejected() {
        assertThatThrownBy(() -> ChainringClient.builder().seeds(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no seeds");
        assertThatThrownBy(() -> ChainringClient.builder().seeds(" , ,"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no seeds");
        assertThatThrownBy(() -> ChainringClient.builder().seeds(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no seeds");
        assertThatThrownBy(() -> ChainringClient.builder().seeds(Arrays.asList("127.0.0.1:7101", null)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("null address");
    }

    @Test
    void badAddressesNameTheEntry() {
        assertThatThrownBy(() -> ChainringClient.builder().seeds("127.0.0.1:7101,localhost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad seed 'localhost'")
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> ChainringClient.builder().seeds("127.0.0.1:70000"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad seed '127.0.0.1:70000'")
                .hasMessageContaining("port out of range");
        assertThatThrownBy(() -> ChainringClient.builder().seeds(List.of("127.0.0.1:abc")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad seed '127.0.0.1:abc'");
        assertThatThrownBy(() -> AdminClient.builder().seeds(":7101"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad seed ':7101'");
    }

    @Test
    void nonPositiveDurationsAreRejected() {
        assertThatThrownBy(() -> ChainringClient.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> ChainringClient.builder().timeout(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
        assertThatThrownBy(() -> ChainringClient.builder().timeout(Duration.ofDays(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        assertThatThrownBy(() -> ChainringClient.builder().connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectTimeout must be positive");
        assertThatThrownBy(() -> ChainringClient.builder().timeout(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> AdminClient.builder().timeout(Duration.ofSeconds(-5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout must be positive");
    }

    @Test
    void countsAreBounded() {
        assertThatThrownBy(() -> ChainringClient.builder().maxRetries(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries must be 0..100");
        assertThatThrownBy(() -> ChainringClient.builder().maxRetries(101))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxRetries must be 0..100");
        assertThatThrownBy(() -> ChainringClient.builder().threads(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads must be at least 1");
        assertThatThrownBy(() -> ChainringClient.builder().maxFrameSize(10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFrameSize");
        assertThatThrownBy(() -> ChainringClient.builder().readLevel(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("readLevel");
        assertThatThrownBy(() -> ChainringClient.builder().writeAck(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("writeAck");
    }

    @Test
    void conflictingOptionsAreRejectedWithTheReason() {
        assertThatThrownBy(() -> ChainringClient.builder().seeds("127.0.0.1:7101").seeds("127.0.0.1:7102"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("seeds were already set");
        assertThatThrownBy(() -> ChainringClient.builder().listener(ClientListener.NONE).listener(new ClientListener() { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ClientListener.composite");
        assertThatThrownBy(() -> ChainringClient.builder().timeout(Duration.ofSeconds(1)).connectTimeout(Duration.ofSeconds(3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("connectTimeout 3000 ms is longer than timeout 1000 ms");
        assertThatThrownBy(() -> ChainringClient.builder().connectTimeout(Duration.ofSeconds(3)).timeout(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("connectTimeout");
        // the default connect timeout (2 s) is capped by a shorter call timeout: no conflict
        ChainringClient.builder().timeout(Duration.ofMillis(500));
    }

    @Test
    void ringRefreshIntervalHasAFloor() {
        assertThatThrownBy(() -> ChainringClient.builder().ringRefreshInterval(Duration.ofMillis(10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 100 ms");
        assertThatThrownBy(() -> ChainringClient.builder().ringRefreshInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ringRefreshInterval must be positive");
        ChainringClient.builder().ringRefreshInterval(Duration.ofSeconds(30));
    }
}
