package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultiOpsTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void chunksKeepOrderAndStayWithinBothLimits(long seed) {
        Random random = new Random(seed);
        int n = random.nextInt(3000);
        long[] sizes = new long[n];
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // mostly small entries, now and then one bigger than a whole chunk
            sizes[i] = random.nextInt(50) == 0 ? MultiOps.MAX_BATCH_BYTES + 1 : random.nextInt(40_000);
            indices.add(i);
        }
        List<List<Integer>> chunks = MultiOps.chunks(indices, i -> sizes[i]);
        List<Integer> flat = new ArrayList<>();
        chunks.forEach(flat::addAll);
        assertThat(flat).as("seed %d", seed).isEqualTo(indices);
        for (List<Integer> c : chunks) {
            assertThat(c).as("seed %d", seed).isNotEmpty().hasSizeLessThanOrEqualTo(MultiOps.MAX_BATCH_KEYS);
            long bytes = c.stream().mapToLong(i -> sizes[i]).sum();
            if (c.size() > 1) {
                assertThat(bytes).as("seed %d", seed).isLessThanOrEqualTo(MultiOps.MAX_BATCH_BYTES);
            }
        }
    }
}
