package io.chainring.adminui.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.Migration;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminClientActionsTest {
    private static Migration move(String step, long bytesCopied, long bytesTotal, double rate, Duration eta) {
        return new Migration("m1", "p1", 5, Optional.of("n1"), Optional.of("n4"), step, 10, bytesCopied, 40, bytesTotal,
                Instant.ofEpochMilli(1_000), Instant.ofEpochMilli(3_000),
                "done".equals(step) ? Optional.of(Instant.ofEpochMilli(4_000)) : Optional.empty(), rate,
                Optional.ofNullable(eta), Optional.empty());
    }

    @Test
    void theControllersRateAndEtaAreKept() {
        ClusterActions.Migration m = AdminClientActions.migration(move("join", 4000, 10_000, 500, Duration.ofSeconds(12)));
        assertThat(m.bytesPerSecond()).isEqualTo(500);
        assertThat(m.etaSeconds()).isEqualTo(12);
        assertThat(m.source()).isEqualTo("n1");
        assertThat(m.target()).isEqualTo("n4");
        assertThat(m.finishedMillis()).isNull();
        assertThat(m.note()).isNull();
        assertThat(m.percent()).isEqualTo(40.0);
    }

    @Test
    void missingRateAndEtaAreMeasuredFromStartToLastUpdate() {
        ClusterActions.Migration m = AdminClientActions.migration(move("join", 4000, 10_000, 0, null));
        assertThat(m.bytesPerSecond()).isEqualTo(2000.0); // 4000 B over 2 s
        assertThat(m.etaSeconds()).isEqualTo(3); // 6000 B left at 2000 B/s
    }

    @Test
    void anEndedMoveHasNoRateNorEta() {
        ClusterActions.Migration m = AdminClientActions.migration(move("done", 10_000, 10_000, 0, null));
        assertThat(m.bytesPerSecond()).isZero();
        assertThat(m.etaSeconds()).isEqualTo(-1);
        assertThat(m.finishedMillis()).isEqualTo(4_000L);
        assertThat(m.percent()).isEqualTo(100.0);
    }
}
