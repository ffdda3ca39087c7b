package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.chainring.embedded.EmbeddedCluster;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What a {@link ClientListener} hears, against a real embedded cluster; and the periodic refresh and closeAsync. */
@Tag("cluster")
class ClientListenerIT {
    private EmbeddedCluster cluster;
    private final RecordingListener heard = new RecordingListener();

    @BeforeEach
    void start() throws Exception {
        // R=1: these tests rewrite the ring behind the controller (one-node chains) and stop nodes that hold a key alone
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(1).build().start();
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    @Test
    void requestsAndCallsAreReportedWithOpNodeOutcomeAndLatency() {
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).listener(heard).build()) {
            assertThat(heard.of("ringRefreshed")).singleElement()
                    .satisfies(e -> {
                        assertThat(e.cause()).isEqualTo(RingRefreshCause.BOOTSTRAP);
                        assertThat(e.previousEpoch()).isZero();
                        assertThat(e.epoch()).isEqualTo(c.ring().epoch());
                    });
            assertThat(heard.of("requestFinished")).singleElement().satisfies(e -> {
                assertThat(e.op()).isEqualTo("ring");
                assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS);
            });
            heard.clear();

            long v = c.put("k", "v");
            NodeId head = RingChanges.headOf(cluster, c.ring().partitionOf("k".getBytes()));
            List<RecordingListener.Event> put = heard.events();
            assertThat(put).extracting(RecordingListener.Event::type).containsExactly("requestStarted", "requestFinished", "callFinished");
            assertThat(put.get(0).op()).isEqualTo("put");
            assertThat(put.get(0).node()).isEqualTo(head.value());
            assertThat(put.get(1).thread()).as("start and end of a sync request on one thread").isEqualTo(put.get(0).thread());
            assertThat(put.get(1).outcome()).isEqualTo(Outcome.SUCCESS);
            assertThat(put.get(1).nanos()).isPositive();
            assertThat(put.get(2).op()).isEqualTo("put");
            assertThat(put.get(2).nanos()).as("the call includes the request").isGreaterThanOrEqualTo(put.get(1).nanos());
            heard.clear();

            assertThat(c.get("missing")).isEmpty();
            assertThat(heard.of("callFinished")).singleElement().satisfies(e -> {
                assertThat(e.op()).isEqualTo("get");
                assertThat(e.outcome()).as("absent is an answer").isEqualTo(Outcome.SUCCESS);
            });
            heard.clear();

