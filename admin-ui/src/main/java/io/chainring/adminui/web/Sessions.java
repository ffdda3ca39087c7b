package io.chainring.adminui.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Logged-in admin sessions, in memory: a random session id (the cookie) and, per session, a
 * random CSRF token that state-changing requests must echo in a header. Sessions expire after a
 * fixed lifetime; a restart of the UI logs everybody out. At most {@code maxSessions} live at
 * once (the oldest goes first), so repeated logins cannot exhaust memory.
 */
public final class Sessions {
    /**
     * One session.
     *
     * @param id          the cookie value
     * @param csrfToken   what state-changing requests must send in {@code X-CSRF-Token}
     * @param createdMillis when it was created
     */
    public record Session(String id, String csrfToken, long createdMillis) {
        public Session {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(csrfToken, "csrfToken");
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Duration lifetime;
    private final int maxSessions;
    private final Clock clock;

    public Sessions(Duration lifetime, int maxSessions, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("session lifetime must be positive: " + lifetime);
        }
        if (maxSessions < 1) {
            throw new IllegalArgumentException("maxSessions must be positive: " + maxSessions);
        }
        this.lifetime = lifetime;
        this.maxSessions = maxSessions;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session. */
    public Session create() {
        Session s = new Session(randomToken(), randomToken(), clock.millis());
        sessions.put(s.id(), s);
        while (sessions.size() > maxSessions) {
            sessions.values().stream().min(Comparator.comparingLong(Session::createdMillis))
                    .ifPresent(oldest -> sessions.remove(oldest.id()));
        }
        return s;
    }

    /** The live session with this id; an expired one is forgotten. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Session s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        if (clock.millis() - s.createdMillis() > lifetime.toMillis()) {
            sessions.remove(id);
            return Optional.empty();
        }
        return Optional.of(s);
    }

    public void remove(String id) {
        if (id != null) {
            sessions.remove(id);
        }
    }

    public int size() {
        return sessions.size();
    }

    private String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
