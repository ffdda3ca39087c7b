package io.chainring.adminui.cluster;

import static io.chainring.adminui.cluster.Snapshots.node;
import static io.chainring.adminui.cluster.Snapshots.nodeStatus;
import static io.chainring.adminui.cluster.Snapshots.ring;
import static io.chainring.adminui.cluster.Snapshots.snapshot;
import static io.chainring.adminui.cluster.Snapshots.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.chainring.client.RingSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WriteRatesTest {
    private final RingSnapshot ring = ring(1, 1, List.of(node("n1", 1, "ACTIVE"), node("n2", 2, "ACTIVE")),
            List.of(List.of("n1"), List.of("n2"), List.of("n1")));

    private static NodeReport report(String id, long at, long... lsnOfPartition) {
        List<NodeReport.PartitionStat> ps = new java.util.ArrayList<>();
        for (int i = 0; i < lsnOfPartition.length; i += 2) {
            ps.add(new NodeReport.PartitionStat((int) lsnOfPartition[i], 0, 0, lsnOfPartition[i + 1], lsnOfPartition[i + 1], 0, 0));
        }
        return NodeReport.ok(id, Instant.ofEpochMilli(at), Duration.ofMillis(3),
                new NodeReport.Stats(id, "a", 1, true, 0, 0, "write_no_sync", ps));
    }

    private ClusterSnapshot at(long millis, NodeReport... reports) {
        Map<String, NodeReport> m = new java.util.HashMap<>();
        for (NodeReport r : reports) {
            m.put(r.nodeId(), r);
        }
        return snapshot(Instant.ofEpochMilli(millis), status("c:1", nodeStatus("n1", true), nodeStatus("n2", true)), ring, m);
    }

    @Test
    void ratesFromLsnGrowthPerHeadAndInTotal() {
        WriteRates rates = new WriteRates(10);
        rates.observe(at(0, report("n1", 0, 0, 100, 2, 50), report("n2", 0, 1, 10)));
        assertThat(rates.points()).as("the first poll only sets the baseline").isEmpty();

        rates.observe(at(2000, report("n1", 2000, 0, 140, 2, 60), report("n2", 2000, 1, 30)));

        WriteRates.Point p = rates.latest();
        assertThat(p.writesPerSec()).isCloseTo(35.0, within(1e-9)); // (40 + 10 + 20) / 2 s
        assertThat(p.byHead()).containsEntry("n1", 25.0).containsEntry("n2", 10.0);
        assertThat(p.statsRttMillis()).containsEntry("n1", 3.0);
    }

    @Test
    void aNodeThatMissesAPollKeepsItsOwnBaseline() {
        WriteRates rates = new WriteRates(10);
        rates.observe(at(0, report("n1", 0, 0, 0, 2, 0), report("n2", 0, 1, 0)));
        rates.observe(at(1000, report("n1", 1000, 0, 10, 2, 0))); // n2 silent
        rates.observe(at(2000, report("n1", 2000, 0, 20, 2, 0), report("n2", 2000, 1, 40)));

        assertThat(rates.latest().byHead()).containsEntry("n2", 20.0); // 40 over its own 2 s, not over 1 s
        assertThat(rates.points()).hasSize(2);
    }

    @Test
    void boundedAndNeverNegative() {
        WriteRates rates = new WriteRates(2);
        rates.observe(at(0, report("n1", 0, 0, 100)));
        rates.observe(at(1000, report("n1", 1000, 0, 50))); // a replaced replica restarting its count
        rates.observe(at(2000, report("n1", 2000, 0, 60)));
        rates.observe(at(3000, report("n1", 3000, 0, 70)));
        assertThat(rates.points()).hasSize(2);
        assertThat(rates.points()).allSatisfy(p -> assertThat(p.writesPerSec()).isGreaterThanOrEqualTo(0));
    }

    private static NodeReport requests(String id, long at, Long total, Long p99Micros) {
        return NodeReport.ok(id, Instant.ofEpochMilli(at), Duration.ofMillis(1), new NodeReport.Stats(id, "a", 1, true, 0,
                0, "write_no_sync", List.of(new NodeReport.PartitionStat(0, 0, 0, 0, 0, 0, 0)), total, p99Micros));
    }

    @Test
    void opsPerSecondFromEachNodesRequestCounterAndItsP99() {
        WriteRates rates = new WriteRates(10);
        rates.observe(at(0, requests("n1", 0, 1000L, 800L), requests("n2", 0, null, null)));
        rates.observe(at(500, requests("n1", 500, 1600L, 1500L), requests("n2", 500, null, null)));

        WriteRates.Point p = rates.latest();
        assertThat(p.opsByNode()).containsOnlyKeys("n1").containsEntry("n1", 1200.0); // 600 in 0.5 s
        assertThat(p.opsPerSec()).isEqualTo(1200.0);
        assertThat(p.p99MillisByNode()).containsOnlyKeys("n1").containsEntry("n1", 1.5);

        // n1 restarted: its counter went down, so no rate this once; then it counts from the new baseline
        rates.observe(at(1000, requests("n1", 1000, 10L, 900L), requests("n2", 1000, null, null)));
        assertThat(rates.latest().opsByNode()).isEmpty();
        assertThat(rates.latest().opsPerSec()).as("no node reports a rate").isNull();
        rates.observe(at(2000, requests("n1", 2000, 110L, 900L), requests("n2", 2000, null, null)));
        assertThat(rates.latest().opsByNode()).containsEntry("n1", 100.0);
    }

    private static NodeReport heads(String id, long at, NodeReport.PartitionStat... parts) {
        return NodeReport.ok(id, Instant.ofEpochMilli(at), Duration.ofMillis(1), new NodeReport.Stats(id, "a", 1, true, 0,
                0, "write_no_sync", List.of(parts), null, null));
    }

    @Test
    void replicationLagOfTheWorstPartitionEachNodeHeads() {
        WriteRates rates = new WriteRates(10);
        // partition, position (0 = head), keys, lastLsn, committedLsn, inFlight, oldestInFlightMillis
        rates.observe(at(0, heads("n1", 0, new NodeReport.PartitionStat(0, 0, 0, 10, 10, 0, 0))));
        rates.observe(at(1000, heads("n1", 1000,
                new NodeReport.PartitionStat(0, 0, 0, 50, 20, 30, 480),  // a slow tail: 30 LSNs, 480 ms behind
                new NodeReport.PartitionStat(1, 0, 0, 9, 9, 0, 0),
                new NodeReport.PartitionStat(2, 1, 0, 99, 0, 99, 9000)), // not the head: its lag is its head's
                heads("n2", 1000, new NodeReport.PartitionStat(3, 0, 0, 5, 5, 0, 0))));
        WriteRates.Point p = rates.latest();
        assertThat(p.lagLsnsByHead()).containsEntry("n1", 30.0).containsEntry("n2", 0.0);
        assertThat(p.lagMillisByHead()).containsEntry("n1", 480.0).containsEntry("n2", 0.0);
    }
}
