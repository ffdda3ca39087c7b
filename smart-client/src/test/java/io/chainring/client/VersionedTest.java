package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionedTest {

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] input = {1, 2, 3};
        Versioned v = new Versioned(input, 7);
        input[0] = 99;
        assertThat(v.value()).containsExactly(1, 2, 3);
        byte[] out = v.value();
        out[1] = 99;
        assertThat(v.value()).containsExactly(1, 2, 3);
        assertThat(v.size()).isEqualTo(3);
    }

    @Test
    void equalityIsByContentAndVersion() {
        Versioned a = new Versioned("abc".getBytes(StandardCharsets.UTF_8), 5);
        Versioned b = new Versioned("abc".getBytes(StandardCharsets.UTF_8), 5);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(new Versioned("abd".getBytes(StandardCharsets.UTF_8), 5));
        assertThat(a).isNotEqualTo(new Versioned("abc".getBytes(StandardCharsets.UTF_8), 6));
        assertThat(a.valueAsString()).isEqualTo("abc");
    }

    @Test
    void toStringShowsVersionSizeAndHexPrefix() {
        assertThat(new Versioned(new byte[] {(byte) 0xab, 0x01}, 3).toString())
                .isEqualTo("Versioned[version=3, 2 bytes: ab01]");
        assertThat(new Versioned(new byte[100], 1).toString()).contains("100 bytes").endsWith("...]");
    }

    @Test
    void emptyValuesAreFineButVersionsArePositive() {
        assertThat(new Versioned(new byte[0], 1).value()).isEmpty();
        assertThatThrownBy(() -> new Versioned(new byte[0], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version must be positive");
        assertThatThrownBy(() -> new Versioned(null, 1)).isInstanceOf(NullPointerException.class);
    }
}
