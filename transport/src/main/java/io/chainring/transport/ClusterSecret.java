package io.chainring.transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every member of a cluster holds (DESIGN: Security): its nodes prove it to each other
 * when a connection opens ({@link MemberHandshake}); it never travels. Kept in a file (mode 600),
 * like the ZooKeeper credentials; its text (surrounding whitespace ignored) is the HMAC key.
 */
public final class ClusterSecret {
    /** Environment variable read when no file is given: the secret itself. */
    public static final String ENV = "CHAINRING_CLUSTER_SECRET";
    /** Shorter secrets are refused: a guessable secret is no authentication. */
    public static final int MIN_CHARS = 16;
    private static final String HMAC = "HmacSHA256";

    private final SecretKeySpec key;

    private ClusterSecret(byte[] key) {
        this.key = new SecretKeySpec(key, HMAC);
    }

    /** The secret in {@code text}; surrounding whitespace is ignored. */
    public static ClusterSecret parse(String text) {
        String t = text.strip();
        if (t.length() < MIN_CHARS) {
            throw new IllegalArgumentException("a cluster secret needs at least " + MIN_CHARS + " characters (has "
                    + t.length() + "); make one with: head -c 32 /dev/urandom | base64 > cluster-secret");
        }
        return new ClusterSecret(t.getBytes(StandardCharsets.UTF_8));
    }

    /** From the file if given, else from {@link #ENV}, else none. */
    public static Optional<ClusterSecret> from(Path file, Map<String, String> env) {
        if (file != null) {
            try {
                return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the cluster secret file " + file, e);
            }
        }
        String value = env.get(ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
    }

    /** A new random secret's text (32 random bytes, base64). */
    public static String generateText() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /**
     * The secret in {@code file}, or a new random one written there first (owner-only where the
     * file system allows): for a demo or test cluster that keeps its data between runs.
     */
    public static ClusterSecret loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, generateText() + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // e.g. Windows: the directory's permissions apply
                }
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the cluster secret file " + file, e);
        }
    }

    /** HMAC-SHA256 under this secret of the parts, concatenated. */
    byte[] mac(byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ClusterSecret[***]";
    }
}
