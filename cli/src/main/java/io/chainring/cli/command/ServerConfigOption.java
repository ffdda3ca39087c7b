package io.chainring.cli.command;

import io.chainring.cli.config.ServerConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code --config FILE} on every server command (read by {@link io.chainring.cli.config.ServerConfigs}). */
public final class ServerConfigOption {
    private static final Logger log = LoggerFactory.getLogger(ServerConfigOption.class);

    @Option(names = "--config", paramLabel = "FILE",
            description = "A properties file of settings for this command: each key is a long option name without "
                    + "'--' (conf/ in the release has a commented one per role). Flags override the file; "
                    + "environment variables CHAINRING_<KEY> (upper case, '-' as '_') override the file too.")
    Path file;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Logs where the settings not given as flags came from (names only: some values are secrets). */
    void logSources() {
        if (!(command.defaultValueProvider() instanceof ServerConfig config)) {
            return;
        }
        Map<String, String> used = new TreeMap<>(config.sources());
        used.keySet().removeIf(key -> command.commandLine().getParseResult().hasMatchedOption("--" + key));
        if (config.file() != null || !used.isEmpty()) {
            log.info("{} settings: config file {}; not given as flags, taken from {}",
                    command.name(), config.file() == null ? "none" : config.file(), used.isEmpty() ? "nowhere" : used);
        }
    }
}
