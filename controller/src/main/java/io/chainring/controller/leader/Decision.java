package io.chainring.controller.leader;

import io.chainring.controller.migration.MigrationEffects;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.util.List;
import java.util.Objects;

/** What the decide stage wants done in this pass. */
public sealed interface Decision {

    /** What the decider cannot do now and why (e.g. a chain waiting for its last member); logged when it changes. */
    default List<String> notes() {
        return List.of();
    }

    /** What to write besides the ring (migration records, plan, node states); empty by default. */
    default MigrationEffects effects() {
        return MigrationEffects.none();
    }

    /** No ring to write: the ring in ZooKeeper is what it can be for now (migration effects may still be written). */
    record Steady(List<String> notes, MigrationEffects effects) implements Decision {
        public Steady {
            notes = List.copyOf(notes);
            Objects.requireNonNull(effects, "effects");
        }

        public Steady(List<String> notes) {
            this(notes, MigrationEffects.none());
        }

        public Steady() {
            this(List.of());
        }
    }

    /** No ring may be written yet; {@code reason} says what is awaited. */
    record Wait(String reason) implements Decision {
        public Wait {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Mark {@code activate} ACTIVE, then create the first ring (fails if one exists by then). */
    record CreateRing(Ring ring, List<NodeId> activate, String reason) implements Decision {
        public CreateRing {
            Objects.requireNonNull(ring, "ring");
            activate = List.copyOf(activate);
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Replace the ring read at znode version {@code expectedZkVersion} (compare-and-set). */
    record UpdateRing(Ring ring, int expectedZkVersion, String reason, List<String> notes, MigrationEffects effects)
            implements Decision {
        public UpdateRing {
            Objects.requireNonNull(ring, "ring");
            Objects.requireNonNull(reason, "reason");
            notes = List.copyOf(notes);
            Objects.requireNonNull(effects, "effects");
        }

        public UpdateRing(Ring ring, int expectedZkVersion, String reason, List<String> notes) {
            this(ring, expectedZkVersion, reason, notes, MigrationEffects.none());
        }

        public UpdateRing(Ring ring, int expectedZkVersion, String reason) {
            this(ring, expectedZkVersion, reason, List.of());
        }
    }
}
