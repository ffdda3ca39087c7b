package io.chainring.cli.command;

import io.chainring.metadata.ZkAuth;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The ZooKeeper credentials option of the server commands (DESIGN: ZooKeeper access). */
public final class ZkAuthOption {
    @Option(names = "--zk-auth-file", paramLabel = "FILE",
            description = "ZooKeeper digest credentials: a file holding user:password (or only a password, for user "
                    + "'chainring'); default: $" + ZkAuth.ENV + ". With them, every znode this process creates is "
                    + "writable only with the same credentials (others may read).")
    Path file;

    Optional<ZkAuth> resolve() {
        return ZkAuth.from(file, System.getenv());
    }
}
