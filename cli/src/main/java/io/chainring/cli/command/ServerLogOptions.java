package io.chainring.cli.command;

import io.chainring.cli.Logging;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --log-level} and {@code --log-file}, on every command that starts a server. */
public final class ServerLogOptions {
    @Option(names = "--log-level", paramLabel = "LEVEL",
            description = "TRACE, DEBUG, INFO, WARN, ERROR or OFF (default: INFO, or $CHAINRING_LOG_LEVEL).")
    String level;

    @Option(names = "--log-file", paramLabel = "FILE",
            description = "Write the log to FILE, rolled at 64 MB with 10 gzipped files kept (FILE.1.gz newest); "
                    + "stderr then shows WARN and above only (default: $CHAINRING_LOG_FILE, else everything on stderr).")
    Path file;

    /** Applies the options (or the environment's defaults) to this process's logging. */
    void apply() {
        Path f = file;
        if (f == null) {
            String env = System.getenv("CHAINRING_LOG_FILE");
            f = env == null || env.isBlank() ? null : Path.of(env);
        }
        Logging.server(level, f);
    }
}
