package io.chainring.datanode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.datanode.server.RequestLimits;
import io.chainring.datanode.storage.Durability;
import io.chainring.ring.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DatanodeConfigTest {
    private static final Path DIR = Path.of("/tmp/unused");

    @Test
    void defaults() {
        DatanodeConfig c = DatanodeConfig.builder(NodeId.of("n1"), DIR, "127.0.0.1:2181").build();
        assertThat(c.cluster()).isEqualTo("default");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.zone()).isEqualTo("default");
        assertThat(c.durability()).isEqualTo(Durability.WRITE_NO_SYNC);
        assertThat(c.syncInterval()).isEqualTo(Duration.ofMillis(100));
        RequestLimits limits = c.requestLimits();
        assertThat(limits.maxKeyBytes()).isEqualTo(1024);
        assertThat(limits.maxValueBytes()).isEqualTo(1024 * 1024);
        assertThat(limits.maxFrameBytes()).isEqualTo(RequestLimits.DEFAULT_MAX_FRAME_BYTES);
        assertThat(limits.maxScanEntries()).isEqualTo(10_000);
    }

    @Test
    void theAdvertisedHostDefaultsToTheBoundOneAndCanDiffer() {
        DatanodeConfig plain = DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").host("127.0.0.2").build();
        assertThat(plain.advertisedAddress(7101)).hasToString("127.0.0.2:7101");
        DatanodeConfig proxied = DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").advertisedHost("n1.chainring.eval").build();
        assertThat(proxied.host()).isEqualTo("127.0.0.1");
        assertThat(proxied.advertisedAddress(7101)).hasToString("n1.chainring.eval:7101");
    }

    @Test
    void biggerValuesGrowTheAnswerBudget() {
        DatanodeConfig c = DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181")
                .maxValueBytes(10 * 1024 * 1024).maxFrameBytes(12 * 1024 * 1024).build();
        assertThat(c.requestLimits().maxResponseBytes()).isGreaterThanOrEqualTo(10 * 1024 * 1024 + 1024);
    }

    @Test
    void theFrameGrowsWithTheValueLimitUnlessSetExplicitly() {
        DatanodeConfig c = DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").maxValueBytes(32 * 1024 * 1024).build();
        assertThat(c.maxFrameBytes()).isGreaterThan(32 * 1024 * 1024 + 1024);
        assertThat(c.requestLimits().maxValueBytes()).isEqualTo(32 * 1024 * 1024);
    }

    @Test
    void rejectsInconsistentSettings() {
        assertThatThrownBy(() -> DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").host("0.0.0.0").build())
                .hasMessageContaining("wildcard");
        assertThatThrownBy(() -> DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").maxFrameBytes(1024 * 1024).build())
                .hasMessageContaining("max frame bytes");
        assertThatThrownBy(() -> DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").port(70000).build())
                .hasMessageContaining("port");
        assertThatThrownBy(() -> DatanodeConfig.builder(NodeId.of("n1"), DIR, " ").build())
                .hasMessageContaining("zkConnect");
        assertThatThrownBy(() -> DatanodeConfig.builder(NodeId.of("n1"), DIR, "zk:2181").zkSessionTimeout(Duration.ZERO).build())
                .hasMessageContaining("zkSessionTimeout");
    }

    @Test
    void durabilityNamesParse() {
        assertThat(Durability.parse("write_no_sync")).isEqualTo(Durability.WRITE_NO_SYNC);
        assertThat(Durability.parse("SYNC")).isEqualTo(Durability.SYNC);
        assertThat(Durability.parse("no-sync")).isEqualTo(Durability.NO_SYNC);
        assertThat(Durability.NO_SYNC.configName()).isEqualTo("no_sync");
        assertThatThrownBy(() -> Durability.parse("fast")).hasMessageContaining("write_no_sync, sync or no_sync");
    }
}
