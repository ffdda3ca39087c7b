package io.chainring.cli.netfault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LinkFaultTest {
    @Test
    void parsesEveryPart() {
        LinkFault f = LinkFault.parse("delay=5ms, jitter=300us,loss=5%,rto=100ms,reset=0.01,rate=1MB");
        assertThat(f.delay()).isEqualTo(Duration.ofMillis(5));
        assertThat(f.jitter()).isEqualTo(Duration.ofNanos(300_000));
        assertThat(f.loss()).isEqualTo(0.05);
        assertThat(f.rto()).isEqualTo(Duration.ofMillis(100));
        assertThat(f.reset()).isEqualTo(0.01);
        assertThat(f.bytesPerSecond()).isEqualTo(1_000_000);
        assertThat(f.cut()).isFalse();
        assertThat(LinkFault.parse("rate=512KiB").bytesPerSecond()).isEqualTo(512 * 1024);
        assertThat(LinkFault.parse("cut")).isEqualTo(LinkFault.CUT);
        assertThat(LinkFault.parse("none")).isEqualTo(LinkFault.NONE);
        assertThat(LinkFault.parse("delay=5ms,jitter=1ms").toString()).isEqualTo("delay=5ms±1ms");
    }

    @Test
    void refusesNonsenseWithTheReason() {
        assertThatThrownBy(() -> LinkFault.parse("delay=fast")).hasMessageContaining("not a duration");
        assertThatThrownBy(() -> LinkFault.parse("loss=150%")).hasMessageContaining("within 0..1");
        assertThatThrownBy(() -> LinkFault.parse("wobble=3")).hasMessageContaining("unknown link fault 'wobble'");
        assertThatThrownBy(() -> LinkFault.parse("delay")).hasMessageContaining("expected name=value");
    }
}
