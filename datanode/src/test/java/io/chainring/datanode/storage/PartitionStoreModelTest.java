package io.chainring.datanode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random operations against a partition store and a simple in-memory model of the same
 * semantics (versions = per-partition LSN, tombstones, CAS), with restarts in between.
 */
class PartitionStoreModelTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 7, 99, 1234, 987654321})
    void storeMatchesModel(long seed) {
        Random random = new Random(seed);
        TreeMap<byte[], VersionedRecord> model = new TreeMap<>(Arrays::compareUnsigned);
        long lsn = 0;
        StorageEngine engine = StorageEngine.open(StorageConfig.defaults(dir));
        try {
            for (int step = 0; step < 1500; step++) {
                String ctx = "seed " + seed + " step " + step;
                if (random.nextInt(300) == 0) {
                    engine.close();
                    engine = StorageEngine.open(StorageConfig.defaults(dir));
                }
                PartitionStore p = engine.partition(5);
                byte[] key = randomKey(random);
                VersionedRecord current = model.get(key);
                long liveVersion = current != null && current.isLive() ? current.version() : 0;
                switch (random.nextInt(5)) {
                    case 0, 1 -> {
                        byte[] value = randomValue(random);
                        assertThat(p.put(key, value)).as(ctx).isEqualTo(++lsn);
                        model.put(key, VersionedRecord.live(lsn, value));
                    }
                    case 2 -> {
                        RemoveOutcome r = p.delete(key);
                        if (liveVersion > 0) {
                            assertThat(r).as(ctx).isEqualTo(new RemoveOutcome(true, ++lsn));
                            model.put(key, VersionedRecord.tombstone(lsn));
                        } else {
                            assertThat(r).as(ctx).isEqualTo(new RemoveOutcome(false, 0));
                        }
                    }
                    case 3 -> {
                        long expected = random.nextBoolean() ? liveVersion : random.nextInt(3);
                        byte[] value = randomValue(random);
                        CasOutcome c = p.compareAndSet(key, value, expected);
                        if (expected == liveVersion) {
                            assertThat(c).as(ctx).isEqualTo(new CasOutcome(true, ++lsn));
                            model.put(key, VersionedRecord.live(lsn, value));
                        } else {
                            assertThat(c).as(ctx).isEqualTo(new CasOutcome(false, liveVersion));
                        }
                    }
                    default -> {
                        var got = p.get(key);
                        assertThat(got.isPresent()).as(ctx).isEqualTo(liveVersion > 0);
                        got.ifPresent(v -> assertThat(v.version()).as(ctx).isEqualTo(liveVersion));
                        got.ifPresent(v -> assertThat(v.value()).as(ctx).isEqualTo(current.value()));
                    }
                }
                assertThat(p.lastLsn()).as(ctx).isEqualTo(lsn);
            }
            PartitionStore p = engine.partition(5);
            assertThat(p.keyCount()).as("seed %d", seed).isEqualTo(model.values().stream().filter(VersionedRecord::isLive).count());
            assertThat(scanAll(p, random.nextInt(7) + 1)).as("seed %d", seed).isEqualTo(liveEntries(model));
            List<KeyedRecord> snapshot = p.snapshot(new byte[0], Long.MAX_VALUE).records();
            assertThat(snapshot).as("seed %d", seed).hasSize(model.size());
            int i = 0;
            for (Map.Entry<byte[], VersionedRecord> e : model.entrySet()) {
                assertThat(snapshot.get(i).key()).as("seed %d", seed).isEqualTo(e.getKey());
                assertThat(snapshot.get(i).record()).as("seed %d", seed).isEqualTo(e.getValue());
                i++;
            }
        } finally {
            engine.close();
        }
    }

    private static List<String> scanAll(PartitionStore p, int pageSize) {
        List<String> out = new ArrayList<>();
        byte[] cursor = new byte[0];
        for (int pages = 0; pages < 10_000; pages++) {
            RecordPage page = p.scan(cursor, pageSize, Long.MAX_VALUE);
            for (KeyedRecord r : page.records()) {
                out.add(Arrays.toString(r.key()) + "@" + r.record().version());
                cursor = r.key();
            }
            if (page.done()) {
                return out;
            }
        }
        throw new AssertionError("scan did not finish");
    }

    private static List<String> liveEntries(TreeMap<byte[], VersionedRecord> model) {
        return model.entrySet().stream().filter(e -> e.getValue().isLive())
                .map(e -> Arrays.toString(e.getKey()) + "@" + e.getValue().version()).toList();
    }

    private static byte[] randomKey(Random random) {
        // few distinct keys so that operations collide; bytes over 0x7f exercise unsigned order
        byte[] key = new byte[1 + random.nextInt(2)];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (random.nextInt(6) * 50);
        }
        return key;
    }

    private static byte[] randomValue(Random random) {
        byte[] value = new byte[random.nextInt(20)];
        random.nextBytes(value);
        return value;
    }
}
