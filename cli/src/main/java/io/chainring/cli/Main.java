package io.chainring.cli;

import io.chainring.cli.command.BackupCommand;
import io.chainring.cli.command.BenchCommand;
import io.chainring.cli.command.EvaluateCommand;
import io.chainring.cli.command.NetfaultCommand;
import io.chainring.cli.command.AdminUiCommand;
import io.chainring.cli.command.CasCommand;
import io.chainring.cli.command.ControllerCommand;
import io.chainring.cli.command.DatanodeCommand;
import io.chainring.cli.command.DeleteCommand;
import io.chainring.cli.command.DemoCommand;
import io.chainring.cli.command.GetCommand;
import io.chainring.cli.command.MigrationsCommand;
import io.chainring.cli.command.NodeCommand;
import io.chainring.cli.command.NodesCommand;
import io.chainring.cli.command.PlanCommand;
import io.chainring.cli.command.PutCommand;
import io.chainring.cli.command.RestoreCommand;
import io.chainring.cli.command.RingCommand;
import io.chainring.cli.command.ScanCommand;
import io.chainring.cli.command.ShellCommand;
import io.chainring.cli.command.StatusCommand;
import io.chainring.cli.command.ThrottleCommand;
import io.chainring.cli.command.ZooKeeperCommand;
import io.chainring.cli.config.ServerConfigs;
import java.io.InputStream;
import java.io.OutputStream;
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
                DemoCommand.class, ZooKeeperCommand.class, ControllerCommand.class, DatanodeCommand.class, AdminUiCommand.class,
                GetCommand.class, PutCommand.class, DeleteCommand.class, CasCommand.class, ScanCommand.class,
                StatusCommand.class, RingCommand.class, NodesCommand.class,
                NodeCommand.class, PlanCommand.class, MigrationsCommand.class, ThrottleCommand.class,
                BackupCommand.class, RestoreCommand.class,
                BenchCommand.class, EvaluateCommand.class, NetfaultCommand.class, ShellCommand.class
        })
public final class Main implements Runnable {
    @Mixin
    GlobalOptions global = new GlobalOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Standard input for commands that read it ({@code put KEY -}); null where there is none (the shell). */
    private InputStream in;

    /** Standard output as bytes, for values printed exactly ({@code get --raw}); null where there is none. */
    private OutputStream bytesOut;

    public GlobalOptions global() {
        return global;
    }

    /**
     * Standard input of this run.
     *
     * @throws IllegalArgumentException where there is none (inside the shell)
     */
    public InputStream in() {
        if (in == null) {
            throw new IllegalArgumentException("no standard input here: give the value as an argument or with --file");
        }
        return in;
    }

    /**
     * Standard output as bytes: what a command writes here reaches stdout unchanged (flush the
     * command's {@code PrintWriter} first, so text and bytes keep their order).
     *
     * @throws IllegalArgumentException where there is none
     */
    public OutputStream bytesOut() {
        if (bytesOut == null) {
            throw new IllegalArgumentException("no byte output here: write the value with --output FILE, or print it with --hex or --json");
        }
        return bytesOut;
    }

    /** {@link #bytesOut()}, or null where there is none (the shell hands it on to its commands). */
    public OutputStream bytesOutOrNull() {
        return bytesOut;
    }

    /** Whether this run talks to a person at a terminal (confirmations, redrawn screens). */
    public boolean terminal() {
        return in == System.in && System.console() != null;
    }

    @Override
    public void run() {
        // no subcommand: show what there is
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.in, System.out, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        } catch (Throwable t) {
            // an Error escaping picocli must still end the process: server threads would keep it alive
            System.err.println("chainring: fatal: " + t);
            t.printStackTrace(System.err);
            code = ExitCodes.FAILURE;
        }
        System.exit(code);
    }

    /** Runs a command line with the given streams and no standard input, and returns the exit code (tests call this). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, null, null, out, err);
    }

    /** Runs a command line with no byte output (values as bytes need {@code --output}); see the full form. */
    public static int run(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        return run(args, in, null, out, err);
    }

    /**
     * Runs a command line with the given streams and returns the exit code.
     *
     * @param in       standard input, or null when there is none
     * @param bytesOut standard output as bytes (the stream under {@code out}), or null when there is none
     */
    public static int run(String[] args, InputStream in, OutputStream bytesOut, PrintWriter out, PrintWriter err) {
        Main main = new Main();
        main.in = in;
        main.bytesOut = bytesOut;
        CommandLine cli = new CommandLine(main);
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new ErrorReporter(main));
        try {
            ServerConfigs.install(cli, args, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("chainring: " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        return cli.execute(args);
    }
}
