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
 * Completes the shell's first word with command names, later words that start with '-' with that
 * command's options, and other words with the cluster's node ids.
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
        if (line.word().startsWith("-")) {
            optionsByCommand.getOrDefault(command, List.of()).forEach(o -> candidates.add(new Candidate(o)));
            return;
        }
        nodeIds.get().forEach(id -> candidates.add(new Candidate(id, id, "nodes", null, null, null, true)));
    }
}
