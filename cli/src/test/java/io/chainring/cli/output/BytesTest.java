package io.chainring.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BytesTest {

    @Test
    void textStaysTextAndOtherBytesAreShownLosslessly() {
        assertThat(Bytes.cell("héllo".getBytes(StandardCharsets.UTF_8), 60)).isEqualTo("héllo");
        assertThat(Bytes.cell("a\nb\tc".getBytes(StandardCharsets.UTF_8), 60)).isEqualTo("a\\nb\\tc");
        assertThat(Bytes.cell(new byte[] {0, (byte) 0xff}, 60)).isEqualTo("0x00ff");
        assertThat(Bytes.cell("x".repeat(100).getBytes(StandardCharsets.UTF_8), 10)).hasSize(10).endsWith("…");
        Map<String, Object> o = new LinkedHashMap<>();
        Bytes.putJson(o, "value", new byte[] {(byte) 0xfe});
        Bytes.putJson(o, "key", "k".getBytes(StandardCharsets.UTF_8));
        Bytes.putJson(o, "missing", null);
        assertThat(o).containsEntry("value", "/g==").containsEntry("valueEncoding", "base64")
                .containsEntry("key", "k").containsEntry("keyEncoding", "utf-8")
                .containsEntry("missing", null).containsEntry("missingEncoding", null);
    }
}
