package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.chainring.embedded.EmbeddedCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every data and cluster command's {@code --json} parsed and held to the shapes table of
 * docs/CLI.md (the rebalancing commands' shapes are checked in {@link RebalanceCommandsIT}, which
 * has a node to add): the field names, numbers where counts are, lists where plurals are.
 */
@Tag("cluster")
class JsonShapesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddedCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(8).build().start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static JsonNode json(int exit, String... args) throws Exception {
        CliRun.Result r = CliRun.run(cluster.seeds(), null, args);
        assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.err()).isEqualTo(exit);
        return JSON.readTree(r.out());
    }

    @Test
    void dataCommands() throws Exception {
        JsonNode put = json(0, "put", "shape", "v1", "--json");
        JsonShapes.check("put", put);
        long v = put.get("version").asLong();
        JsonShapes.check("get", json(0, "get", "shape", "--json"));
        JsonShapes.check("get", json(1, "get", "no-shape", "--json"));
        JsonShapes.check("get", json(0, "get", "--key-hex", "7368617065", "--json"));
        JsonShapes.check("cas", json(0, "cas", "shape", "v2", String.valueOf(v), "--json"));
        JsonShapes.check("cas (mismatch)", json(1, "cas", "shape", "v3", String.valueOf(v), "--json"));
        JsonShapes.check("put", json(0, "put", "--key-hex", "00ff", "00ff", "--value-hex", "--json"));
        CliRun.Result scan = CliRun.run(cluster.seeds(), null, "scan", "--json");
        assertThat(scan.outLines()).hasSize(2);
        for (String line : scan.outLines()) {
            JsonShapes.check("scan", JSON.readTree(line));
        }
        CliRun.Result keys = CliRun.run(cluster.seeds(), null, "scan", "--json", "--keys-only");
        assertThat(keys.outLines()).hasSize(2);
        for (String line : keys.outLines()) {
            JsonShapes.check("scan --keys-only", JSON.readTree(line));
        }
        CliRun.Result keysTable = CliRun.run(cluster.seeds(), null, "scan", "--keys-only");
        assertThat(keysTable.outLines().get(0)).matches("KEY\\s+VERSION\\s+PARTITION");
        assertThat(keysTable.out()).contains("shape").doesNotContain("v2");
        JsonShapes.check("delete", json(0, "delete", "shape", "--json"));
        JsonShapes.check("delete", json(1, "delete", "shape", "--json"));
    }

    @Test
    void clusterCommands() throws Exception {
        JsonNode status = json(0, "status", "--json");
        JsonShapes.check("status", status);
        JsonShapes.checkEach("status", status, "nodes");
        for (JsonNode n : status.get("nodes")) {
            JsonShapes.check("status .nodes[].replication", n.get("replication"));
        }
        JsonShapes.checkEach("status", status, "replicationLag");
        assertThat(status.get("health").asText()).isEqualTo("ok");

        JsonNode ring = json(0, "ring", "--json");
        JsonShapes.check("ring", ring);
        JsonShapes.checkEach("ring", ring, "nodes");
        JsonShapes.checkEach("ring", ring, "partitions");
        assertThat(ring.get("partitions")).hasSize(ring.get("partitionCount").asInt());

        JsonNode nodes = json(0, "nodes", "--json");
        JsonShapes.check("nodes", nodes);
        JsonShapes.checkEach("nodes", nodes, "nodes");

        JsonShapes.check("throttle", json(0, "throttle", "--json"));
        JsonNode migrations = json(0, "migrations", "--json");
        JsonShapes.check("migrations", migrations);
        JsonShapes.check("migrations .repair", migrations.get("repair"));
        JsonShapes.check("plan", json(0, "plan", "--json"));
    }
}
