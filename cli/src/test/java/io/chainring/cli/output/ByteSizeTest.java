package io.chainring.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parsesDecimalAndBinaryUnitsAndUnlimited() {
        assertThat(ByteSize.parse("20MB")).isEqualTo(20_000_000L);
        assertThat(ByteSize.parse("20mb/s")).isEqualTo(20_000_000L);
        assertThat(ByteSize.parse("20MiB")).isEqualTo(20L << 20);
        assertThat(ByteSize.parse("512KB")).isEqualTo(512_000L);
        assertThat(ByteSize.parse("512KiB")).isEqualTo(512L << 10);
        assertThat(ByteSize.parse("1.5GB")).isEqualTo(1_500_000_000L);
        assertThat(ByteSize.parse("2GiB")).isEqualTo(2L << 30);
        assertThat(ByteSize.parse("4096")).isEqualTo(4096L);
        assertThat(ByteSize.parse("4096B")).isEqualTo(4096L);
        assertThat(ByteSize.parse(" 3 MB ")).isEqualTo(3_000_000L);
        assertThat(ByteSize.parse("unlimited")).isZero();
        assertThat(ByteSize.parse("0")).isZero();
    }

    @Test
    void rejectsGarbageWithTheAcceptedForms() {
        for (String bad : new String[] {"", "fast", "-5MB", "20XB", "MB", "1e9", "20 M B"}) {
            assertThatThrownBy(() -> ByteSize.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("20MB");
        }
        assertThatThrownBy(() -> ByteSize.parse("99999999999GB")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void formatsForPeople() {
        assertThat(ByteSize.format(0)).isEqualTo("0 B");
        assertThat(ByteSize.format(1023)).isEqualTo("1023 B");
        assertThat(ByteSize.format(1_234)).isEqualTo("1.2 KiB");
        assertThat(ByteSize.format(20L << 20)).isEqualTo("20.0 MiB");
        assertThat(ByteSize.format(20_000_000)).as("binary units, as the admin UI").isEqualTo("19.1 MiB");
        assertThat(ByteSize.rate(0)).isEqualTo("unlimited");
        assertThat(ByteSize.rate(20L << 20)).isEqualTo("20.0 MiB/s");
    }

    @Test
    void barsFillWithTheFraction() {
        assertThat(Bar.of(0, 10)).isEqualTo("[----------]   0%");
        assertThat(Bar.of(0.5, 10)).isEqualTo("[#####-----]  50%");
        assertThat(Bar.of(1.7, 10)).isEqualTo("[##########] 100%");
        assertThat(Bar.of(Double.NaN, 4)).isEqualTo("[----]   0%");
    }
}
