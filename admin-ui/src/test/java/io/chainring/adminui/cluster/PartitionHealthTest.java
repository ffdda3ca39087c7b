package io.chainring.adminui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.RingSnapshot.PartitionChain;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionHealthTest {
    private final Set<String> live = Set.of("n1", "n2");

    private PartitionHealth of(int r, String... chain) {
        return PartitionHealth.of(new PartitionChain(0, List.of(chain), 1), r, live::contains);
    }

    @Test
    void judgesChainsByLengthAndLiveness() {
        assertThat(of(2, "n1", "n2")).isEqualTo(PartitionHealth.OK);
        assertThat(of(3, "n1", "n2")).isEqualTo(PartitionHealth.UNDER_REPLICATED);
        assertThat(of(2, "n1", "n3")).isEqualTo(PartitionHealth.DEGRADED);
        assertThat(of(1, "n3")).isEqualTo(PartitionHealth.UNAVAILABLE);
        assertThat(of(1)).isEqualTo(PartitionHealth.UNAVAILABLE);
        assertThat(PartitionHealth.UNDER_REPLICATED.label()).isEqualTo("under_replicated");
    }
}
