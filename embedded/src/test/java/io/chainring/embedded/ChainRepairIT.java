package io.chainring.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.ReadLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DESIGN §6.4 end to end: 4 datanodes, R = 3. While a writer puts with ALL acks, the head, then
 * a middle node, then the tail of partition 0's chain are killed in turn (each restarted once its
 * chains are whole again). Every chain must be back to R replicas within a bounded time (logged),
 * and every acknowledged write must read back at the end, from the tail and from every replica.
 */
@Tag("cluster")
class ChainRepairIT {
    private static final Logger log = LoggerFactory.getLogger(ChainRepairIT.class);
    private static final Duration REPAIR_BOUND = Duration.ofSeconds(30);
    private static final Duration PER_WRITE = Duration.ofSeconds(30);

    @Test
    void killingHeadMiddleAndTailLosesNoAcknowledgedWriteAndChainsHeal() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(4).partitions(8).build().start()) {
            assertThat(cluster.replication()).isEqualTo(3);
            cluster.awaitFullChains(Duration.ofSeconds(30));

            Map<String, String> acked = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger unknown = new AtomicInteger();
            AtomicReference<Throwable> writerFailure = new AtomicReference<>();
            Thread writer = new Thread(() -> write(cluster, acked, unknown, stop, writerFailure), "writer");
            writer.start();
            try {
                awaitAcked(acked, 50, writerFailure);
                List<String> report = new ArrayList<>();
                for (String role : List.of("head", "middle", "tail")) {
                    Ring before = cluster.awaitFullChains(REPAIR_BOUND);
                    Chain chain = before.partition(0).chain();
                    NodeId victim = switch (role) {
                        case "head" -> chain.head();
                        case "tail" -> chain.tail();
                        default -> chain.members().get(1);
                    };
                    int ackedBefore = acked.size();
                    long killed = System.nanoTime();
                    cluster.killDatanode(victim.value());
                    Ring after = cluster.awaitFullChains(REPAIR_BOUND.plusSeconds(30));
                    Duration took = Duration.ofNanos(System.nanoTime() - killed);
                    String line = String.format("killed %s %s of p0 %s: every chain back to %d replicas in %d ms "
                            + "(epoch %d -> %d, %d writes acked meanwhile)", role, victim, chain, after.replication(),
                            took.toMillis(), before.epoch(), after.epoch(), acked.size() - ackedBefore);
                    log.info(line);
                    report.add(line);
                    assertThat(after.partitionsInvolving(victim)).isEmpty();
                    assertThat(took).as(line).isLessThan(REPAIR_BOUND);

                    cluster.restartDatanode(victim.value());
                    cluster.awaitServing(Duration.ofSeconds(30));
                    awaitAcked(acked, acked.size() + 20, writerFailure);
                }
                report.forEach(l -> log.info("repair summary: {}", l));
            } finally {
                stop.set(true);
                writer.join(PER_WRITE.toMillis() + 5_000);
            }
            assertThat(writerFailure.get()).as("writer").isNull();
            assertThat(writer.isAlive()).isFalse();
            log.info("{} writes acknowledged, {} with unknown outcome", acked.size(), unknown.get());

            Ring ring = cluster.awaitFullChains(REPAIR_BOUND);
            verifyEveryAckedWrite(cluster, ring, acked);
        }
    }

    /** Puts k-0, k-1, ... with ALL acks, each retried (same value, so a retry is harmless) until acked or timed out. */
    private static void write(EmbeddedCluster cluster, Map<String, String> acked, AtomicInteger unknown,
                              AtomicBoolean stop, AtomicReference<Throwable> failure) {
        try (RawKv kv = new RawKv(cluster::ring)) {
            for (int i = 0; !stop.get(); i++) {
                String key = "k-" + i;
                String value = "v-" + i;
                long deadline = System.nanoTime() + PER_WRITE.toNanos();
                boolean done = false;
                while (!done && !stop.get() && System.nanoTime() < deadline) {
                    try {
                        kv.put(key, value);
                        acked.put(key, value);
                        done = true;
                    } catch (InvalidRequest e) {
                        throw new AssertionError("put " + key + " refused as invalid: " + e.getMessage(), e);
                    } catch (TException | RuntimeException e) {
                        // stale routing, not serving, unavailable, a killed node: retry on a fresh ring
                        Thread.sleep(20);
                    }
                }
                if (!done) {
                    unknown.incrementAndGet();
                }
            }
        } catch (Throwable t) {
            failure.set(t);
        }
    }

    private static void awaitAcked(Map<String, String> acked, int count, AtomicReference<Throwable> failure)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acked.size() < count) {
            assertThat(failure.get()).as("writer").isNull();
            assertThat(System.nanoTime()).as("only %d of %d writes acked within 60 s", acked.size(), count)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Every acked value reads back LINEARIZABLE at the tail and ONE at every chain member. */
    private static void verifyEveryAckedWrite(EmbeddedCluster cluster, Ring ring, Map<String, String> acked) throws Exception {
        try (RawKv kv = new RawKv(() -> Optional.of(ring))) {
            List<String> lost = new ArrayList<>();
            for (Map.Entry<String, String> e : acked.entrySet()) {
                if (!readBack(kv, ring, e.getKey(), e.getValue())) {
                    lost.add(e.getKey());
                }
            }
            assertThat(lost).as("acknowledged writes that do not read back (of %d)", acked.size()).isEmpty();
        }
    }

    private static boolean readBack(RawKv kv, Ring ring, String key, String value) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                boolean ok = kv.get(key, -1, ReadLevel.LINEARIZABLE).equals(Optional.of(value));
                for (NodeId member : ring.partitionFor(RawKv.bytes(key)).chain().members()) {
                    ok &= kv.getAt(ring, member, key, ReadLevel.ONE).equals(Optional.of(value));
                }
                if (ok || System.nanoTime() > deadline) {
                    return ok;
                }
            } catch (TException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }
}
