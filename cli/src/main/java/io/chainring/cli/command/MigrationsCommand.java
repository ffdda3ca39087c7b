package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.client.AdminClient;
import io.chainring.client.Migrations;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chainring migrations}: running partition moves with a progress bar each, recent ones, the
 * plan and the throttle; {@code --watch} refreshes every second until the plan ends.
 */
@Command(name = "migrations", mixinStandardHelpOptions = true,
        description = {"Show running partition moves (progress, keys and bytes copied, rate, ETA), recent ones, the plan and the throttle.",
                "--json prints {\"running\": [...], \"recent\": [...], \"plan\": {...}|null, \"throttleBytesPerSecond\": n}",
                "(with --watch, one such object per line)."})
public final class MigrationsCommand extends RebalanceCommand {
    private static final String CLEAR_SCREEN = "\033[H\033[2J";

    @Option(names = "--watch", description = "Refresh every second until the plan has ended (Ctrl-C stops).")
    boolean watch;

    @Option(names = "--watch-limit", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Stop watching after this long even if the plan still runs (default: ${DEFAULT-VALUE}).")
    long watchLimitSeconds;

    @Option(names = "--recent", paramLabel = "N", defaultValue = "10",
            description = "How many ended moves the table lists (default: ${DEFAULT-VALUE}; --json lists what the controller keeps).")
    int recent;

    @Override
    public Integer call() throws InterruptedException {
        try (AdminClient admin = admin()) {
            if (!watch) {
                show(admin.migrations(), false);
                return ExitCodes.OK;
            }
            long end = System.nanoTime() + Duration.ofSeconds(Math.max(1, watchLimitSeconds)).toNanos();
            boolean terminal = main().terminal() && !global().json();
            while (true) {
                Migrations m = admin.migrations();
                show(m, terminal);
                if (ended(m)) {
                    return ExitCodes.OK;
                }
                if (System.nanoTime() >= end) {
                    err().printf("chainring migrations: stopped watching after %d s; the plan still runs%n", watchLimitSeconds);
                    err().flush();
                    return ExitCodes.OK;
                }
                Thread.sleep(1000);
                if (!terminal && !global().json()) {
                    out().println();
                }
            }
        }
    }

    /** Nothing more to watch: no plan, or it ended and no move of it runs. */
    static boolean ended(Migrations m) {
        return m.running().isEmpty() && m.plan().map(p -> p.finished()).orElse(true);
    }

    private void show(Migrations m, boolean redraw) {
        if (global().json()) {
            out().println(Json.write(PlanViews.migrationsJson(m)));
            out().flush();
            return;
        }
        if (redraw) {
            out().print(CLEAR_SCREEN);
        }
        PlanViews.printMigrations(out(), m, Math.max(0, recent));
    }
}
