package io.chainring.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DESIGN §5's key → partition mapping, pinned so that clients in other languages can match it. */
class KeyHasherTest {
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    @Test
    void helloHashesToTheKnownFirstHalf() {
        byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
        assertThat(KeyHasher.hash(hello)).isEqualTo(0xcbd8a7b341bd9b02L);
        assertThat(Murmur3Reference.hash128x64(hello, 0)[0]).isEqualTo(0xcbd8a7b341bd9b02L);
    }

    @Test
    void commonsCodecMatchesTheReferenceImplementationForKeysOfLength0To40() {
        Random random = new Random(42);
        for (int i = 0; i < 4000; i++) {
            byte[] key = new byte[i % 41];
            random.nextBytes(key);
            long[] expected = Murmur3Reference.hash128x64(key, 0);
            assertThat(MurmurHash3.hash128x64(key)).as("key #%d of length %d", i, key.length).containsExactly(expected);
            assertThat(KeyHasher.hash(key)).isEqualTo(expected[0]);
        }
    }

    /** Computed once from the reference implementation; never to change, or stored data moves. */
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource({
        "hello, 203",
        "'', 0",
        "a, 133",
        "user:1, 84",
        "user:42, 205",
        "chainring, 179",
        "The quick brown fox jumps over the lazy dog, 227",
        "0123456789abcdef, 75",
        "\u00e9t\u00e9, 83",
        "key-255, 224",
    })
    void goldenPartitionsWith256Partitions(String key, int partition) {
        assertThat(KeyHasher.partitionOf(key.getBytes(StandardCharsets.UTF_8), 256)).isEqualTo(partition);
    }

    @Test
    void publishedVectors() {
        byte[] fox = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
        assertThat(Murmur3Reference.hash128x64(fox, 0)).containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
        assertThat(MurmurHash3.hash128x64(fox)).containsExactly(0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L);
        assertThat(KeyHasher.hash(new byte[0])).as("seed 0, no input").isZero();
    }

    @ParameterizedTest(name = "Q={0}")
    @CsvSource({"1", "2", "7", "16", "256", "1000", "65536", "2147483647"})
    void edgesOfTheHashSpace(int q) {
        assertThat(KeyHasher.partitionOfHash(0L, q)).isZero();
        assertThat(KeyHasher.partitionOfHash(-1L, q)).as("max unsigned hash").isEqualTo(q - 1);
        assertThat(KeyHasher.partitionOfHash(Long.MIN_VALUE, q)).as("2^63, the middle").isEqualTo(q / 2);
        assertThat(KeyHasher.partitionOfHash(Long.MAX_VALUE, q)).isEqualTo((q - 1) / 2);
    }

    @Test
    void onePartitionTakesEveryHash() {
        Random random = new Random(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(KeyHasher.partitionOfHash(random.nextLong(), 1)).isZero();
        }
    }

    @Test
    void partitionsAreEqualRangesOfTheUnsignedHash() {
        Random random = new Random(7);
        int[] counts = {1, 2, 3, 7, 16, 64, 100, 256, 1 << 20, Integer.MAX_VALUE};
        for (int i = 0; i < 20_000; i++) {
            long h = random.nextLong();
            int q = counts[i % counts.length];
            BigInteger unsigned = new BigInteger(Long.toUnsignedString(h));
            int expected = unsigned.multiply(BigInteger.valueOf(q)).divide(TWO_TO_64).intValueExact();
            assertThat(KeyHasher.partitionOfHash(h, q)).as("h=%s Q=%d", Long.toUnsignedString(h), q).isEqualTo(expected);
        }
    }

    @Test
    void rangeBoundariesFallInTheUpperPartition() {
        int q = 7;
        for (int p = 1; p < q; p++) {
            // first hash of partition p: ceil(p * 2^64 / Q)
            BigInteger start = BigInteger.valueOf(p).multiply(TWO_TO_64).add(BigInteger.valueOf(q - 1)).divide(BigInteger.valueOf(q));
            long h = start.longValue();
            assertThat(KeyHasher.partitionOfHash(h, q)).isEqualTo(p);
            assertThat(KeyHasher.partitionOfHash(h - 1, q)).isEqualTo(p - 1);
        }
    }

    @Test
    void rejectsNonPositivePartitionCounts() {
        assertThatThrownBy(() -> KeyHasher.partitionOfHash(1L, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("partition count");
        assertThatThrownBy(() -> KeyHasher.partitionOf(new byte[1], -3)).isInstanceOf(IllegalArgumentException.class);
    }
}
