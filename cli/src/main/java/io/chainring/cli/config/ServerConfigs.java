package io.chainring.cli.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;

/** Gives the server commands their {@link ServerConfig} before a command line is parsed. */
public final class ServerConfigs {
    /** The commands that start a server and read a config file of their own (conf/ROLE.properties). */
    public static final Set<String> ROLES = Set.of("zookeeper", "controller", "datanode", "admin-ui");

    private ServerConfigs() {
    }

    /**
     * Installs the configuration on the server command named in {@code args}, if any. The file
     * ({@code --config FILE} or {@code --config=FILE}) must be known before picocli parses, since
     * defaults are applied first; picocli then parses {@code --config} as an ordinary option.
     *
     * @throws IllegalArgumentException the file cannot be read or names an unknown key
     */
    public static void install(CommandLine root, String[] args, Map<String, String> env) {
        String role = null;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (role == null && ROLES.contains(a)) {
                role = a;
            } else if (a.equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (a.startsWith("--config=")) {
                file = Path.of(a.substring("--config=".length()));
            } else if (a.equals("--")) {
                break;
            }
        }
        if (role == null) {
            return;
        }
        CommandLine command = root.getSubcommands().get(role);
        ServerConfig config = ServerConfig.load(command.getCommandSpec(), file, env);
        command.setDefaultValueProvider(config);
        // options inherited from the root (--seeds of the admin UI) take their defaults where they are declared
        root.getCommandSpec().defaultValueProvider(config);
    }
}
