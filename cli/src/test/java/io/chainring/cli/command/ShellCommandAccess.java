package io.chainring.cli.command;

import io.chainring.cli.Main;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Test access to the shell command's helpers. */
public final class ShellCommandAccess {
    private ShellCommandAccess() {
    }

    /** Option names per command, as the real shell computes them from the CLI. */
    public static Map<String, List<String>> commandOptions() {
        return ShellCommand.commandOptions(new CommandLine(new Main()).getCommandSpec());
    }

    public static List<String> nodeIds(String seeds) {
        io.chainring.cli.GlobalOptions g = new io.chainring.cli.GlobalOptions();
        new CommandLine(g).parseArgs("--seeds", seeds);
        return ShellCommand.nodeIds(g);
    }
}
