package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.cli.shell.ChainringShell;
import io.chainring.embedded.EmbeddedCluster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code chainring shell} driven through JLine's DumbTerminal: commands, history and completion candidates. */
@Tag("cluster")
class ShellIT {
    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Session(int exit, String out, String err) {
    }

    /** Runs {@code chainring shell --keep-going} in-process with the lines as its standard input. */
    private Session shell(Path history, String... lines) {
        return shell(List.of("--keep-going"), history, lines);
    }

    private Session shell(List<String> options, Path history, String... lines) {
        String input = String.join("\n", lines) + "\n";
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("--seeds", cluster.seeds(), "shell", "--history-file", history.toString()));
        args.addAll(options);
        int exit = Main.run(args.toArray(String[]::new),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out, true), new PrintWriter(err, true));
        return new Session(exit, out.toString(), err.toString());
    }

    @Test
    void aPipedShellStopsAtTheFirstFailureWithItsExitCode() throws Exception {
        Session s = shell(List.of(), dir.resolve("h1"), "put stop/a 1", "get stop/missing", "put stop/b 2");
        assertThat(s.exit()).as("get's exit code: not found").isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(s.err()).contains("not found: stop/missing").contains("stopped at 'get stop/missing' (exit 1)");
        assertThat(CliRun.run(cluster.seeds(), null, "get", "stop/b").exit()).as("the line after the failure never ran")
                .isEqualTo(ExitCodes.NOT_FOUND);

        Session usage = shell(List.of(), dir.resolve("h2"), "bogus", "put stop/c 3");
        assertThat(usage.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.run(cluster.seeds(), null, "get", "stop/c").exit()).isEqualTo(ExitCodes.NOT_FOUND);

        Session going = shell(List.of("--keep-going"), dir.resolve("h3"), "get stop/missing", "put stop/d 4", "delete stop/none");
        assertThat(going.exit()).as("--keep-going runs everything; the exit code is the first failure's").isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(CliRun.run(cluster.seeds(), null, "get", "stop/d").out().trim()).isEqualTo("4");
        assertThat(going.err()).contains("chainring delete: not found: stop/none").doesNotContain("stopped at");

        assertThat(shell(List.of(), dir.resolve("h4"), "put stop/e 5", "get stop/e").exit()).as("all succeeded").isZero();
    }

    @Test
    void runsTheSameCommandsAsTheCliAndKeepsHistory() throws Exception {
        Path history = dir.resolve("history");
        Session s = shell(history,
                "put greeting 'hello shell'",
                "get greeting",
                "get greeting --json",
                "nodes",
                "scan --prefix greet",
                "get missing",
                "bogus",
                "demo",
                "put x -",
                "help",
                "history",
                "exit",
                "get greeting");
        assertThat(s.exit()).as("--keep-going: the first failure's code (get missing)").isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(s.out()).contains(ChainringShell.PROMPT)
                .contains("OK version")
                .contains("hello shell")
                .contains("\"value\":\"hello shell\"")
                .contains("NODE").contains("n1").contains("n2").contains("n3")
                .contains("(1 entry)")
                .contains("commands: ")
                .contains("    1  put greeting 'hello shell'");
        assertThat(s.err()).contains("not found: missing")
                .contains("unknown command 'bogus'")
                .contains("'demo' starts a server")
                .contains("no standard input");
        // get, get --json, scan and history show it; the 'get greeting' after 'exit' never ran
        assertThat(s.out().split("hello shell", -1)).hasSize(1 + 4);

        List<String> saved = Files.readAllLines(history);
        assertThat(saved).anyMatch(l -> l.endsWith("get greeting --json")).anyMatch(l -> l.endsWith("nodes"));

        // a second session sees the first one's history
        Session again = shell(history, "history");
        assertThat(again.out()).contains("put greeting 'hello shell'").contains("scan --prefix greet");
    }

    @Test
    void completesCommandsOptionsAndNodeIds() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream(new byte[0]), sink)) {
            Map<String, List<String>> options = io.chainring.cli.command.ShellCommandAccess.commandOptions();
            ChainringShell shell = new ChainringShell(terminal, new PrintWriter(new StringWriter()), null, options,
                    () -> List.of("n1", "n2", "n3"), words -> 0, false);
            assertThat(complete(shell.reader(), "")).contains("get", "put", "scan", "status", "nodes", "ring", "cas", "delete",
                    "help", "history", "exit").doesNotContain("demo", "datanode", "shell");
            assertThat(complete(shell.reader(), "get --")).contains("--read-level", "--write-ack", "--json", "--seeds", "--help",
                    "--raw", "--hex", "--output", "--key-hex");
            assertThat(complete(shell.reader(), "put --")).contains("--value-hex", "--value-base64", "--file");
            assertThat(complete(shell.reader(), "scan --")).contains("--prefix", "--limit", "--cursor");
            assertThat(complete(shell.reader(), "status ")).containsExactlyInAnyOrder("n1", "n2", "n3");
        }
    }

    @Test
    void nodeIdsComeFromTheCluster() throws Exception {
        // the real node id source: the shell started by the CLI asks the controller
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream(new byte[0]), sink)) {
            ChainringShell shell = new ChainringShell(terminal, new PrintWriter(new StringWriter()), null,
                    io.chainring.cli.command.ShellCommandAccess.commandOptions(),
                    () -> io.chainring.cli.command.ShellCommandAccess.nodeIds(cluster.seeds()), words -> 0, false);
            assertThat(complete(shell.reader(), "nodes ")).containsExactlyInAnyOrder("n1", "n2", "n3");
        }
    }

    private static List<String> complete(LineReader reader, String line) {
        ParsedLine parsed = reader.getParser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        ((LineReaderImpl) reader).getCompleter().complete(reader, parsed, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }
}
