package io.chainring.controller.admin;

import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.Unauthorized;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's admin token: every state-changing admin call must carry it. A controller
 * started without one refuses every change (reads stay open). Compared in constant time.
 */
public final class AdminToken {
    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    /** Shortest token accepted, so a guessable one is refused at start. */
    public static final int MIN_LENGTH = 12;

    private final Optional<byte[]> expected;

    private AdminToken(Optional<byte[]> expected) {
        this.expected = expected;
    }

    public static AdminToken none() {
        return new AdminToken(Optional.empty());
    }

    /** @throws IllegalArgumentException when shorter than {@link #MIN_LENGTH} */
    public static AdminToken of(Optional<String> token) {
        token.ifPresent(t -> {
            if (t.length() < MIN_LENGTH) {
                throw new IllegalArgumentException("the admin token must be at least " + MIN_LENGTH + " characters");
            }
        });
        return new AdminToken(token.map(t -> t.getBytes(StandardCharsets.UTF_8)));
    }

    public boolean isConfigured() {
        return expected.isPresent();
    }

    public void check(String given, String call) throws Unauthorized {
        if (expected.isEmpty()) {
            throw new Unauthorized(ErrorCode.UNAUTHORIZED, call + " changes the cluster and this controller has no admin "
                    + "token configured (start it with --admin-token or $CHAINRING_ADMIN_TOKEN)");
        }
        byte[] g = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected.get(), g)) {
            log.warn("refused {}: wrong or missing admin token", call);
            throw new Unauthorized(ErrorCode.UNAUTHORIZED, call + " refused: wrong or missing admin token");
        }
    }

    @Override
    public String toString() {
        return expected.isPresent() ? "admin token set" : "no admin token";
    }
}
