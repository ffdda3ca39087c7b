package io.chainring.datanode.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RecordCodecTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 20240601})
    void randomRecordsRoundTrip(long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < 500; i++) {
            long version = 1 + (random.nextLong() & Long.MAX_VALUE - 1);
            VersionedRecord record;
            if (random.nextInt(4) == 0) {
                record = VersionedRecord.tombstone(version);
            } else {
                byte[] value = new byte[random.nextInt(300)];
                random.nextBytes(value);
                record = VersionedRecord.live(version, value);
            }
            assertThat(RecordCodec.decode(RecordCodec.encode(record))).as("seed %d record %d", seed, i).isEqualTo(record);
        }
    }

    @Test
    void layoutIsVersionThenFlagsThenValue() {
        byte[] bytes = RecordCodec.encode(VersionedRecord.live(0x0102030405060708L, new byte[] {9, 10}));
        assertThat(bytes).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 0, 9, 10);
        assertThat(RecordCodec.encode(VersionedRecord.tombstone(5))).containsExactly(0, 0, 0, 0, 0, 0, 0, 5, 1);
    }

    @Test
    void emptyValueIsNotATombstone() {
        VersionedRecord decoded = RecordCodec.decode(RecordCodec.encode(VersionedRecord.live(3, new byte[0])));
        assertThat(decoded.isLive()).isTrue();
        assertThat(decoded.value()).isEmpty();
    }

    @Test
    void rejectsCorruptBytes() {
        assertThatThrownBy(() -> RecordCodec.decode(new byte[5]))
                .isInstanceOf(RecordCodec.CorruptRecordException.class).hasMessageContaining("shorter than");
        byte[] unknownFlag = ByteBuffer.allocate(9).putLong(1).put((byte) 0x4).array();
        assertThatThrownBy(() -> RecordCodec.decode(unknownFlag)).hasMessageContaining("unknown flags");
        byte[] tombstoneWithValue = ByteBuffer.allocate(10).putLong(1).put((byte) 1).put((byte) 7).array();
        assertThatThrownBy(() -> RecordCodec.decode(tombstoneWithValue)).hasMessageContaining("tombstone carries");
        byte[] zeroVersion = ByteBuffer.allocate(9).putLong(0).put((byte) 0).array();
        assertThatThrownBy(() -> RecordCodec.decode(zeroVersion)).hasMessageContaining("invalid version");
    }
}
