package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.client.AdminClient;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import java.io.Console;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code chainring node add|decommission|remove ID...}: previews the plan, asks for confirmation
 * on a terminal ({@code --yes} skips it), then executes exactly the previewed plan.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Change the cluster's membership by a plan of partition moves (DESIGN §7): preview, confirm, execute.",
                "Needs the admin token: --token or $CHAINRING_ADMIN_TOKEN. Watch the moves with 'chainring migrations --watch'."},
        subcommands = {NodeCommand.Add.class, NodeCommand.Decommission.class, NodeCommand.Remove.class})
public final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Preview, confirm, execute: the same for every action. */
    abstract static class Change extends RebalanceCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Node ids.")
        List<String> nodes;

        @Option(names = {"--yes", "-y"}, description = "Execute without asking (needed when not on a terminal).")
        boolean yes;

        @Option(names = "--token", paramLabel = "TOKEN", description = "The admin token (default: $CHAINRING_ADMIN_TOKEN).")
        String token;

        abstract PlanAction action();

        @Override
        public Integer call() {
            String adminToken = token(token);
            if (adminToken == null) {
                return ExitCodes.USAGE;
            }
            try (AdminClient admin = admin()) {
                PlanPreview preview = admin.previewPlan(action(), nodes);
                boolean json = global().json();
                if (!json) {
                    PlanViews.printPreview(out(), preview);
                    out().println();
                    out().flush();
                }
                if (!yes) {
                    Integer refused = confirm(preview);
                    if (refused != null) {
                        return refused;
                    }
                }
                PlanInfo plan = admin.executePlan(adminToken, preview);
                if (json) {
                    Map<String, Object> o = new LinkedHashMap<>();
                    o.put("preview", PlanViews.previewJson(preview));
                    o.put("plan", PlanViews.planJson(plan));
                    out().println(Json.write(o));
                } else {
                    out().printf("started plan %s (%d moves, %s)%n", plan.id(), plan.movesPlanned(), plan.state());
                    out().println("watch it with: chainring migrations --watch");
                }
                out().flush();
                return ExitCodes.OK;
            }
        }

        /** Null when the operator said yes; otherwise the exit code. */
        private Integer confirm(PlanPreview preview) {
            Console console = main().terminal() ? System.console() : null;
            if (console == null) {
                err().println("chainring " + name() + ": not executed: no terminal to confirm on; pass --yes to execute this plan");
                err().flush();
                return ExitCodes.USAGE;
            }
            String answer = console.readLine("%s %s: execute these %d moves? [y/N] ", PlanViews.verb(preview),
                    String.join(" ", preview.nodes()), preview.moves().size());
            String a = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
            if (a.equals("y") || a.equals("yes")) {
                return null;
            }
            out().println("not executed");
            out().flush();
            return ExitCodes.NOT_FOUND;
        }
    }

    /** {@code node add}: NEW nodes join and receive their share. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Let NEW nodes (registered, waiting) join: they receive their share of the partition replicas.")
    static final class Add extends Change {
        @Override
        PlanAction action() {
            return PlanAction.ADD;
        }
    }

    /** {@code node decommission}: live nodes drain, then become REMOVED. */
    @Command(name = "decommission", mixinStandardHelpOptions = true,
            description = "Drain live nodes: their replicas move to the others, then they are REMOVED and may be stopped.")
    static final class Decommission extends Change {
        @Override
        PlanAction action() {
            return PlanAction.DECOMMISSION;
        }
    }

    /** {@code node remove}: dead nodes are forgotten and their replicas re-created. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = {"Forget dead nodes: their replicas are re-created on the others.",
                    "For nodes that are gone for good; a live node is refused (decommission it instead)."})
    static final class Remove extends Change {
        @Override
        PlanAction action() {
            return PlanAction.REMOVE;
        }
    }
}
