package io.chainring.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.cli.evaluate.ServerProcess;
import io.chainring.client.ChainringClient;
import io.chainring.client.Versioned;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 17: with ZooKeeper already gone, SIGTERM to a datanode took 35-40 s (Curator retried the
 * delete of its live znode with backoff). A datanode and a controller, each a process started as
 * an operator would, must stop cleanly within 5 s of SIGTERM once ZooKeeper is down, and the
 * datanode must come back with its data when everything restarts.
 */
class ShutdownWithoutZooKeeperIT {
    private static final Logger log = LoggerFactory.getLogger(ShutdownWithoutZooKeeperIT.class);
    private static final Duration READY = Duration.ofSeconds(60);
    private static final Duration STOP_BOUND = Duration.ofSeconds(5);
    private static final int KEYS = 200;

    @TempDir
    Path dir;

    private final ProcessGroup processes = new ProcessGroup("shutdown-without-zk");

    @AfterEach
    void stopAll() throws InterruptedException {
        processes.close();
    }

    @Test
    void datanodeAndControllerStopWithinSecondsWithoutZooKeeperAndTheDataSurvives() throws Exception {
        int zkPort = Ports.free();
        String zk = "127.0.0.1:" + zkPort;
        int nodePort = Ports.free();
        String seeds = "127.0.0.1:" + nodePort;
        ServerProcess zookeeper = spawn("zookeeper", "zookeeper", "--port", String.valueOf(zkPort),
                "--data-dir", dir.resolve("zk").toString());
        ServerProcess controller = spawn("controller", "controller", "--zk", zk, "--port", String.valueOf(Ports.free()),
                "--partitions", "16", "--replication", "1", "--auto-join", "--min-nodes", "1");
        ServerProcess datanode = spawn("datanode", "datanode", "--zk", zk, "--id", "n1", "--port", String.valueOf(nodePort),
                "--data-dir", dir.resolve("n1").toString());
        startAll(zookeeper, controller, datanode);
        writeAll(seeds);

        assertThat(zookeeper.stop()).as("zookeeper's exit").isNotNegative();
        // at once, while Curator still hopes to reconnect (the state in which the stop took 35-40 s)
        Duration datanodeStop = timedStop(datanode);
        Duration controllerStop = timedStop(controller);
        log.info("without ZooKeeper: datanode stopped in {} ms, controller in {} ms", datanodeStop.toMillis(), controllerStop.toMillis());
        assertThat(datanodeStop).as("datanode stop without ZooKeeper").isLessThan(STOP_BOUND);
        assertThat(controllerStop).as("controller stop without ZooKeeper").isLessThan(STOP_BOUND);
        assertThat(sinceLastStart(datanode)).as("the datanode closed its storage").contains("datanode n1 stopped");
        assertThat(sinceLastStart(controller)).as("the controller closed").contains("closed");

        startAll(zookeeper, controller, datanode);
        assertAllReadable(seeds);
    }

    private ServerProcess spawn(String name, String... args) {
        return processes.create(name, args);
    }

    private static void startAll(ServerProcess... servers) throws Exception {
        for (ServerProcess s : servers) {
            s.start();
        }
        for (ServerProcess s : servers) {
            s.awaitReady(READY);
        }
    }

    private static Duration timedStop(ServerProcess p) throws InterruptedException {
        long started = System.nanoTime();
        p.stop();
        return Duration.ofNanos(System.nanoTime() - started);
    }

    private static String sinceLastStart(ServerProcess p) throws Exception {
        String out = Files.readString(p.log(), StandardCharsets.UTF_8);
        return out.substring(out.lastIndexOf("---- start "));
    }

    private static byte[] key(int i) {
        return ("key-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static void writeAll(String seeds) {
        // the first ring appears a moment after the datanode registers
        await().atMost(READY).ignoreExceptions().until(() -> {
            try (ChainringClient c = client(seeds)) {
                for (int i = 0; i < KEYS; i++) {
                    c.put(key(i), ("value-" + i).getBytes(StandardCharsets.UTF_8));
                }
                return true;
            }
        });
    }

    private static void assertAllReadable(String seeds) {
        AtomicReference<List<String>> values = new AtomicReference<>();
        await().atMost(READY).ignoreExceptions().until(() -> {
            try (ChainringClient c = client(seeds)) {
                List<String> read = new ArrayList<>();
                for (int i = 0; i < KEYS; i++) {
                    Optional<Versioned> v = c.get(key(i));
                    read.add(v.map(x -> new String(x.value(), StandardCharsets.UTF_8)).orElse(null));
                }
                values.set(read);
                return true;
            }
        });
        for (int i = 0; i < KEYS; i++) {
            assertThat(values.get().get(i)).as("key-%d after the restart", i).isEqualTo("value-" + i);
        }
    }

    private static ChainringClient client(String seeds) {
        return ChainringClient.builder().seeds(seeds).timeout(Duration.ofSeconds(10)).build();
    }
}
