package io.chainring.metadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * ZooKeeper digest credentials of Chainring's processes. A client built with them authenticates
 * as {@code digest:user} and creates every znode with an ACL that gives that identity all rights
 * and everybody else only read: an unauthenticated client cannot change the ring, registrations,
 * plan or throttle (the ring is public anyway, every datanode hands it to any client).
 *
 * @param user     digest user name
 * @param password the shared secret
 */
public record ZkAuth(String user, String password) {
    /** The user when the secret is given without one. */
    public static final String DEFAULT_USER = "chainring";
    /** Environment variable read when no file is given: {@code user:password} or a bare password. */
    public static final String ENV = "CHAINRING_ZK_AUTH";

    public ZkAuth {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (user.isBlank() || user.contains(":")) {
            throw new IllegalArgumentException("ZooKeeper digest user must be non-blank and without ':'");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("ZooKeeper digest password must not be empty");
        }
    }

    /** {@code user:password}, or a bare password for {@link #DEFAULT_USER}; surrounding whitespace is ignored. */
    public static ZkAuth parse(String text) {
        String t = text.strip();
        int colon = t.indexOf(':');
        return colon < 0 ? new ZkAuth(DEFAULT_USER, t) : new ZkAuth(t.substring(0, colon), t.substring(colon + 1));
    }

    /** From the file if given, else from {@link #ENV}, else none. */
    public static Optional<ZkAuth> from(Path file, Map<String, String> env) {
        if (file != null) {
            try {
                return Optional.of(parse(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the ZooKeeper secret file " + file, e);
            }
        }
        String value = env.get(ENV);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(parse(value));
    }

    /**
     * The credentials in {@code file}, or new random ones written there first (owner-only where
     * the file system allows): for a demo or test cluster that keeps its data between runs.
     */
    public static ZkAuth loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] random = new byte[24];
                new SecureRandom().nextBytes(random);
                String secret = DEFAULT_USER + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, secret + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // e.g. Windows: the directory's permissions apply
                }
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the ZooKeeper secret file " + file, e);
        }
    }

    /** The bytes of {@code addauth digest}. */
    public byte[] authBytes() {
        return (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    }

    /** All rights for this identity, read for anyone. */
    public List<ACL> acls() {
        try {
            Id self = new Id("digest", DigestAuthenticationProvider.generateDigest(user + ":" + password));
            // not List.of: ZooKeeper asks the list contains(null), which List.of refuses
            return Collections.unmodifiableList(Arrays.asList(new ACL(ZooDefs.Perms.ALL, self),
                    new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("ZooKeeper's digest algorithm is not available", e);
        }
    }

    /** Curator's hook that puts {@link #acls()} on every znode the client creates, parents included. */
    ACLProvider aclProvider() {
        List<ACL> acls = acls();
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acls;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acls;
            }
        };
    }

    @Override
    public String toString() {
        return "ZkAuth[user=" + user + ", password=***]";
    }
}
