package io.chainring.cli.shell;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Completes the shell's first word with command names; the second word of a command with
 * subcommands ({@code node}, {@code plan}) with their names; later words that start with '-' with
 * that command's (or subcommand's) options; and other words with the cluster's node ids.
 */
final class ShellCompleter implements Completer {
    private final Set<String> commands;
    private final Map<String, List<String>> optionsByCommand;
    private final Supplier<List<String>> nodeIds;

    ShellCompleter(Set<String> commands, Map<String, List<String>> optionsByCommand, Supplier<List<String>> nodeIds) {
        this.commands = Set.copyOf(commands);
        this.optionsByCommand = Map.copyOf(optionsByCommand);
        this.nodeIds = nodeIds;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            commands.stream().sorted().forEach(c -> candidates.add(new Candidate(c)));
            return;
        }
        String command = line.words().get(0);
        List<String> subcommands = optionsByCommand.keySet().stream()
                .filter(k -> k.startsWith(command + " ")).map(k -> k.substring(command.length() + 1)).sorted().toList();
        if (line.wordIndex() == 1 && !subcommands.isEmpty() && !line.word().startsWith("-")) {
            subcommands.forEach(s -> candidates.add(new Candidate(s)));
            return;
        }
        if (line.word().startsWith("-")) {
            String sub = line.words().size() > 2 || (line.words().size() == 2 && line.wordIndex() > 1)
                    ? command + " " + line.words().get(1) : command;
            optionsByCommand.getOrDefault(optionsByCommand.containsKey(sub) ? sub : command, List.of())
                    .forEach(o -> candidates.add(new Candidate(o)));
            return;
        }
        nodeIds.get().forEach(id -> candidates.add(new Candidate(id, id, "nodes", null, null, null, true)));
    }
}
