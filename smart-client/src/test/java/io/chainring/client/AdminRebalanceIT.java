package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.embedded.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@link AdminClient}'s rebalancing calls against a real embedded cluster: a NEW node is
 * previewed, added and filled; the throttle is set and read; a wrong token and a stale or
 * concurrent plan are refused with the right exceptions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Tag("cluster")
class AdminRebalanceIT {
    private static final String TOKEN = "admin-rebalance-it-token";
    private static EmbeddedCluster cluster;
    private static AdminClient admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(2).adminToken(TOKEN).build().start();
        admin = AdminClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(10)).build();
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            for (int i = 0; i < 300; i++) {
                c.put(("key-" + i).getBytes(StandardCharsets.UTF_8), ("value-" + i).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @AfterAll
    static void stop() {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void throttleIsSetAndReadBackAndAWrongTokenIsRefused() {
        assertThat(admin.setThrottle(TOKEN, 20_000_000)).isEqualTo(20_000_000);
        assertThat(admin.migrations().throttleBytesPerSecond()).isEqualTo(20_000_000);
        UnauthorizedException e = org.assertj.core.api.Assertions.catchThrowableOfType(UnauthorizedException.class,
                () -> admin.setThrottle("not-the-token", 1));
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.mayHaveBeenApplied()).isFalse();
        assertThat(admin.migrations().throttleBytesPerSecond()).isEqualTo(20_000_000);
        assertThatThrownBy(() -> admin.setThrottle(TOKEN, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Order(2)
    void unknownNodesAndEmptyListsAreRefused() {
        assertThatThrownBy(() -> admin.previewPlan(PlanAction.ADD, List.of("no-such-node")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-node");
        assertThatThrownBy(() -> admin.previewPlan(PlanAction.ADD, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> admin.pausePlan(TOKEN)).isInstanceOf(ConflictException.class);
    }

    @Test
    @Order(3)
    void aNewNodeIsPreviewedAddedAndFilled() throws Exception {
        String n4 = cluster.addDatanode().value();
        await().atMost(Duration.ofSeconds(20)).until(() -> admin.status().node(n4).isPresent());
        assertThat(admin.status().node(n4).orElseThrow().state()).isEqualTo("NEW");

        PlanPreview preview = admin.previewPlan(PlanAction.ADD, List.of(n4));
        assertThat(preview.action()).isEqualTo(PlanAction.ADD);
        assertThat(preview.nodes()).containsExactly(n4);
        assertThat(preview.moves()).isNotEmpty().allSatisfy(m -> assertThat(m.to()).contains(n4));
        assertThat(preview.moves()).hasSize(preview.lowerBound());
        PlanPreview.Balance newNode = preview.balance().stream().filter(b -> b.node().equals(n4)).findFirst().orElseThrow();
        assertThat(newNode.replicasBefore()).isZero();
        assertThat(newNode.replicasAfter()).isEqualTo(preview.moves().size());

        assertThatThrownBy(() -> admin.executePlan("wrong-token-wrong", preview)).isInstanceOf(UnauthorizedException.class);

        PlanInfo plan = admin.executePlan(TOKEN, preview);
        assertThat(plan.id()).isEqualTo(preview.planId());
        assertThat(plan.movesPlanned()).isEqualTo(preview.moves().size());
        // a second start is refused: the plan runs, or (if it already ended) the ring moved on since the preview
        assertThatThrownBy(() -> admin.executePlan(TOKEN, preview)).isInstanceOf(ConflictException.class);

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() -> {
            Optional<PlanInfo> p = admin.migrations().plan();
            return p.isPresent() && p.get().finished();
        });
        Migrations m = admin.migrations();
        assertThat(m.plan().orElseThrow().state()).isEqualTo("DONE");
        assertThat(m.running()).isEmpty();
        assertThat(m.recent()).isNotEmpty().allSatisfy(mv -> {
            assertThat(mv.planId()).isEqualTo(plan.id());
            assertThat(mv.to()).contains(n4);
            assertThat(mv.finished()).isTrue();
        });
        assertThat(m.recent().stream().mapToLong(Migration::keysCopied).sum()).isPositive();
        assertThat(admin.status().node(n4).orElseThrow().partitions()).isEqualTo(preview.moves().size());
        assertThat(admin.status().node(n4).orElseThrow().state()).isEqualTo("ACTIVE");
        try (ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).build()) {
            for (int i = 0; i < 300; i++) {
                assertThat(c.get(("key-" + i).getBytes(StandardCharsets.UTF_8))).isPresent();
            }
        }
    }
}
