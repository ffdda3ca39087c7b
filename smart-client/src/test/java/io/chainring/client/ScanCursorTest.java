package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ScanCursorTest {

    @Test
    void startCursorsAreNotBoundToAClusterYet() {
        ScanCursor c = ScanCursor.start();
        assertThat(c.isStart()).isTrue();
        assertThat(c.isDone()).isFalse();
        assertThat(c.prefix()).isEmpty();
        assertThat(ScanCursor.start("user:").prefix()).isEqualTo("user:".getBytes(StandardCharsets.UTF_8));
        assertThat(ScanCursor.parse(c.toString())).isEqualTo(c);
    }

    @Test
    void positionsRoundTripThroughTheirString() {
        ScanCursor c = ScanCursor.start("p/").at(16, 5, new byte[] {'p', '/', (byte) 0xff, 0});
        String text = c.toString();
        assertThat(text).startsWith("c1.16.5.").doesNotContain("=").doesNotContain("/").doesNotContain("+");
        ScanCursor back = ScanCursor.parse(text);
        assertThat(back).isEqualTo(c);
        assertThat(back.partition()).isEqualTo(5);
        assertThat(back.partitionCount()).isEqualTo(16);
        assertThat(back.lastKey()).containsExactly('p', '/', (byte) 0xff, 0);
        assertThat(back.isDone()).isFalse();
        ScanCursor done = c.atStartOf(16, 16);
        assertThat(ScanCursor.parse(done.toString()).isDone()).isTrue();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1234567})
    void randomCursorsRoundTrip(long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 200; i++) {
            int q = 1 + r.nextInt(512);
            byte[] prefix = new byte[r.nextInt(4)];
            r.nextBytes(prefix);
            byte[] key = new byte[1 + r.nextInt(40)];
            r.nextBytes(key);
            ScanCursor c = ScanCursor.start(prefix).at(q, r.nextInt(q), key);
            assertThat(ScanCursor.parse(c.toString())).as("seed %d, cursor %s", seed, c).isEqualTo(c);
        }
    }

    @Test
    void badTextIsRejectedWithTheReason() {
        assertThatThrownBy(() -> ScanCursor.parse("hello"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a scan cursor");
        assertThatThrownBy(() -> ScanCursor.parse("c1.16.x.."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad scan cursor");
        assertThatThrownBy(() -> ScanCursor.parse("c1.16.17.."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside 0..16");
        assertThatThrownBy(() -> ScanCursor.parse("c1.16.2.!!!."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad scan cursor");
        assertThatThrownBy(() -> ScanCursor.parse("c1.0.0.YQ."))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no last key");
    }

    @Test
    void prefixFloorSitsJustBelowThePrefix() {
        assertThat(ScanPager.floorOf(new byte[0])).isEmpty();
        assertThat(ScanPager.floorOf(new byte[] {'a', 'b'})).containsExactly('a', 'a');
        assertThat(ScanPager.floorOf(new byte[] {'a', 0})).containsExactly('a');
        assertThat(ScanPager.floorOf(new byte[] {(byte) 0x80})).containsExactly(0x7f);
        assertThat(ScanPager.startsWith(new byte[] {'a', 'b', 'c'}, new byte[] {'a', 'b'})).isTrue();
        assertThat(ScanPager.startsWith(new byte[] {'a'}, new byte[] {'a', 'b'})).isFalse();
    }
}
