package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static io.chainring.datanode.chain.ChainReplicationTest.partition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.chainring.ring.Ring;
import io.chainring.thrift.PutResult;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.WriteAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drop step of a planned head move (DESIGN §7): a ring change drops the live head n1 while
 * client writes wait for acks there. Writes that reached n2 (the new head) complete once
 * committed; writes only n1 applied are refused as not applied (Unavailable); no write has an
 * unknown outcome, and every acknowledged write is at the new tail.
 */
@Tag("cluster")
class HeadHandoffTest {
    private static final int PARTITION = 0;
    private static final int FORWARDED = 6;
    private static final int STUCK = 6;

    @TempDir
    Path dir;
    ChainCluster cluster;
    ExecutorService writers;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withWriteTimeout(Duration.ofSeconds(20)));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
        writers = Executors.newFixedThreadPool(FORWARDED + STUCK + 2);
    }

    @AfterEach
    void stop() throws Exception {
        writers.shutdownNow();
        cluster.close();
    }

    /** What one client write ended with. */
    record Outcome(byte[] key, long version, Throwable error) {
    }

    @Test
    void writesWaitingAtADroppedHeadCompleteOrAreRefusedAsNotApplied() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        try (NodeClient n1 = cluster.client("n1"); NodeClient n2 = cluster.client("n2"); NodeClient n3 = cluster.client("n3")) {
            n1.kv.put(ring.epoch(), buf(keyIn(ring, PARTITION, 100)), buf("before"), WriteAck.ALL);
            long base = partition(n1.admin.stats(), PARTITION).getLastLsn();

            // the tail holds the stream: these reach n2 and wait at n1 for ALL
            cluster.faults("n3").pauseApply();
            List<CompletableFuture<Outcome>> forwarded = new ArrayList<>();
            for (int i = 0; i < FORWARDED; i++) {
                forwarded.add(put(ring, i, i % 2 == 0 ? WriteAck.ALL : WriteAck.MAJORITY));
            }
            await().atMost(WAIT).until(() -> partition(n2.admin.stats(), PARTITION).getAppliedLsn() == base + FORWARDED);
            // n2 holds it too: these stay at n1 alone, one of them a compare-and-set
            cluster.faults("n2").pauseApply();
            List<CompletableFuture<Outcome>> stuck = new ArrayList<>();
            for (int i = 0; i < STUCK - 1; i++) {
                stuck.add(put(ring, FORWARDED + i, WriteAck.ALL));
            }
            stuck.add(cas(ring, FORWARDED + STUCK - 1));
            await().atMost(WAIT).until(() -> partition(n1.admin.stats(), PARTITION).getLastLsn() == base + FORWARDED + STUCK);
            for (int i = 0; i < FORWARDED; i += 2) {
                assertThat(forwarded.get(i)).as("an ALL write waits for the held tail").isNotDone();
            }

            // the planned drop of the head
            Ring dropped = cluster.publishAll(List.of("n2", "n3"), List.of());
            cluster.faults("n2").resumeApply();
            cluster.faults("n3").resumeApply();

            for (CompletableFuture<Outcome> f : forwarded) {
                Outcome o = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(o.error()).as("a forwarded write completes").isNull();
                assertThat(o.version()).isBetween(base + 1, base + FORWARDED);
                GetResult atTail = n3.kv.get(dropped.epoch(), buf(o.key()), ReadLevel.LINEARIZABLE);
                assertThat(atTail.isFound()).isTrue();
                assertThat(atTail.getVersion()).as("acknowledged write at the new tail").isEqualTo(o.version());
            }
            for (CompletableFuture<Outcome> f : stuck) {
                Outcome o = f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertThat(o.error()).as("a write only the dropped head applied is refused as not applied")
                        .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.getMessage()).contains("nothing was applied"));
                assertThat(n3.kv.get(dropped.epoch(), buf(o.key()), ReadLevel.LINEARIZABLE).isFound()).isFalse();
            }
            // the new head writes on, and a refused write can simply be retried there
            Outcome retried = put(dropped, n2, FORWARDED, WriteAck.ALL);
            assertThat(retried.error()).isNull();
            assertThat(retried.version()).isEqualTo(base + FORWARDED + 1);
            // n1 is no longer the head: its handoff question is refused by n1 itself
            try {
                n1.replication.handoff(dropped.epoch(), PARTITION);
                throw new AssertionError("n1 answered a handoff as head");
            } catch (StaleRouting expected) {
                assertThat(expected.getMessage()).contains("not the head");
            }
            assertThat(n2.replication.handoff(dropped.epoch(), PARTITION).getHeadFromLsn()).isEqualTo(base + FORWARDED);
        }
    }

    private CompletableFuture<Outcome> put(Ring ring, int nth, WriteAck ack) {
        return CompletableFuture.supplyAsync(() -> {
            try (NodeClient c = cluster.client("n1")) {
                return put(ring, c, nth, ack);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, writers);
    }

    private static Outcome put(Ring ring, NodeClient c, int nth, WriteAck ack) {
        byte[] key = keyIn(ring, PARTITION, nth);
        try {
            return new Outcome(key, c.kv.put(ring.epoch(), buf(key), buf("value-" + nth), ack).getVersion(), null);
        } catch (TException e) {
            return new Outcome(key, 0, e);
        }
    }

    private CompletableFuture<Outcome> cas(Ring ring, int nth) {
        return CompletableFuture.supplyAsync(() -> {
            byte[] key = keyIn(ring, PARTITION, nth);
            try (NodeClient c = cluster.client("n1")) {
                PutResult r = c.kv.compareAndSet(ring.epoch(), buf(key), buf("cas-" + nth), 0, "cas-" + nth);
                return new Outcome(key, r.getVersion(), null);
            } catch (TException e) {
                return new Outcome(key, 0, e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, writers);
    }
}
