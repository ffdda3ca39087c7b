package io.chainring.observability;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;

/**
 * The admin token: what operators log in to the admin UI with, and what every state-changing
 * controller admin call must carry — one class for both. Only its SHA-256 is kept, and a
 * candidate's SHA-256 is compared with {@link MessageDigest#isEqual} (constant time, and always
 * 32 bytes against 32, so not even the token's length leaks), so neither memory dumps nor timing
 * give it away.
 */
public final class AdminToken {
    /** Shorter tokens are refused at start: they can be guessed. */
    public static final int MIN_LENGTH = 12;

    private final byte[] digest;

    private AdminToken(byte[] digest) {
        this.digest = digest;
    }

    /**
     * @throws IllegalArgumentException when the token is too short or has spaces or control characters
     */
    public static AdminToken of(String token) {
        Objects.requireNonNull(token, "admin token");
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin token must be at least " + MIN_LENGTH + " characters long (got "
                    + token.length() + "); generate one with: openssl rand -base64 18");
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                throw new IllegalArgumentException("the admin token must not contain spaces or control characters");
            }
        }
        return new AdminToken(sha256(token));
    }

    /** A fresh random token (24 URL-safe characters), e.g. for the demo. */
    public static String generate() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Whether {@code candidate} is the token; constant time in the token's content. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken(hidden)";
    }
}
