package io.chainring.adminui;

import io.chainring.observability.AdminToken;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the admin UI is started with. Build with {@link #builder(List, String)}; validated on
 * construction with messages that name the setting.
 *
 * @param host         address to bind (default 127.0.0.1: the UI is for operators; put it behind
 *                     a TLS proxy before exposing it)
 * @param port         HTTP port; 0 picks a free one
 * @param seeds        datanodes ({@code host:port}) to find the cluster through
 * @param adminToken   the token operators log in with (at least {@value AdminToken#MIN_LENGTH} characters)
 * @param requireLogin whether read-only pages also need a login
 * @param pollInterval how often the cluster is polled
 * @param callTimeout  deadline of each call to the cluster
 * @param sessionLifetime how long a login lasts
 */
public record AdminUiConfig(String host, int port, List<String> seeds, String adminToken, boolean requireLogin,
                            Duration pollInterval, Duration callTimeout, Duration sessionLifetime) {
    public static final String DEFAULT_HOST = "127.0.0.1";

    public AdminUiConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535 (0 picks a free port): " + port);
        }
        Objects.requireNonNull(seeds, "seeds");
        seeds = List.copyOf(seeds);
        if (seeds.isEmpty() || seeds.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("give at least one seed datanode as host:port: " + seeds);
        }
        AdminToken.of(adminToken); // validates with a clear message
        requirePositive("poll interval", pollInterval);
        requirePositive("call timeout", callTimeout);
        requirePositive("session lifetime", sessionLifetime);
    }

    /** @param seeds datanodes as {@code host:port}; a single string may hold several separated by commas */
    public static Builder builder(List<String> seeds, String adminToken) {
        return new Builder(seeds, adminToken);
    }

    private static void requirePositive(String what, Duration d) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
    }

    @Override
    public String toString() {
        // never log the token
        return "AdminUiConfig[host=" + host + ", port=" + port + ", seeds=" + seeds + ", requireLogin=" + requireLogin
                + ", pollInterval=" + pollInterval + ", callTimeout=" + callTimeout + ", sessionLifetime=" + sessionLifetime + "]";
    }

    /** Builder with defaults: 127.0.0.1, a free port, poll every second, 3 s calls, 12 h sessions. */
    public static final class Builder {
        private final List<String> seeds;
        private final String adminToken;
        private String host = DEFAULT_HOST;
        private int port;
        private boolean requireLogin;
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration callTimeout = Duration.ofSeconds(3);
        private Duration sessionLifetime = Duration.ofHours(12);

        private Builder(List<String> seeds, String adminToken) {
            this.seeds = seeds == null ? List.of() : seeds.stream()
                    .flatMap(s -> java.util.Arrays.stream(s.split(","))).map(String::trim).filter(s -> !s.isEmpty()).toList();
            this.adminToken = adminToken;
        }

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder requireLogin(boolean v) {
            requireLogin = v;
            return this;
        }

        public Builder pollInterval(Duration v) {
            pollInterval = v;
            return this;
        }

        public Builder callTimeout(Duration v) {
            callTimeout = v;
            return this;
        }

        public Builder sessionLifetime(Duration v) {
            sessionLifetime = v;
            return this;
        }

        public AdminUiConfig build() {
            return new AdminUiConfig(host, port, seeds, adminToken, requireLogin, pollInterval, callTimeout, sessionLifetime);
        }
    }
}
