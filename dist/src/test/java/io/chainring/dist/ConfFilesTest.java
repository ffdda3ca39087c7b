package io.chainring.dist;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.cli.Main;
import io.chainring.cli.config.ServerConfig;
import io.chainring.cli.config.ServerConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The shipped conf/ROLE.properties name every setting of their command (active or commented
 * with its default), and nothing else: a new flag without a key fails here.
 */
class ConfFilesTest {
    private static final Pattern KEY_LINE = Pattern.compile("^#?\\s?([a-z][a-z0-9-]*)\\s*=.*$");

    @ParameterizedTest
    @ValueSource(strings = {"zookeeper", "controller", "datanode", "admin-ui"})
    void everyFlagHasAKeyInItsRolesFile(String role) throws IOException {
        Path file = Path.of("src", "conf", role + ".properties");
        Set<String> named = new TreeSet<>();
        for (String line : Files.readAllLines(file)) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches()) {
                named.add(m.group(1));
            }
        }
        CommandSpec spec = new CommandLine(new Main()).getSubcommands().get(role).getCommandSpec();
        assertThat(named).as("keys named (active or commented) in %s", file).isEqualTo(ServerConfig.keys(spec));
        // and the active ones load: no typo, every value of the right type for its option
        CommandLine root = new CommandLine(new Main());
        String[] args = {role, "--config", file.toString()};
        ServerConfigs.install(root, args, Map.of());
        root.parseArgs(args);
    }
}
