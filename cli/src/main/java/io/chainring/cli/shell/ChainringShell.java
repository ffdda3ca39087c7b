package io.chainring.cli.shell;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive {@code chainring shell}: reads lines with JLine (editing, history kept in a
 * file, completion of commands, options and node ids) and runs each as the same picocli command
 * the CLI runs, in this process. Built-ins: {@code help}, {@code history}, {@code exit}/{@code quit}.
 */
public final class ChainringShell {
    /** Verbs that start servers or shells: not run from inside the shell. */
    public static final Set<String> NOT_IN_SHELL = Set.of("demo", "zookeeper", "controller", "datanode", "admin-ui", "shell");
    static final List<String> BUILTINS = List.of("help", "history", "exit", "quit");
    public static final String PROMPT = "chainring> ";

    private final LineReader reader;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Function<List<String>, Integer> runner;
    private final Set<String> commands;
    private final boolean stopOnError;
    private int lastExitCode;
    private int firstFailure;

    /**
     * @param terminal          where lines are read and output goes
     * @param err               where command errors go
     * @param historyFile       where history is kept between sessions, or null for none
     * @param commandOptions    command name → its option names (for completion); a subcommand's
     *                          key is its parent's name, a space, and its own ({@code "node add"})
     * @param nodeIds           the cluster's node ids, for completion
     * @param runner            runs one command line (without the shell's global options) and returns its exit code
     * @param stopOnError       stop at the first command that fails and return its exit code (scripts);
     *                          otherwise go on (a person at a terminal, or {@code --keep-going})
     */
    public ChainringShell(Terminal terminal, PrintWriter err, Path historyFile, Map<String, List<String>> commandOptions,
                          Supplier<List<String>> nodeIds, Function<List<String>, Integer> runner, boolean stopOnError) {
        this.stopOnError = stopOnError;
        this.out = terminal.writer();
        this.err = Objects.requireNonNull(err, "err");
        this.runner = Objects.requireNonNull(runner, "runner");
        Set<String> names = new TreeSet<>(commandOptions.keySet());
        names.removeAll(NOT_IN_SHELL);
        names.removeIf(n -> n.contains(" ")); // "node add": a subcommand, completed after its parent
        names.addAll(BUILTINS);
        this.commands = names;
        LineReaderBuilder b = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("chainring")
                .parser(new DefaultParser())
                .completer(new ShellCompleter(names, commandOptions, new NodeIds(nodeIds, java.time.Duration.ofSeconds(10))));
        if (historyFile != null) {
            b.variable(LineReader.HISTORY_FILE, historyFile);
        }
        this.reader = b.build();
    }

    /**
     * Reads and runs lines until {@code exit}, {@code quit} or end of input, or (when stopping on
     * errors) the first command that fails. Returns the exit code of the first command that failed,
     * or 0.
     */
    public int run() {
        out.println("chainring shell: type 'help' for commands, '<command> --help' for a command's options, 'exit' to leave.");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed
            } catch (EndOfFileException e) {
                out.println(); // end the prompt line
                break;
            }
            List<String> words = new ArrayList<>(reader.getParsedLine().words());
            words.removeIf(String::isEmpty);
            if (words.isEmpty()) {
                continue;
            }
            String verb = words.get(0);
            if (verb.equals("exit") || verb.equals("quit")) {
                break;
            }
            execute(verb, words);
            if (lastExitCode != 0 && firstFailure == 0) {
                firstFailure = lastExitCode;
                if (stopOnError) {
                    err.println("chainring shell: stopped at '" + String.join(" ", words) + "' (exit " + lastExitCode
                            + "); the lines after it were not run (--keep-going runs them)");
                    err.flush();
                    break;
                }
            }
        }
        saveHistory();
        return firstFailure;
    }

    /** The exit code of the last command run. */
    public int lastExitCode() {
        return lastExitCode;
    }

    /** The line reader (its history and completer), for tests. */
    public LineReader reader() {
        return reader;
    }

    private void execute(String verb, List<String> words) {
        switch (verb) {
            case "help" -> {
                out.println("commands: " + String.join(", ", commands));
                out.println("'<command> --help' shows a command's options; Tab completes commands, options and node ids.");
                lastExitCode = 0;
            }
            case "history" -> {
                for (History.Entry e : reader.getHistory()) {
                    out.printf("%5d  %s%n", e.index() + 1, e.line());
                }
                lastExitCode = 0;
            }
            default -> {
                if (NOT_IN_SHELL.contains(verb)) {
                    err.println("chainring shell: '" + verb + "' starts a server or a shell; run it outside the shell");
                    err.flush();
                    lastExitCode = 2;
                } else if (!commands.contains(verb) && !verb.startsWith("-")) {
                    err.println("chainring shell: unknown command '" + verb + "'; type 'help' for the list");
                    err.flush();
                    lastExitCode = 2;
                } else {
                    lastExitCode = runner.apply(words);
                }
            }
        }
        out.flush();
    }

    private void saveHistory() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            err.println("chainring shell: history not saved: " + e.getMessage());
            err.flush();
        }
    }
}
