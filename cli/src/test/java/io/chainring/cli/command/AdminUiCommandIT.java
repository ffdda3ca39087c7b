package io.chainring.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.adminui.AdminUiServer;
import io.chainring.cli.Main;
import io.chainring.embedded.EmbeddedCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code chainring admin-ui}: finding the cluster through ZooKeeper or seeds, and refusing a bad token. */
@Tag("cluster")
class AdminUiCommandIT {
    private static final String TOKEN = "cli-test-token-0123456789";
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(2).partitions(8).replication(1).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Parses a command line as the launcher would and returns the admin-ui command, unstarted. */
    private static AdminUiCommand parse(String... args) {
        CommandLine cli = new CommandLine(new Main());
        CommandLine.ParseResult parsed = cli.parseArgs(args);
        return (AdminUiCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void findsTheDatanodesThroughZooKeeper() throws Exception {
        try (AdminUiServer ui = parse("admin-ui", "--zk", cluster.zkConnect(), "--port", "0", "--token", TOKEN).start()) {
            assertThat(ui.config().seeds()).containsExactlyInAnyOrderElementsOf(Arrays.asList(cluster.seeds().split(",")));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui.url() + "api/overview"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void takesSeedsAndRequireLogin() throws Exception {
        try (AdminUiServer ui = parse("--seeds", cluster.seeds(), "admin-ui", "--port", "0", "--token", TOKEN,
                "--require-login").start()) {
            assertThat(ui.config().requireLogin()).isTrue();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui.url() + "api/overview"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
        }
    }

    @Test
    void refusesAShortTokenAndAnEmptyClusterWithUsageErrors() {
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[]{"admin-ui", "--seeds", cluster.seeds(), "--port", "0", "--token", "short"}, null,
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("at least 12 characters");

        StringWriter err2 = new StringWriter();
        int exit2 = Main.run(new String[]{"admin-ui", "--zk", cluster.zkConnect(), "--cluster", "nothing-here", "--port", "0",
                "--token", TOKEN}, null, new PrintWriter(new StringWriter(), true), new PrintWriter(err2, true));
        assertThat(exit2).isEqualTo(2);
        assertThat(err2.toString()).contains("no datanodes are registered in cluster 'nothing-here'");
    }
}
