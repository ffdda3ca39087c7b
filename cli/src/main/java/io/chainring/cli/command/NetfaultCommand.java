package io.chainring.cli.command;

import io.chainring.cli.Main;
import io.chainring.cli.netfault.FaultProxy;
import io.chainring.cli.netfault.LinkFault;
import io.chainring.cli.netfault.NetworkFaults;
import io.chainring.ring.HostPort;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "netfault", mixinStandardHelpOptions = true,
        description = {"Run fault-injecting TCP proxies between processes, for tests and experiments (never in production).",
                "Each --route is a proxy for the connections FROM opens to TO; point FROM at LISTEN instead of TARGET. "
                        + "Faults act one way on the bytes flowing FROM>TO (a request) or TO>FROM (its answer).",
                "Then reads commands from standard input, one per line:",
                "  set FROM>TO SPEC      e.g. set client>n1 delay=50ms,jitter=5ms   (also loss=5%%, rto=200ms, reset=1%%, rate=1MB, cut, none)",
                "  both A B SPEC         the same fault both ways",
                "  partition A B         cut A and B apart, both ways",
                "  heal                  clear every fault (connections that lost bytes are closed)",
                "  show                  the faults in force and the proxies' counters",
                "  quit                  stop (also at the end of the input)"})
public final class NetfaultCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--route", required = true, paramLabel = "FROM>TO=LISTEN->TARGET",
            description = "A proxy, e.g. client>n1=127.0.0.1:24101->127.0.0.1:7101 (repeatable).")
    List<String> routes;

    @Option(names = "--fault", paramLabel = "FROM>TO=SPEC", description = "A fault in force from the start, e.g. n1>n2=delay=5ms (repeatable).")
    List<String> initial = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (NetworkFaults faults = new NetworkFaults()) {
            for (String r : routes) {
                Route route = route(r);
                FaultProxy p = faults.proxy(route.from(), route.to(), route.listen(), route.target());
                out.println("proxy " + route.from() + ">" + route.to() + " on " + p.hostPort() + " -> " + route.target().getHostString()
                        + ":" + route.target().getPort());
            }
            for (String f : initial) {
                int eq = f.indexOf('=');
                if (eq < 0) {
                    throw new ParameterException(spec.commandLine(), "expected FROM>TO=SPEC, got '" + f + "'");
                }
                apply("set " + f.substring(0, eq) + " " + f.substring(eq + 1), faults, out);
            }
            out.println("netfault ready");
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(main.in(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank() || line.trim().startsWith("#")) {
                    continue;
                }
                if (line.trim().equals("quit")) {
                    break;
                }
                try {
                    apply(line.trim(), faults, out);
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("netfault: " + e.getMessage());
                    spec.commandLine().getErr().flush();
                }
                out.flush();
            }
        }
        return 0;
    }

    private record Route(String from, String to, InetSocketAddress listen, InetSocketAddress target) {
    }

    private Route route(String text) {
        int eq = text.indexOf('=');
        int arrow = text.indexOf("->");
        String[] link = eq < 0 ? new String[0] : text.substring(0, eq).split(">");
        if (eq < 0 || arrow < eq || link.length != 2) {
            throw new ParameterException(spec.commandLine(), "expected FROM>TO=LISTEN->TARGET, got '" + text + "'");
        }
        try {
            String listen = text.substring(eq + 1, arrow).trim();
            int colon = listen.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("expected host:port to listen on, got '" + listen + "'");
            }
            HostPort target = HostPort.parse(text.substring(arrow + 2));
            // port 0 picks a free one (printed at start)
            return new Route(link[0].trim(), link[1].trim(),
                    new InetSocketAddress(listen.substring(0, colon), Integer.parseInt(listen.substring(colon + 1))),
                    new InetSocketAddress(target.host(), target.port()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "route '" + text + "': " + e.getMessage());
        }
    }

    /** One command line: set, both, partition, heal or show. */
    static void apply(String line, NetworkFaults faults, PrintWriter out) {
        String[] w = line.split("\\s+", 4);
        switch (w[0]) {
            case "set" -> {
                String[] link = w.length >= 3 ? w[1].split(">") : new String[0];
                if (link.length != 2) {
                    throw new IllegalArgumentException("usage: set FROM>TO SPEC");
                }
                faults.set(link[0], link[1], LinkFault.parse(line.substring(line.indexOf(w[2], w[0].length() + w[1].length()))));
            }
            case "both" -> {
                if (w.length < 4) {
                    throw new IllegalArgumentException("usage: both A B SPEC");
                }
                faults.setBoth(w[1], w[2], LinkFault.parse(w[3]));
            }
            case "partition" -> {
                if (w.length != 3) {
                    throw new IllegalArgumentException("usage: partition A B");
                }
                faults.partition(w[1], w[2]);
            }
            case "heal" -> faults.healAll();
            case "show" -> {
                for (Map.Entry<NetworkFaults.Link, LinkFault> e : faults.faults().entrySet()) {
                    out.println("fault " + e.getKey() + " " + e.getValue());
                }
                for (FaultProxy p : faults.proxies()) {
                    out.println("proxy " + p.from() + ">" + p.to() + " " + p.hostPort() + " forwarded " + p.forwardedBytes()
                            + " B, dropped " + p.droppedBytes() + " B, resets " + p.resets() + ", open " + p.openConnections());
                }
            }
            default -> throw new IllegalArgumentException("unknown command '" + w[0] + "' (set, both, partition, heal, show, quit)");
        }
        out.println("ok");
    }
}
