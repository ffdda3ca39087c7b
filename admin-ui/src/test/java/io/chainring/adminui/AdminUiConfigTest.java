package io.chainring.adminui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminUiConfigTest {
    private static final String TOKEN = "a-long-enough-token";

    @Test
    void defaultsAndSeedLists() {
        AdminUiConfig c = AdminUiConfig.builder(List.of("127.0.0.1:7101, 127.0.0.1:7102", "h:3"), TOKEN).build();
        assertThat(c.seeds()).containsExactly("127.0.0.1:7101", "127.0.0.1:7102", "h:3");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isZero();
        assertThat(c.requireLogin()).isFalse();
        assertThat(c.toString()).doesNotContain(TOKEN);
    }

    @Test
    void refusesBadSettingsWithClearMessages() {
        assertThatThrownBy(() -> AdminUiConfig.builder(List.of(), TOKEN).build()).hasMessageContaining("at least one seed");
        assertThatThrownBy(() -> AdminUiConfig.builder(List.of("h:1"), "short").build()).hasMessageContaining("admin token");
        assertThatThrownBy(() -> AdminUiConfig.builder(List.of("h:1"), null).build()).hasMessageContaining("admin token");
        assertThatThrownBy(() -> AdminUiConfig.builder(List.of("h:1"), TOKEN).port(70000).build()).hasMessageContaining("0..65535");
        assertThatThrownBy(() -> AdminUiConfig.builder(List.of("h:1"), TOKEN).pollInterval(Duration.ZERO).build())
                .hasMessageContaining("poll interval");
    }
}
