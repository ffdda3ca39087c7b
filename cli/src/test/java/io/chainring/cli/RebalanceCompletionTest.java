package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.cli.shell.ChainringShell;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;

/** The shell completes the rebalancing commands, their subcommands and their options. */
class RebalanceCompletionTest {

    @Test
    void completesNodePlanMigrationsAndThrottle() throws Exception {
        try (Terminal terminal = new DumbTerminal(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())) {
            Map<String, List<String>> options = io.chainring.cli.command.ShellCommandAccess.commandOptions();
            ChainringShell shell = new ChainringShell(terminal, new PrintWriter(new StringWriter()), null, options,
                    () -> List.of("n1", "n2", "n3", "n4"), words -> 0, false);
            LineReader r = shell.reader();
            assertThat(complete(r, "")).contains("node", "plan", "migrations", "throttle", "nodes")
                    .doesNotContain("node add", "plan cancel");
            assertThat(complete(r, "node ")).containsExactly("add", "decommission", "remove");
            assertThat(complete(r, "plan ")).containsExactly("add", "cancel", "decommission", "pause", "remove", "resume");
            assertThat(complete(r, "node add ")).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
            assertThat(complete(r, "node add n4 --")).contains("--yes", "--token", "--json", "--seeds");
            assertThat(complete(r, "plan cancel --")).contains("--token").doesNotContain("--yes");
            assertThat(complete(r, "migrations --")).contains("--watch", "--watch-limit", "--recent", "--json");
            assertThat(complete(r, "throttle --")).contains("--token", "--json");
        }
    }

    private static List<String> complete(LineReader reader, String line) {
        ParsedLine parsed = reader.getParser().parse(line, line.length(), org.jline.reader.Parser.ParseContext.COMPLETE);
        List<Candidate> candidates = new ArrayList<>();
        ((LineReaderImpl) reader).getCompleter().complete(reader, parsed, candidates);
        return candidates.stream().map(Candidate::value).toList();
    }
}
