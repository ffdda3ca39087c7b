package io.chainring.cli;

import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command accepts, before or after the subcommand name
 * ({@code chainring --json status} and {@code chainring status --json} are the same).
 */
public final class GlobalOptions {
    public static final String DEFAULT_SEEDS = "127.0.0.1:7101";

    @Option(names = "--seeds", scope = ScopeType.INHERIT, paramLabel = "HOST:PORT,...",
            description = "Datanodes to bootstrap from (default: $CHAINRING_SEEDS, else " + DEFAULT_SEEDS + ").")
    String seeds;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces with errors.")
    boolean verbose;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS", defaultValue = "10",
            description = "Deadline of each cluster call in seconds (default: ${DEFAULT-VALUE}).")
    double timeoutSeconds;

    public String seeds() {
        if (seeds != null && !seeds.isBlank()) {
            return seeds;
        }
        String env = System.getenv("CHAINRING_SEEDS");
        return env != null && !env.isBlank() ? env : DEFAULT_SEEDS;
    }

    /** Whether --seeds was given on the command line (not taken from the environment or the default). */
    public boolean seedsGiven() {
        return seeds != null && !seeds.isBlank();
    }

    public boolean json() {
        return json;
    }

    public boolean verbose() {
        return verbose;
    }

    public Duration timeout() {
        return Duration.ofMillis(Math.max(1, Math.round(timeoutSeconds * 1000)));
    }
}
