package io.chainring.adminui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KeyLookupTest {
    @Test
    void textOnlyForReadableUtf8() {
        assertThat(KeyLookup.textOrNull("héllo\nworld".getBytes(StandardCharsets.UTF_8), false)).isEqualTo("héllo\nworld");
        assertThat(KeyLookup.textOrNull(new byte[]{(byte) 0xff, 0x00}, false)).isNull();
        assertThat(KeyLookup.textOrNull(new byte[]{'a', 0x01, 'b'}, false)).as("control characters").isNull();
        byte[] cut = "ab€".getBytes(StandardCharsets.UTF_8);
        byte[] head = java.util.Arrays.copyOf(cut, cut.length - 1); // cut inside the euro sign
        assertThat(KeyLookup.textOrNull(head, true)).isEqualTo("ab");
        assertThat(KeyLookup.textOrNull(head, false)).isNull();
    }
}
