package io.chainring.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.adminui.AdminUiServer;
import io.chainring.cli.ExitCodes;
import io.chainring.cli.Main;
import io.chainring.embedded.EmbeddedCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code chainring status} and the admin UI give the same verdict from the same rule: both ok on a
 * healthy cluster, both degraded once a datanode is stopped (within the session timeout), and
 * {@code status} exits 3 exactly then.
 */
@Tag("cluster")
class HealthAgreementIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Status(int exit, String health) {
    }

    private static Status status(String seeds) throws Exception {
        StringWriter out = new StringWriter();
        int exit = Main.run(new String[] {"--seeds", seeds, "status", "--json"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        return new Status(exit, JSON.readTree(out.toString()).get("health").asText());
    }

    private static String uiHealth(AdminUiServer ui) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(ui.url() + "api/overview"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode o = JSON.readTree(r.body());
        return o.get("health").asText();
    }

    @Test
    void statusAndTheAdminUiAgreeBeforeAndAfterANodeStops() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(8).sessionTimeout(Duration.ofSeconds(4))
                .build().start()) {
            CommandLine cli = new CommandLine(new Main());
            AdminUiCommand command = (AdminUiCommand) cli.parseArgs("--seeds", cluster.seeds(), "admin-ui", "--port", "0",
                    "--token", "health-test-token-0123456789").subcommand().commandSpec().userObject();
            try (AdminUiServer ui = command.start()) {
                await().atMost(Duration.ofSeconds(30)).until(() -> "ok".equals(uiHealth(ui)));
                assertThat(status(cluster.seeds())).isEqualTo(new Status(ExitCodes.OK, "ok"));

                cluster.stopDatanode("n2");
                // the UI polls; both must reach the same verdict, and status fails while the UI says degraded
                await().atMost(Duration.ofSeconds(30)).until(() -> !"ok".equals(uiHealth(ui)) && status(cluster.seeds()).exit() != 0);
                String ui1 = uiHealth(ui);
                Status s = status(cluster.seeds());
                assertThat(ui1).isEqualTo("degraded");
                assertThat(s).isEqualTo(new Status(ExitCodes.UNAVAILABLE, "degraded"));
            }
        }
    }
}
