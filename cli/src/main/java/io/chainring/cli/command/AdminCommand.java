package io.chainring.cli.command;

import io.chainring.cli.GlobalOptions;
import io.chainring.cli.Main;
import io.chainring.client.AdminClient;
import io.chainring.client.NodeStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Base of the cluster commands: an admin client built from the global options. */
abstract class AdminCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    GlobalOptions global() {
        return main.global();
    }

    AdminClient admin() {
        return AdminClient.builder().seeds(global().seeds()).timeout(global().timeout()).build();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** The node object scripts rely on, in both {@code status} and {@code ring}. */
    static Map<String, Object> nodeJson(NodeStatus n) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", n.id());
        o.put("address", n.address());
        o.put("zone", n.zone());
        o.put("state", n.state());
        o.put("live", n.live());
        // counts end in Count; a plural name is always a list (docs/CLI.md, "JSON vocabulary")
        o.put("partitionCount", n.partitions());
        o.put("headCount", n.heads());
        o.put("tailCount", n.tails());
        return o;
    }
}
