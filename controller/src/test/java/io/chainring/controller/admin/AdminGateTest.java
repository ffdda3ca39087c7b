package io.chainring.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.Unauthorized;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminGateTest {

    @Test
    void changesNeedTheToken() throws Exception {
        AdminGate gate = AdminGate.of(Optional.of("correct-horse-battery"));
        assertThat(gate.isConfigured()).isTrue();
        gate.check("correct-horse-battery", "setThrottle");
        for (String wrong : new String[] {null, "", "correct-horse-batter", "correct-horse-battery-staple"}) {
            assertThatThrownBy(() -> gate.check(wrong, "setThrottle")).as("token %s", wrong)
                    .isInstanceOfSatisfying(Unauthorized.class, e -> {
                        assertThat(e.getCode()).isEqualTo(ErrorCode.UNAUTHORIZED);
                        assertThat(e.getMessage()).isEqualTo("setThrottle refused: wrong or missing admin token");
                    });
        }
        assertThat(gate.toString()).doesNotContain("horse");
    }

    @Test
    void withoutATokenEveryChangeIsRefusedAndWeakTokensDoNotStart() {
        AdminGate none = AdminGate.none();
        assertThat(none.isConfigured()).isFalse();
        assertThatThrownBy(() -> none.check("anything-at-all", "executePlan")).isInstanceOf(Unauthorized.class)
                .hasMessageContaining("no admin token configured");
        assertThatThrownBy(() -> AdminGate.of(Optional.of("short"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 12");
    }
}