            assertThatThrownBy(() -> c.compareAndSet("k".getBytes(), "w".getBytes(), v + 1000))
                    .isInstanceOf(VersionMismatchException.class);
            assertThat(heard.of("requestFinished")).singleElement()
                    .satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.VERSION_MISMATCH));
            assertThat(heard.of("callFinished")).singleElement().satisfies(e -> {
                assertThat(e.op()).isEqualTo("compareAndSet");
                assertThat(e.outcome()).isEqualTo(Outcome.VERSION_MISMATCH);
            });
            assertThat(heard.of("retrying")).as("a refusal is not retried").isEmpty();
            heard.clear();

            c.multiPut(java.util.Map.of("a".getBytes(), "1".getBytes(), "b".getBytes(), "2".getBytes()));
            c.scan(ScanCursor.start(), 100);
            assertThat(heard.of("callFinished")).extracting(RecordingListener.Event::op).containsExactly("multiPut", "scan");
            assertThat(heard.of("requestFinished")).extracting(RecordingListener.Event::op).contains("multiPut", "scan");
            assertThat(heard.of("requestFinished").stream().filter(e -> e.op().equals("scan")).count())
                    .as("one scan request per partition at least").isGreaterThanOrEqualTo(16);
        }
    }

    @Test
    void aRedirectIsReportedAsARetryAndARingRefresh() throws Exception {
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).listener(heard).build()) {
            byte[] key = "moving".getBytes();
            int p = c.ring().partitionOf(key);
            NodeId oldHead = RingChanges.headOf(cluster, p);
            NodeId newHead = RingChanges.otherThan(cluster, oldHead);
            long before = c.ring().epoch();
            Ring moved = RingChanges.movePartition(cluster, p, newHead);
            heard.clear();

            c.put(key, "v".getBytes());
            List<RecordingListener.Event> finished = heard.of("requestFinished");
            assertThat(finished).extracting(RecordingListener.Event::node, RecordingListener.Event::outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(oldHead.value(), Outcome.STALE_ROUTING),
                            org.assertj.core.groups.Tuple.tuple(newHead.value(), Outcome.SUCCESS));
            assertThat(heard.of("retrying")).singleElement().satisfies(e -> {
                assertThat(e.op()).isEqualTo("put");
                assertThat(e.retry()).isEqualTo(1);
                assertThat(e.outcome()).isEqualTo(Outcome.STALE_ROUTING);
                assertThat(e.nanos()).as("a redirect with a newer ring goes again at once").isZero();
            });
            assertThat(heard.of("ringRefreshed")).anySatisfy(e -> {
                assertThat(e.cause()).isEqualTo(RingRefreshCause.STALE_ROUTING);
                assertThat(e.previousEpoch()).isEqualTo(before);
                assertThat(e.epoch()).isEqualTo(moved.epoch());
            });
            assertThat(heard.of("callFinished")).singleElement().satisfies(e -> assertThat(e.outcome()).isEqualTo(Outcome.SUCCESS));
        }
    }

    @Test
    void aPeriodicRefreshFindsANewRingWithoutAnyRequest() throws Exception {
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).listener(heard)
                .ringRefreshInterval(Duration.ofMillis(200)).build()) {
            await().atMost(Duration.ofSeconds(5)).until(() -> heard.of("ringRefreshed").stream()
                    .anyMatch(e -> e.cause() == RingRefreshCause.PERIODIC));
            long before = c.ring().epoch();
            int p = 3;
            NodeId head = RingChanges.headOf(cluster, p);
            Ring moved = RingChanges.movePartition(cluster, p, RingChanges.otherThan(cluster, head));
            await().atMost(Duration.ofSeconds(5)).until(() -> c.ring().epoch() == moved.epoch());
            assertThat(heard.of("ringRefreshed")).anySatisfy(e -> {
                assertThat(e.cause()).isEqualTo(RingRefreshCause.PERIODIC);
                assertThat(e.previousEpoch()).isEqualTo(before);
                assertThat(e.epoch()).isEqualTo(moved.epoch());
            });
            assertThat(heard.of("callFinished")).as("no call was made").isEmpty();
        }
    }

    @Test
    void failedAttemptsAreReportedAsRetriesWithBackoffAndTheCallsOutcome() throws Exception {
        ClientListener throwing = new ClientListener() {
            @Override
            public void callFinished(String op, Outcome outcome, long latencyNanos) {
                throw new IllegalStateException("a broken listener must not break calls");
            }
        };
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(2))
                .maxRetries(3).listener(ClientListener.composite(heard, throwing)).build()) {
            byte[] key = "on-a-stopped-node".getBytes();
            c.put(key, "v".getBytes());
            NodeId head = RingChanges.headOf(cluster, c.ring().partitionOf(key));
            cluster.stopDatanode(head.value());
            heard.clear();
            UnavailableException e = catchThrowableOfType(UnavailableException.class, () -> c.get(key));
            assertThat(e).isNotNull();
            List<RecordingListener.Event> retries = heard.of("retrying");
            assertThat(retries).extracting(RecordingListener.Event::retry).containsExactly(1, 2, 3);
            assertThat(retries).allSatisfy(r -> {
                assertThat(r.op()).isEqualTo("get");
                assertThat(r.outcome()).isEqualTo(Outcome.CONNECT_FAILED);
                assertThat(r.nanos()).as("backoff").isPositive();
            });
            assertThat(heard.of("requestFinished")).filteredOn(r -> r.op().equals("get"))
                    .hasSize(4).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.CONNECT_FAILED));
            assertThat(heard.of("callFinished")).singleElement().satisfies(r -> assertThat(r.outcome()).isEqualTo(Outcome.UNAVAILABLE));
        }
    }

    @Test
    void closeAsyncCompletesAndLaterCallsFailAtOnce() throws Exception {
        ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).build();
        c.put("x", "y");
        CompletableFuture<Void> closing = c.closeAsync();
        assertThatThrownBy(() -> c.get("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        closing.get(10, TimeUnit.SECONDS);
        assertThat(c.closeAsync()).succeedsWithin(Duration.ofSeconds(1));
        c.close(); // idempotent
    }
}
