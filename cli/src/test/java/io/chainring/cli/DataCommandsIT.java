package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.embedded.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** put (argument, file, stdin), scan, nodes and status: tables, JSON and exit codes against a real cluster. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class DataCommandsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedCluster cluster;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static CliRun.Result run(String... args) {
        return CliRun.run(cluster.seeds(), null, args);
    }

    private static CliRun.Result runWithStdin(byte[] stdin, String... args) {
        return CliRun.run(cluster.seeds(), stdin, args);
    }

    @Test
    @Order(1)
    void putTakesTheValueFromAnArgumentAFileOrStdin() throws Exception {
        assertThat(run("put", "p/arg", "from an argument").exit()).isZero();
        assertThat(run("get", "p/arg").out().trim()).isEqualTo("from an argument");

        Path file = dir.resolve("value.txt");
        Files.writeString(file, "from a file\nwith two lines");
        CliRun.Result fromFile = run("put", "p/file", "--file", file.toString(), "--json");
        assertThat(fromFile.exit()).isZero();
        JsonNode j = JSON.readTree(fromFile.out());
        assertThat(j.get("key").asText()).isEqualTo("p/file");
        assertThat(j.get("version").asLong()).isPositive();
        assertThat(j.get("bytes").asInt()).isEqualTo(26);
        assertThat(run("get", "p/file").out()).isEqualTo("from a file\nwith two lines" + System.lineSeparator());

        byte[] binary = {0, (byte) 0xff, (byte) 0xfe, 10, 13};
        assertThat(runWithStdin(binary, "put", "p/stdin", "-").exit()).isZero();
        JsonNode got = JSON.readTree(run("scan", "--prefix", "p/stdin", "--json").out());
        assertThat(got.get("valueEncoding").asText()).as("not UTF-8: base64").isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(got.get("value").asText())).isEqualTo(binary);
    }

    @Test
    @Order(2)
    void putRejectsMissingOrConflictingValuesAsUsageErrors() throws Exception {
        CliRun.Result none = run("put", "p/none");
        assertThat(none.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(none.err()).contains("no value").hasLineCount(1);

        Path file = dir.resolve("v");
        Files.writeString(file, "x");
        CliRun.Result both = run("put", "p/both", "v", "--file", file.toString());
        assertThat(both.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(both.err()).contains("not both");

        CliRun.Result missing = run("put", "p/missing", "--file", dir.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such file").doesNotContain("\tat ");

        CliRun.Result noStdin = run("put", "p/x", "-");
        assertThat(noStdin.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(noStdin.err()).contains("no standard input");
        assertThat(run("get", "p/both").exit()).as("nothing was written").isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    @Order(3)
    void scanPrintsATableOrJsonLinesAndContinuesFromItsCursor() throws Exception {
        for (int i = 0; i < 12; i++) {
            assertThat(run("put", String.format("s/%02d", i), "value " + i).exit()).isZero();
        }
        CliRun.Result table = run("scan", "--prefix", "s/");
        assertThat(table.exit()).isZero();
        List<String> lines = table.outLines();
        assertThat(lines.get(0)).matches("KEY\\s+VALUE\\s+VERSION\\s+PARTITION");
        assertThat(lines).hasSize(14).last().isEqualTo("(12 entries)");
        assertThat(table.out()).contains("s/07").contains("value 7");
        assertThat(table.err()).isEmpty();

        CliRun.Result jsonLines = run("scan", "--prefix", "s/", "--json");
        assertThat(jsonLines.outLines()).hasSize(12);
        Set<String> keys = new HashSet<>();
        for (String line : jsonLines.outLines()) {
            JsonNode e = JSON.readTree(line);
            assertThat(e.get("key").asText()).startsWith("s/");
            assertThat(e.get("value").asText()).startsWith("value ");
            assertThat(e.get("version").asLong()).isPositive();
            assertThat(e.get("partition").asInt()).isBetween(0, 15);
            keys.add(e.get("key").asText());
        }
        assertThat(keys).hasSize(12);

        // --limit stops early and says how to continue
        CliRun.Result first = run("scan", "--prefix", "s/", "--limit", "5", "--json");
        assertThat(first.exit()).isZero();
        assertThat(first.outLines()).hasSize(5);
        Matcher m = Pattern.compile("--cursor (\\S+)").matcher(first.err());
        assertThat(m.find()).as(first.err()).isTrue();
        // the hint is a whole command with the options this scan was given
        assertThat(first.err()).contains("continue with: chainring scan --cursor " + m.group(1) + " --limit 5 --json");
        CliRun.Result sameOptions = run("scan", "--prefix", "s/", "--limit", "7", "--json", "--cursor", m.group(1));
        assertThat(sameOptions.exit()).as("the same --prefix again is accepted: " + sameOptions.err()).isZero();
        assertThat(sameOptions.outLines()).hasSize(7);
        CliRun.Result rest = run("scan", "--cursor", m.group(1), "--json", "--read-level", "ONE");
        assertThat(rest.exit()).isZero();
        assertThat(rest.err()).isEmpty();
        List<String> all = new ArrayList<>();
        for (String line : first.outLines()) {
            all.add(JSON.readTree(line).get("key").asText());
        }
        for (String line : rest.outLines()) {
            all.add(JSON.readTree(line).get("key").asText());
        }
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(keys);

        CliRun.Result empty = run("scan", "--prefix", "no-such-prefix/");
        assertThat(empty.exit()).isZero();
        assertThat(empty.outLines()).last().isEqualTo("(0 entries)");
        assertThat(run("scan", "--prefix", "no-such-prefix/", "--json").out()).isEmpty();

        CliRun.Result badCursor = run("scan", "--cursor", "garbage");
        assertThat(badCursor.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(badCursor.err()).contains("not a scan cursor").hasLineCount(1);
        assertThat(run("scan", "--limit", "-1").exit()).isEqualTo(ExitCodes.USAGE);
        CliRun.Result otherPrefix = run("scan", "--cursor", m.group(1), "--prefix", "t/");
        assertThat(otherPrefix.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(otherPrefix.err()).contains("another prefix ('s/')");
    }

    @Test
    @Order(4)
    void readLevelAndWriteAckFlagsAreAcceptedAndChecked() {
        assertThat(run("put", "rl", "v", "--write-ack", "ONE").exit()).isZero();
        assertThat(run("put", "rl", "w", "--write-ack", "majority").exit()).isZero();
        assertThat(run("get", "rl", "--read-level", "MAJORITY").out().trim()).isEqualTo("w");
        assertThat(run("get", "rl", "--read-level", "ONE").out().trim()).isEqualTo("w");
        CliRun.Result bad = run("get", "rl", "--read-level", "SOMETIMES");
        assertThat(bad.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("--read-level");
    }

    @Test
    @Order(5)
    void nodesPrintsATableOrJson() throws Exception {
        CliRun.Result table = run("nodes");
        assertThat(table.exit()).isZero();
        assertThat(table.outLines().get(0)).matches("NODE\\s+ADDRESS\\s+ZONE\\s+STATE\\s+LIVE\\s+PARTITIONS\\s+HEADS\\s+TAILS");
        assertThat(table.outLines()).hasSize(4);
        assertThat(table.out()).contains("n1").contains("n2").contains("n3").contains("ACTIVE").contains("up");

        JsonNode json = JSON.readTree(run("nodes", "--json").out());
        int replication = JSON.readTree(run("status", "--json").out()).get("replication").asInt();
        assertThat(json.get("nodes")).hasSize(3);
        int partitions = 0;
        for (JsonNode n : json.get("nodes")) {
            assertThat(n.get("id").asText()).matches("n[123]");
            assertThat(n.get("address").asText()).startsWith("127.0.0.1:");
            assertThat(n.get("live").asBoolean()).isTrue();
            assertThat(n.get("state").asText()).isEqualTo("ACTIVE");
            partitions += n.get("partitionCount").asInt();
            assertThat(n.has("zone") && n.has("headCount") && n.has("tailCount")).isTrue();
        }
        assertThat(partitions).as("every partition has %d replicas", replication).isEqualTo(16 * replication);
    }

    @Test
    @Order(6)
    void errorsAreOneLineUnlessVerbose() {
        CliRun.Result quiet = CliRun.run("127.0.0.1:1", null, "--timeout", "1", "nodes");
        assertThat(quiet.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(quiet.err()).hasLineCount(1).startsWith("chainring nodes: ");
        CliRun.Result verbose = CliRun.run("127.0.0.1:1", null, "--timeout", "1", "--verbose", "scan");
        assertThat(verbose.exit()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    @Order(7)
    void binaryKeysGoInHexOrBase64AndTextThatIsNotUtf8IsRefused() throws Exception {
        byte[] binary = {0, (byte) 0xff, 'k'};
        assertThat(run("put", "--key-hex", "00ff6b", "binary key").exit()).isZero();
        assertThat(run("get", "--key-base64", Base64.getEncoder().encodeToString(binary)).out().trim()).isEqualTo("binary key");
        assertThat(run("delete", "--key-hex", "00FF6B").out().trim()).isEqualTo("deleted");
        JsonNode absent = JSON.readTree(run("delete", "--key-hex", "00FF6B", "--json").out());
        assertThat(absent.get("existed").asBoolean()).isFalse();
        assertThat(absent.get("key").asText()).as("not UTF-8: base64").isEqualTo(Base64.getEncoder().encodeToString(binary));
        assertThat(absent.get("keyEncoding").asText()).isEqualTo("base64");

        // U+FFFD is what the JVM makes of argument bytes it cannot decode: two different bad keys would collide
        CliRun.Result replaced = run("put", "k\uFFFDx", "v");
        assertThat(replaced.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(replaced.err()).hasLineCount(1).contains("U+FFFD").contains("--key-hex").contains("nothing was sent");
        assertThat(run("get", "--key-hex", "6befbfbd78").exit()).as("nothing written under the replacement").isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(run("put", "lone\uD800", "v").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("put", "k", "value\uFFFD").err()).contains("VALUE is not valid text");
        assertThat(run("get", "--key-hex", "zz").err()).contains("not hexadecimal");
        assertThat(run("get", "--key-hex", "--key-base64", "00").exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    @Order(100)
    void statusExitsThreeWhileANodeIsDown() throws Exception {
        CliRun.Result healthy = run("status", "--json");
        assertThat(healthy.exit()).isZero();
        assertThat(JSON.readTree(healthy.out()).get("healthy").asBoolean()).isTrue();
        cluster.stopDatanode("n2");
        await().atMost(Duration.ofSeconds(20)).until(() -> run("status").exit() == ExitCodes.UNAVAILABLE);
        CliRun.Result down = run("status");
        assertThat(down.out()).contains("DOWN");
        // the node is down while it holds partitions, or (once chains were repaired without it) they lack a replica
        assertThat(down.err()).contains("cluster unhealthy").containsAnyOf("down: n2", "fewer than");
        JsonNode json = JSON.readTree(run("status", "--json").out());
        assertThat(json.get("healthy").asBoolean()).isFalse();
        assertThat(json.get("problems")).isNotEmpty();
        CliRun.Result nodes = run("nodes", "--json");
        assertThat(nodes.exit()).as("a listing, not a health check").isZero();
        assertThat(nodes.out()).contains("\"live\":false");
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
