package io.chainring.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WriterOutputStreamTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void multiByteCharactersSurviveAnySplit(long seed) {
        String text = "grüße ✓ 𝄞 chainring> ".repeat(700);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        StringWriter sink = new StringWriter();
        WriterOutputStream out = new WriterOutputStream(new PrintWriter(sink));
        Random r = new Random(seed);
        int i = 0;
        while (i < bytes.length) {
            int n = Math.min(bytes.length - i, r.nextInt(7));
            out.write(bytes, i, n);
            i += n;
            if (r.nextInt(10) == 0) {
                out.flush();
            }
        }
        out.flush();
        assertThat(sink.toString()).as("seed %d", seed).isEqualTo(text);
    }
}
