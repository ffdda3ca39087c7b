package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.client.AdminClient;
import io.chainring.client.Migrations;
import io.chainring.client.PlanAction;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chainring plan}: the current (or last) plan; {@code plan add|decommission|remove ID...}
 * previews one without changing anything; {@code plan cancel|pause|resume} steers the running one.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show the current or last rebalancing plan; preview one (add|decommission|remove ID..., changes nothing);",
                "or cancel, pause or resume the running one (needs the admin token)."},
        subcommands = {PlanCommand.Add.class, PlanCommand.Decommission.class, PlanCommand.Remove.class,
                PlanCommand.Cancel.class, PlanCommand.Pause.class, PlanCommand.Resume.class})
public final class PlanCommand extends RebalanceCommand {
    @Override
    public Integer call() {
        try (AdminClient admin = admin()) {
            Migrations m = admin.migrations();
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("plan", m.plan().map(PlanViews::planJson).orElse(null));
                o.put("runningMoveCount", m.running().size());
                out().println(Json.write(o));
            } else {
                out().println(m.plan().map(PlanViews::planLine).orElse("no plan has run"));
                if (!m.running().isEmpty()) {
                    out().printf("%d moves running (chainring migrations shows them)%n", m.running().size());
                }
            }
            out().flush();
            return ExitCodes.OK;
        }
    }

    /** A preview: what the action would move. */
    abstract static class Preview extends RebalanceCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Node ids.")
        List<String> nodes;

        abstract PlanAction action();

        @Override
        public Integer call() {
            try (AdminClient admin = admin()) {
                PlanPreview p = admin.previewPlan(action(), nodes);
                if (global().json()) {
                    out().println(Json.write(PlanViews.previewJson(p)));
                } else {
                    PlanViews.printPreview(out(), p);
                }
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Preview NEW nodes joining (changes nothing).")
    static final class Add extends Preview {
        @Override
        PlanAction action() {
            return PlanAction.ADD;
        }
    }

    @Command(name = "decommission", mixinStandardHelpOptions = true, description = "Preview draining live nodes (changes nothing).")
    static final class Decommission extends Preview {
        @Override
        PlanAction action() {
            return PlanAction.DECOMMISSION;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Preview forgetting dead nodes (changes nothing).")
    static final class Remove extends Preview {
        @Override
        PlanAction action() {
            return PlanAction.REMOVE;
        }
    }

    /** Cancel, pause or resume: one admin call with the token, the plan printed after it. */
    abstract static class Steer extends RebalanceCommand {
        @Option(names = "--token", paramLabel = "TOKEN", description = "The admin token (default: $CHAINRING_ADMIN_TOKEN).")
        String token;

        abstract PlanInfo steer(AdminClient admin, String adminToken);

        @Override
        public Integer call() {
            String adminToken = token(token);
            if (adminToken == null) {
                return ExitCodes.USAGE;
            }
            try (AdminClient admin = admin()) {
                PlanInfo p = steer(admin, adminToken);
                out().println(global().json() ? Json.write(PlanViews.planJson(p)) : PlanViews.planLine(p));
                out().flush();
                return ExitCodes.OK;
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true,
            description = "Cancel the running plan: no new moves start, running ones roll back; every chain stays valid.")
    static final class Cancel extends Steer {
        @Override
        PlanInfo steer(AdminClient admin, String adminToken) {
            return admin.cancelPlan(adminToken);
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause the running plan: no new moves start; running ones finish.")
    static final class Pause extends Steer {
        @Override
        PlanInfo steer(AdminClient admin, String adminToken) {
            return admin.pausePlan(adminToken);
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused plan.")
    static final class Resume extends Steer {
        @Override
        PlanInfo steer(AdminClient admin, String adminToken) {
            return admin.resumePlan(adminToken);
        }
    }
}
