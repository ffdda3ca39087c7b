package io.chainring.datanode.replication;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AdaptiveRateTest {
    private static final long CAP = 64L << 20;

    @Test
    void aQuietForegroundLetsTheRateGrowToTheCap() {
        AdaptiveRate a = new AdaptiveRate();
        for (int i = 0; i < 10; i++) {
            a.observe(2_000, false, CAP);
        }
        long rate = 0;
        for (int i = 0; i < 40; i++) {
            rate = a.observe(2_100, true, CAP);
        }
        assertThat(rate).isEqualTo(CAP);
    }

    @Test
    void aSlowForegroundCutsTheRateDownToTheFloorAndItRecoversAfterwards() {
        AdaptiveRate a = new AdaptiveRate();
        a.observe(2_000, false, CAP);
        long high = a.observe(2_000, true, CAP);
        long cut = a.observe(5_000, true, CAP);
        assertThat(cut).isLessThan(high);
        long rate = cut;
        for (int i = 0; i < 20; i++) {
            rate = a.observe(5_000, true, CAP);
        }
        assertThat(rate).isEqualTo(AdaptiveRate.FLOOR);
        assertThat(a.observe(2_500, true, CAP)).isGreaterThan(AdaptiveRate.FLOOR);
    }

    @Test
    void withoutABaselineTheLowestLatencySeenWhileCopyingStandsIn() {
        AdaptiveRate a = new AdaptiveRate();
        long first = a.observe(1_000, true, CAP); // a new node: it served nothing before copying
        assertThat(a.observe(0, true, CAP)).as("no requests: no signal, keep growing").isGreaterThan(first);
        long before = a.observe(1_100, true, CAP);
        assertThat(a.observe(3_000, true, CAP)).isLessThan(before);
    }

    @Test
    void aCapBelowTheFloorIsExactAndUnlimitedTurnsAdaptationOff() {
        AdaptiveRate a = new AdaptiveRate();
        assertThat(a.observe(50_000, true, 160_000)).isEqualTo(160_000);
        assertThat(a.observe(50_000, true, 0)).isZero();
    }
}
