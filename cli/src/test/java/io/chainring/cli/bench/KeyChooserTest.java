package io.chainring.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyChooserTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 99})
    void zipfianStaysInRangeAndIsSkewed(long seed) {
        int records = 1000;
        KeyChooser z = Distribution.ZIPFIAN.chooser(records);
        SplittableRandom r = new SplittableRandom(seed);
        int[] hits = new int[records];
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            long k = z.next(r);
            assertThat(k).as("seed %d", seed).isBetween(0L, (long) records - 1);
            hits[(int) k]++;
        }
        int[] sorted = hits.clone();
        Arrays.sort(sorted);
        int top10 = 0;
        for (int i = records - 10; i < records; i++) {
            top10 += sorted[i];
        }
        // Zipfian 0.99 over 1000 items: the 10 hottest take about 40% of the draws; uniform would give 1%
        assertThat(top10).as("seed %d", seed).isGreaterThan(draws / 4);
        // scrambled: the hottest record is not simply record 0
        int hottest = 0;
        for (int i = 1; i < records; i++) {
            hottest = hits[i] > hits[hottest] ? i : hottest;
        }
        assertThat(hottest).isEqualTo((int) Math.floorMod(ZipfianChooser.fnv1a(0), records));
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {5, 6})
    void uniformSpreadsEvenly(long seed) {
        KeyChooser u = Distribution.UNIFORM.chooser(10);
        SplittableRandom r = new SplittableRandom(seed);
        int[] hits = new int[10];
        for (int i = 0; i < 100_000; i++) {
            hits[(int) u.next(r)]++;
        }
        assertThat(java.util.Arrays.stream(hits).boxed().toList()).as("seed %d", seed).allSatisfy(h -> assertThat(h).isBetween(9_000, 11_000));
    }

    @ParameterizedTest(name = "records {0}")
    @ValueSource(longs = {1, 2, 3})
    void tinyRecordCountsWork(long records) {
        KeyChooser z = Distribution.ZIPFIAN.chooser(records);
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < 1000; i++) {
            assertThat(z.next(r)).isBetween(0L, records - 1);
        }
    }
}
