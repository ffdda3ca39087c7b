package io.chainring.adminui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressTest {
    @Test
    void percentOfBytesElseKeysAndFullOnceTheCopyIsOver() {
        assertThat(Progress.percent("join", 10, 100, 250, 1000)).isEqualTo(25.0);
        assertThat(Progress.percent("join", 10, 40, 250, 0)).as("no byte total: keys").isEqualTo(25.0);
        assertThat(Progress.percent("join", 10, 0, 250, 0)).as("nothing known").isZero();
        assertThat(Progress.percent("join", 0, 0, 2000, 1000)).as("an estimate overtaken").isEqualTo(100.0);
        assertThat(Progress.percent("pending", 0, 10, 0, 1000)).isZero();
        for (String over : new String[] {"promote", "drop", "done"}) {
            assertThat(Progress.percent(over, 1, 10, 1, 1000)).as(over).isEqualTo(100.0);
        }
    }

    @Test
    void averageRateAndEta() {
        assertThat(Progress.averageRate(4000, 1_000, 3_000)).isEqualTo(2000.0);
        assertThat(Progress.averageRate(4000, 3_000, 3_000)).as("no time passed").isZero();
        assertThat(Progress.averageRate(0, 1_000, 3_000)).isZero();

        assertThat(Progress.etaSeconds(4000, 10_000, 2000)).isEqualTo(3);
        assertThat(Progress.etaSeconds(4000, 10_001, 2000)).as("rounded up").isEqualTo(4);
        assertThat(Progress.etaSeconds(12_000, 10_000, 2000)).isZero();
        assertThat(Progress.etaSeconds(4000, 0, 2000)).as("no total").isEqualTo(-1);
        assertThat(Progress.etaSeconds(4000, 10_000, 0)).as("no rate").isEqualTo(-1);
    }

    @Test
    void formatsForPeople() {
        assertThat(Format.bytes(512)).isEqualTo("512 B");
        assertThat(Format.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Format.bytes(20L * 1024 * 1024)).isEqualTo("20.0 MiB");
        assertThat(Format.seconds(-1)).isEqualTo("unknown");
        assertThat(Format.seconds(42)).isEqualTo("42 s");
        assertThat(Format.seconds(75)).isEqualTo("1 min 15 s");
        assertThat(Format.seconds(3725)).isEqualTo("1 h 2 min");
    }
}
