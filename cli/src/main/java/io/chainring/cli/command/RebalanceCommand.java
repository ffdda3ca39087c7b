package io.chainring.cli.command;

import io.chainring.cli.GlobalOptions;
import io.chainring.cli.Main;
import io.chainring.client.AdminClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of the rebalancing commands ({@code node}, {@code plan}, {@code migrations},
 * {@code throttle}), which may sit one level below {@code chainring} ({@code node add}): the global
 * options come from the root command, whatever the depth.
 */
abstract class RebalanceCommand implements Callable<Integer> {
    /** Where the admin token comes from when {@code --token} is not given. */
    static final String TOKEN_ENV = "CHAINRING_ADMIN_TOKEN";

    @Spec
    CommandSpec spec;

    Main main() {
        return (Main) spec.root().userObject();
    }

    GlobalOptions global() {
        return main().global();
    }

    AdminClient admin() {
        return AdminClient.builder().seeds(global().seeds()).timeout(global().timeout()).build();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The command's name as typed, for error lines: {@code node add}. */
    String name() {
        return spec.qualifiedName(" ").replaceFirst("^chainring ", "");
    }

    /**
     * The admin token from {@code --token}, else {@code $CHAINRING_ADMIN_TOKEN}; null (after one
     * line on stderr) when neither is set.
     */
    String token(String option) {
        String t = option != null && !option.isBlank() ? option : System.getenv(TOKEN_ENV);
        if (t == null || t.isBlank()) {
            err().println("chainring " + name() + ": no admin token: pass --token TOKEN or set " + TOKEN_ENV
                    + " (chainring demo prints the token)");
            err().flush();
            return null;
        }
        return t;
    }
}
