package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.chainring.datanode.Datanode;
import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Ring changes and node failures seen by clients that cached an older ring. One cluster per test. */
@Tag("cluster")
class ClientRoutingIT {
    private EmbeddedCluster cluster;

    @BeforeEach
    void start() throws Exception {
        // R=1: these tests rewrite the ring behind the controller (one-node chains) and stop nodes that hold a key alone
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(1).build().start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Ring movePartition(int partition, NodeId to) throws Exception {
        return RingChanges.movePartition(cluster, partition, to);
    }

    @Test
    void aStaleRingIsReplacedByTheOneTheNodeSendsAndTheCallSucceeds() throws Exception {
        try (ChainringClient noRetries = ChainringClient.builder().seeds(cluster.seeds()).maxRetries(0).build();
             ChainringClient old = ChainringClient.builder().seeds(cluster.seeds()).build();
             ChainringClient oldReader = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            long before = old.ring().epoch();
            byte[] key = bytes("moving-key");
            int p = old.ring().partitionOf(key);
            Datanode anyNode = cluster.datanodes().get(0);
            NodeId head = anyNode.ring().orElseThrow().partition(p).chain().head();
            NodeId to = cluster.datanodeIds().stream().filter(id -> !id.equals(head)).findFirst().orElseThrow();

            Ring moved = movePartition(p, to);
            assertThat(moved.partition(p).changedAt()).isGreaterThan(before);
            assertThat(old.ring().epoch()).as("nothing told the idle clients yet").isEqualTo(before);

            // the old head refuses: the client's epoch predates the partition's chain
            StaleRoutingException stale = catchThrowableOfType(StaleRoutingException.class,
                    () -> noRetries.put(key, bytes("never")));
            assertThat(stale).isNotNull();
            assertThat(stale.mayHaveBeenApplied()).isFalse();
            assertThat(stale.getMessage()).contains(head.value()).contains("older than partition " + p);

            // with retries: install the ring the refusal carried, go to the new head
            long v = old.put(key, bytes("moved"));
            assertThat(old.ring().epoch()).isEqualTo(moved.epoch());
            assertThat(oldReader.get(key)).contains(new Versioned(bytes("moved"), v));
            assertThat(oldReader.ring().epoch()).isEqualTo(moved.epoch());
            try (ChainringClient fresh = ChainringClient.builder().seeds(cluster.seeds()).build()) {
                assertThat(fresh.get(key)).contains(new Versioned(bytes("moved"), v));
            }
        }
    }

    @Test
    void answersWithANewerEpochRefreshTheRingInTheBackground() throws Exception {
        try (ChainringClient client = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            long before = client.ring().epoch();
            byte[] key = bytes("unmoved");
            int p = client.ring().partitionOf(key);
            // move some other partition: requests for this key stay valid, but carry the new epoch
            int other = (p + 1) % client.ring().partitionCount();
            NodeId otherHead = cluster.datanodes().get(0).ring().orElseThrow().partition(other).chain().head();
            NodeId to = cluster.datanodeIds().stream().filter(id -> !id.equals(otherHead)).findFirst().orElseThrow();
            Ring moved = movePartition(other, to);

            client.put(key, bytes("v"));
            await().atMost(Duration.ofSeconds(10)).until(() -> client.ring().epoch() == moved.epoch());
            assertThat(client.ring().epoch()).isGreaterThan(before);
        }
    }

    @Test
    void aStoppedNodesKeysAreUnavailableThenServedAgainAfterItsRestart() throws Exception {
        try (ChainringClient client = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(3)).build()) {
            byte[] key = bytes("on-a-stopped-node");
            long v = client.put(key, bytes("kept"));
            NodeId head = cluster.datanodes().get(0).ring().orElseThrow().partition(client.ring().partitionOf(key)).chain().head();
            cluster.stopDatanode(head.value());
            try {
                long start = System.nanoTime();
                UnavailableException read = catchThrowableOfType(UnavailableException.class, () -> client.get(key));
                assertThat(read).isNotNull();
                assertThat(read.getMessage()).contains(head.value()).contains("connection refused");
                UnavailableException write = catchThrowableOfType(UnavailableException.class, () -> client.put(key, bytes("x")));
                assertThat(write).isNotNull();
                assertThat(write.mayHaveBeenApplied()).isFalse();
                assertThat((System.nanoTime() - start) / 1_000_000).as("two calls, each within its 3 s deadline").isLessThan(6_000);
                // keys on other nodes are unaffected
                byte[] elsewhere = keyNotOn(client, head);
                assertThat(client.put(elsewhere, bytes("fine"))).isPositive();
            } finally {
                cluster.restartDatanode(head.value());
                cluster.awaitServing(Duration.ofSeconds(30));
            }
            assertThat(client.get(key)).contains(new Versioned(bytes("kept"), v));
            assertThat(client.put(key, bytes("again"))).isGreaterThan(v);
        }
    }

    @Test
    void withEveryDatanodeDownCallsFailClearlyWithinTheirDeadline() throws Exception {
        String seeds = cluster.seeds();
        try (ChainringClient client = ChainringClient.builder().seeds(seeds).timeout(Duration.ofSeconds(4)).build()) {
            client.put(bytes("k"), bytes("v"));
            for (NodeId id : cluster.datanodeIds()) {
                cluster.stopDatanode(id.value());
            }
            long start = System.nanoTime();
            UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> client.put(bytes("k"), bytes("w")));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(e).isNotNull();
            assertThat(e.mayHaveBeenApplied()).isFalse();
            assertThat(e.getMessage()).contains("connection refused");
            assertThat(millis).isLessThan(4_000);
            assertThat(catchThrowableOfType(UnavailableException.class, () -> client.get(bytes("k")))).isNotNull();

            // a new client cannot even bootstrap, and says which seeds it tried
            UnavailableException boot = catchThrowableOfType(UnavailableException.class,
                    () -> ChainringClient.builder().seeds(seeds).build());
            assertThat(boot.getMessage()).startsWith("no seed reachable: ").contains(seeds.split(",")[0] + " (connection refused)");
        }
    }

    /** A key whose partition the node does not hold. */
    private byte[] keyNotOn(ChainringClient client, NodeId node) {
        Ring ring = cluster.datanodes().get(0).ring().orElseThrow();
        for (int i = 0; i < 10_000; i++) {
            byte[] k = bytes("elsewhere-" + i);
            if (!ring.partition(client.ring().partitionOf(k)).chain().contains(node)) {
                return k;
            }
        }
        throw new IllegalStateException("every partition is on " + node);
    }
}
