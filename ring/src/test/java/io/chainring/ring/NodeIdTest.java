package io.chainring.ring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"a", "n1", "node-01", "dc1.rack2.node_3", "9",
        "A234567890123456789012345678901234567890123456789012345678901234"})
    void accepts(String id) {
        assertThat(NodeId.of(id).value()).isEqualTo(id);
        assertThat(NodeId.of(id)).hasToString(id);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"", "-node", ".node", "_node", "node 1", "node/1", "nœud", "a:b", " a"})
    void rejects(String id) {
        assertThatThrownBy(() -> NodeId.of(id)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid node id");
    }

    @Test
    void rejectsOverlongAndNull() {
        assertThatThrownBy(() -> NodeId.of("a".repeat(65))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeId.of(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void ordersByValue() {
        TreeSet<NodeId> ids = new TreeSet<>(List.of(NodeId.of("b"), NodeId.of("a10"), NodeId.of("a2")));
        assertThat(ids).extracting(NodeId::value).containsExactly("a10", "a2", "b");
    }
}
