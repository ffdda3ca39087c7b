package io.chainring.cli;

import io.chainring.cli.command.CasCommand;
import io.chainring.cli.command.ControllerCommand;
import io.chainring.cli.command.DatanodeCommand;
import io.chainring.cli.command.DeleteCommand;
import io.chainring.cli.command.DemoCommand;
import io.chainring.cli.command.GetCommand;
import io.chainring.cli.command.PutCommand;
import io.chainring.cli.command.RingCommand;
import io.chainring.cli.command.StatusCommand;
import io.chainring.cli.command.ZooKeeperCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The {@code chainring} command: servers, data commands and cluster commands (DESIGN §10). */
@Command(name = "chainring",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Chainring: a sharded, chain-replicated key-value store.",
        subcommands = {
                DemoCommand.class, ZooKeeperCommand.class, ControllerCommand.class, DatanodeCommand.class,
                GetCommand.class, PutCommand.class, DeleteCommand.class, CasCommand.class,
                StatusCommand.class, RingCommand.class
        })
public final class Main implements Runnable {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public GlobalOptions global() {
        return global;
    }

    @Override
    public void run() {
        // no subcommand: show what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (Throwable t) {
            // an Error escaping picocli must still end the process: server threads would keep it alive
            System.err.println("chainring: fatal: " + t);
            t.printStackTrace(System.err);
            code = ExitCodes.FAILURE;
        }
        System.exit(code);
    }

    /** Runs a command line with the given streams and returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorReporter(main));
        return cli.execute(args);
    }
}
