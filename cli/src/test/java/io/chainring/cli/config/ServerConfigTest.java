package io.chainring.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Flags over environment over file over built-in defaults, and a file's typo refused. */
class ServerConfigTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("role.properties");
        Files.writeString(f, text);
        return f;
    }

    /** Parses {@code args} as Main does (config installed first) and returns the server command's spec. */
    private static CommandSpec parse(Map<String, String> env, String... args) {
        CommandLine root = new CommandLine(new Main());
        ServerConfigs.install(root, args, env);
        CommandLine.ParseResult parsed = root.parseArgs(args);
        return parsed.subcommand().commandSpec();
    }

    private static Object value(CommandSpec spec, String option) {
        return spec.findOption(option).getValue();
    }

    @Test
    void theFileGivesWhatNoFlagGivesAndFlagsWin() throws IOException {
        Path f = file("# a datanode\nzk = zk1:2181,zk2:2181\nid = n7\nport = 7107\ndata-dir = /var/lib/chainring/n7\n"
                + "durability = sync\n");
        CommandSpec spec = parse(Map.of(), "datanode", "--config", f.toString(), "--port", "7200");
        assertThat(value(spec, "zk")).isEqualTo("zk1:2181,zk2:2181");
        assertThat(value(spec, "id")).isEqualTo("n7");
        assertThat(value(spec, "data-dir")).isEqualTo(Path.of("/var/lib/chainring/n7"));
        assertThat(value(spec, "durability")).isEqualTo("sync");
        assertThat(value(spec, "port")).as("the flag wins over the file").isEqualTo(7200);
        assertThat(value(spec, "zone")).as("neither: the built-in default").isEqualTo("default");
    }

    @Test
    void theEnvironmentOverridesTheFileAndTheFlagOverridesTheEnvironment() throws IOException {
        Path f = file("zk=zk1:2181\nid=n1\nport=7101\ndata-dir=/d\n");
        Map<String, String> env = Map.of("CHAINRING_PORT", "7301", "CHAINRING_ID", "n3", "CHAINRING_SESSION_TIMEOUT", "20");
        CommandSpec spec = parse(env, "datanode", "--config=" + f, "--id", "n9");
        assertThat(value(spec, "port")).isEqualTo(7301);
        assertThat(value(spec, "session-timeout")).isEqualTo(20);
        assertThat(value(spec, "id")).isEqualTo("n9");
        assertThat(value(spec, "zk")).isEqualTo("zk1:2181");
    }

    @Test
    void withoutAFileTheEnvironmentAloneConfiguresAServer() {
        CommandSpec spec = parse(Map.of("CHAINRING_ZK", "zk:2181", "CHAINRING_DATA_DIR", "/z"), "zookeeper");
        assertThat(value(spec, "data-dir")).isEqualTo(Path.of("/z"));
        CommandSpec controller = parse(Map.of("CHAINRING_ZK", "zk:2181", "CHAINRING_AUTO_JOIN", "true",
                "CHAINRING_REPLICATION", "2"), "controller");
        assertThat(value(controller, "zk")).isEqualTo("zk:2181");
        assertThat(value(controller, "auto-join")).isEqualTo(true);
        assertThat(value(controller, "replication")).isEqualTo(2);
    }

    @Test
    void aSecretInTheEnvironmentSetsAsideTheFileNamedInTheConfig() throws IOException {
        Path f = file("zk=z:1\nid=n1\ndata-dir=/d\nzk-auth-file=/etc/chainring/zk-auth\ncluster-secret-file=/etc/chainring/secret\n");
        CommandSpec spec = parse(Map.of("CHAINRING_ZK_AUTH", "chainring:s3cret-s3cret"), "datanode", "--config", f.toString());
        assertThat(value(spec, "zk-auth-file")).as("the variable's secret is used instead").isNull();
        assertThat(value(spec, "cluster-secret-file")).isEqualTo(Path.of("/etc/chainring/secret"));
    }

    @Test
    void theUiReadsItsSeedsAndTokenFromTheFileAndTheTokenVariableOverridesIt() throws IOException {
        Path f = file("seeds=h1:7101,h2:7101\ntoken=from-the-file-123\nport=8081\n");
        CommandSpec ui = parse(Map.of(), "admin-ui", "--config", f.toString());
        assertThat(value(ui, "seeds")).isEqualTo("h1:7101,h2:7101");
        assertThat(value(ui, "token")).isEqualTo("from-the-file-123");
        assertThat(value(ui, "port")).isEqualTo(8081);
        CommandSpec withEnv = parse(Map.of("CHAINRING_ADMIN_TOKEN", "from-the-env-456"), "admin-ui", "--config", f.toString());
        assertThat(value(withEnv, "token")).isEqualTo("from-the-env-456");
    }

    @Test
    void anUnknownKeyIsRefusedWithTheKeysThatExist() throws IOException {
        Path f = file("zk=z:1\nsesion-timeout=5\n");
        assertThatThrownBy(() -> parse(Map.of(), "datanode", "--config", f.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key(s) sesion-timeout for 'datanode'")
                .hasMessageContaining("session-timeout");
        Path seeds = file("zk=z:1\nseeds=h:1\n");
        assertThatThrownBy(() -> parse(Map.of(), "datanode", "--config", seeds.toString()))
                .as("a datanode does not read the client's seeds").hasMessageContaining("unknown key(s) seeds");
    }

    @Test
    void aCommentAtTheEndOfALineIsRefusedInsteadOfBecomingPartOfTheValue() throws IOException {
        Path f = file("zk=z:1\nid = h1     # the host's name\n");
        assertThatThrownBy(() -> parse(Map.of(), "datanode", "--config", f.toString()))
                .hasMessageContaining("the value of 'id' is 'h1     # the host's name'")
                .hasMessageContaining("no comments at the end of a line");
        CommandSpec ok = parse(Map.of(), "datanode", "--config", file("zk=z:1\nid=h#1\ndata-dir=/d\n").toString());
        assertThat(value(ok, "id")).as("a # inside a value is the value's").isEqualTo("h#1");
    }

    @Test
    void aMissingFileIsAUsageErrorOfTheCommand() {
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new String[] {"controller", "--config", dir.resolve("nope.properties").toString()},
                new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(err));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("config file not found").contains("nope.properties");
    }

    @Test
    void clientCommandsAreUntouched() {
        CommandLine root = new CommandLine(new Main());
        ServerConfigs.install(root, new String[] {"get", "k"}, Map.of("CHAINRING_TIMEOUT", "99"));
        assertThat(root.getSubcommands().get("get").getDefaultValueProvider()).isNull();
    }
}
