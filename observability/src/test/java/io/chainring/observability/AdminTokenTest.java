package io.chainring.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminTokenTest {

    @Test
    void theTokenMatchesOnlyItselfAndRefusesWeakOnes() {
        AdminToken t = AdminToken.of("correct-horse-battery");
        assertThat(t.matches("correct-horse-battery")).isTrue();
        assertThat(t.matches("correct-horse-batter")).isFalse();
        assertThat(t.matches("correct-horse-battery-staple")).as("a longer candidate with the token as prefix").isFalse();
        assertThat(t.matches("")).isFalse();
        assertThat(t.matches(null)).isFalse();
        assertThat(t.toString()).doesNotContain("horse");
        assertThatThrownBy(() -> AdminToken.of("short")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 12");
        assertThatThrownBy(() -> AdminToken.of("has a space in it")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spaces");
        String generated = AdminToken.generate();
        assertThat(generated).hasSize(24).matches("[A-Za-z0-9_-]+");
        assertThat(AdminToken.of(generated).matches(generated)).isTrue();
        assertThat(AdminToken.generate()).isNotEqualTo(generated);
    }
}
