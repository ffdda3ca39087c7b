package io.chainring.cli.command;

import io.chainring.cli.GlobalOptions;
import io.chainring.cli.Main;
import io.chainring.cli.output.WriterOutputStream;
import io.chainring.cli.shell.ChainringShell;
import io.chainring.client.AdminClient;
import io.chainring.client.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.terminal.impl.DumbTerminal;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chainring shell}: sets up the terminal and runs {@link ChainringShell}. */
@Command(name = "shell", mixinStandardHelpOptions = true,
        description = {"An interactive shell running the same commands (get, put, scan, status, nodes, ...) against one cluster,",
                "with line editing, history and Tab completion of commands, options and node ids.",
                "Reads plain lines when standard input is not a terminal, so scripts can pipe commands in: then it stops at "
                        + "the first command that fails and exits with its code, unless --keep-going is given.",
                "The exit code is that of the first command that failed, or 0."})
public final class ShellCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--history-file", paramLabel = "FILE",
            description = "Where history is kept between sessions (default: ~/.chainring_history).")
    Path historyFile;

    @Option(names = "--no-history", description = "Keep no history file.")
    boolean noHistory;

    @Option(names = "--keep-going", description = "Without a terminal, run every line even after a command fails "
            + "(the exit code is still that of the first failure).")
    boolean keepGoing;

    @Override
    public Integer call() throws IOException {
        GlobalOptions g = main.global();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path history = noHistory ? null : historyFile != null ? historyFile : Path.of(System.getProperty("user.home"), ".chainring_history");
        boolean interactive = main.terminal();
        try (Terminal terminal = terminal(interactive, main.in(), out)) {
            ChainringShell shell = new ChainringShell(terminal, err, history, commandOptions(spec.parent()),
                    () -> nodeIds(g), words -> Main.run(withGlobals(g, words).toArray(String[]::new), null, main.bytesOutOrNull(), terminal.writer(), err),
                    !interactive && !keepGoing);
            return shell.run();
        }
    }

    /** A real terminal when the shell talks to one; otherwise plain lines over the streams (scripts, tests). */
    private static Terminal terminal(boolean interactive, InputStream in, PrintWriter out) throws IOException {
        if (interactive) {
            return TerminalBuilder.builder().system(true).name("chainring").build();
        }
        return new DumbTerminal(in, new WriterOutputStream(out));
    }

    /** The shell's own --seeds, --timeout, --json and --verbose go to every command that does not set them itself. */
    static List<String> withGlobals(GlobalOptions g, List<String> words) {
        List<String> args = new ArrayList<>();
        if (!words.contains("--seeds")) {
            args.add("--seeds");
            args.add(g.seeds());
        }
        if (!words.contains("--timeout")) {
            args.add("--timeout");
            args.add(Double.toString(g.timeout().toMillis() / 1000.0));
        }
        if (g.json() && !words.contains("--json")) {
            args.add("--json");
        }
        if (g.verbose() && !words.contains("--verbose")) {
            args.add("--verbose");
        }
        args.addAll(words);
        return args;
    }

    /**
     * Every subcommand's option names (its own and the inherited global ones); the subcommands of a
     * subcommand ({@code node add}) under their parent's name, a space, and their own.
     */
    static Map<String, List<String>> commandOptions(CommandSpec root) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Map.Entry<String, CommandLine> e : root.subcommands().entrySet()) {
            out.put(e.getKey(), optionNames(e.getValue().getCommandSpec()));
            for (Map.Entry<String, CommandLine> sub : e.getValue().getSubcommands().entrySet()) {
                out.put(e.getKey() + " " + sub.getKey(), optionNames(sub.getValue().getCommandSpec()));
            }
        }
        return out;
    }

    private static List<String> optionNames(CommandSpec command) {
        TreeSet<String> names = new TreeSet<>();
        for (OptionSpec o : command.options()) {
            names.addAll(List.of(o.names()));
        }
        return List.copyOf(names);
    }

    static List<String> nodeIds(GlobalOptions g) {
        try (AdminClient admin = AdminClient.builder().seeds(g.seeds()).timeout(Duration.ofSeconds(2)).maxRetries(1).build()) {
            return admin.status().nodes().stream().map(NodeStatus::id).toList();
        }
    }
}
