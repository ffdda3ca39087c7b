package io.chainring.adminui.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecurityPartsTest {
    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private Instant now = Instant.ofEpochSecond(1_000_000);

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void sessionsExpireAndAreBounded() {
        ManualClock clock = new ManualClock();
        Sessions sessions = new Sessions(Duration.ofHours(1), 3, clock);
        Sessions.Session a = sessions.create();
        assertThat(a.id()).isNotEqualTo(a.csrfToken());
        assertThat(sessions.find(a.id())).contains(a);
        assertThat(sessions.find("made-up")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();

        clock.advance(Duration.ofMinutes(61));
        assertThat(sessions.find(a.id())).isEmpty();

        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(1));
            ids.add(sessions.create().id());
        }
        assertThat(ids).hasSize(5);
        assertThat(sessions.size()).isEqualTo(3);
    }

    @Test
    void wrongTokensFromOneAddressAreThrottledForAWindow() {
        ManualClock clock = new ManualClock();
        LoginLimiter limiter = new LoginLimiter(3, Duration.ofMinutes(1), clock);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.allowed("10.0.0.1")).isTrue();
            limiter.failed("10.0.0.1");
        }
        assertThat(limiter.allowed("10.0.0.1")).isFalse();
        assertThat(limiter.allowed("10.0.0.2")).isTrue();
        clock.advance(Duration.ofSeconds(61));
        assertThat(limiter.allowed("10.0.0.1")).isTrue();
        limiter.failed("10.0.0.2");
        limiter.succeeded("10.0.0.2");
        assertThat(limiter.allowed("10.0.0.2")).isTrue();
    }
}
