package io.chainring.cli.command;

import io.chainring.transport.ClusterSecret;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The cluster secret option of the datanode command (DESIGN: Security). */
public final class ClusterSecretOption {
    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "The cluster members' secret (at least " + ClusterSecret.MIN_CHARS + " characters; make one with "
                    + "'head -c 32 /dev/urandom | base64 > FILE; chmod 600 FILE'); default: $" + ClusterSecret.ENV + ". With it, "
                    + "the internal services (replication, node-admin snapshot) serve only nodes that prove the same secret; "
                    + "without, they are open to anyone who can reach the port.")
    Path file;

    Optional<ClusterSecret> resolve() {
        return ClusterSecret.from(file, System.getenv());
    }
}
