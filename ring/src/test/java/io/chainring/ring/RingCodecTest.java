package io.chainring.ring;

import static io.chainring.ring.TestRings.chain;
import static io.chainring.ring.TestRings.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RingCodecTest {

    @Test
    void roundTripsThroughThriftAndBytes() {
        Ring ring = TestRings.sample();
        assertThat(RingCodec.fromThrift(RingCodec.toThrift(ring))).isEqualTo(ring);
        assertThat(RingCodec.fromBytes(RingCodec.toBytes(ring))).isEqualTo(ring);
    }

    @Test
    void keepsZonesStatesAndIpv6Addresses() {
        NodeInfo v6 = new NodeInfo(NodeId.of("v6"), HostPort.parse("[::1]:7101"), "rack-9", NodeState.DECOMMISSIONING);
        Ring ring = Ring.empty("c", 2, 3).next(
                List.of(v6, node("n", "z", NodeState.NEW)), List.of(chain("v6"), chain()));

        Ring back = RingCodec.fromBytes(RingCodec.toBytes(ring));

        assertThat(back).isEqualTo(ring);
        assertThat(back.node(NodeId.of("v6")).orElseThrow()).isEqualTo(v6);
        assertThat(back.partition(0).changedAt()).isEqualTo(1);
    }

    @Test
    void roundTripsAPlannedRing() {
        Ring empty = Ring.empty("big", 256, 3);
        List<NodeInfo> nodes = List.of(node("a", "z1", NodeState.ACTIVE), node("b", "z2", NodeState.ACTIVE),
                node("c", "z3", NodeState.ACTIVE), node("d", "z1", NodeState.JOINING));
        Ring ring = empty.next(nodes, new io.chainring.ring.plan.BalancedPlanner().plan(empty, nodes).orElseThrow().targetChains());
        assertThat(RingCodec.fromBytes(RingCodec.toBytes(ring))).isEqualTo(ring);
    }

    @Test
    void garbageIsAClearError() {
        assertThatThrownBy(() -> RingCodec.fromBytes(new byte[] {(byte) 0xff, 1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot decode ring");
    }
}
