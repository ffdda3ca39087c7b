package io.chainring.datanode.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PartitionNamesTest {
    @Test
    void namesArePaddedToFiveDigitsAndReadBack() {
        assertThat(PartitionNames.databaseName(0)).isEqualTo("p-00000");
        assertThat(PartitionNames.databaseName(42)).isEqualTo("p-00042");
        assertThat(PartitionNames.databaseName(99_999)).isEqualTo("p-99999");
        assertThat(PartitionNames.databaseName(123_456)).isEqualTo("p-123456");
        for (int p : new int[]{0, 7, 4095, 65_535, 123_456, Integer.MAX_VALUE}) {
            assertThat(PartitionNames.partitionOf(PartitionNames.databaseName(p))).isEqualTo(OptionalInt.of(p));
        }
    }

    @Test
    void otherNamesAndNegativeIdsAreRefused() {
        assertThat(PartitionNames.partitionOf("meta")).isEmpty();
        assertThat(PartitionNames.partitionOf("p-42")).isEmpty();
        assertThatThrownBy(() -> PartitionNames.databaseName(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
