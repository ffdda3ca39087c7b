package io.chainring.controller;

import io.chainring.controller.leader.ChainRepair;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControllerConfigTest {
    @Test
    void defaults() {
        ControllerConfig c = ControllerConfig.builder("127.0.0.1:2181").build();
        assertThat(c.cluster()).isEqualTo("default");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.partitions()).isEmpty();
        assertThat(c.replication()).isEmpty();
        assertThat(c.autoJoin()).isTrue();
        assertThat(c.minNodes()).isEqualTo(1);
        assertThat(c.settle()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.tick()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.sessionTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.minChainForWrites()).isEmpty();
        assertThat(c.maxCatchUpsPerNode()).isEqualTo(ChainRepair.DEFAULT_MAX_CATCH_UPS_PER_NODE);
        assertThat(c.statsTimeout()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void keepsWhatWasGiven() {
        ControllerConfig c = ControllerConfig.builder("zk:2181").cluster("prod").port(7000).partitions(64)
                .replication(3).minChainForWrites(3).maxCatchUpsPerNode(2).autoJoin(false).minNodes(3)
                .settle(Duration.ZERO).build();
        assertThat(c.partitions()).contains(64);
        assertThat(c.replication()).contains(3);
        assertThat(c.minChainForWrites()).contains(3);
        assertThat(c.maxCatchUpsPerNode()).isEqualTo(2);
        assertThat(c.autoJoin()).isFalse();
        assertThat(c.minNodes()).isEqualTo(3);
        assertThat(c.settle()).isZero();
    }

    @Test
    void rejectsBadValuesNamingTheSetting() {
        assertThatThrownBy(() -> ControllerConfig.builder(" ").build()).hasMessageContaining("zk-connect is required");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").cluster("a/b").build()).hasMessageContaining("invalid cluster name");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").host("").build()).hasMessageContaining("host");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").port(70000).build()).hasMessageContaining("port must be 0..65535");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").partitions(0).build()).hasMessageContaining("partitions must be 1..65536");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").replication(8).build()).hasMessageContaining("replication must be 1..7");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").minNodes(0).build()).hasMessageContaining("min-nodes must be at least 1");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").settle(Duration.ofMillis(-1)).build()).hasMessageContaining("settle must not be negative");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").tick(Duration.ZERO).build()).hasMessageContaining("tick must be positive");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").replication(3).minChainForWrites(4).build())
                .hasMessageContaining("min-chain-for-writes must be 1..3 (the replication factor): 4");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").minChainForWrites(8).build())
                .hasMessageContaining("min-chain-for-writes must be 1..7: 8");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").maxCatchUpsPerNode(0).build())
                .hasMessageContaining("max catch-ups per node must be at least 1");
        assertThatThrownBy(() -> ControllerConfig.builder("zk").statsTimeout(Duration.ZERO).build())
                .hasMessageContaining("stats timeout must be positive");
        assertThatThrownBy(() -> new ControllerConfig("zk", "c", "h", 0, null, Optional.empty(), Optional.empty(), true, 1,
                Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), 4, Duration.ofSeconds(1)))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("partitions");
    }
}
