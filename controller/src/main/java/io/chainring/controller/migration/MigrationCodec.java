package io.chainring.controller.migration;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.thrift.TMigration;
import io.chainring.thrift.TPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Converts plans and move records to and from their Thrift form (ZooKeeper storage and the admin API). */
public final class MigrationCodec {
    private MigrationCodec() {
    }

    public static TPlan toThrift(PlanRecord p) {
        List<List<String>> target = new ArrayList<>();
        for (Chain c : p.target()) {
            target.add(c.members().stream().map(NodeId::value).toList());
        }
        TPlan t = new TPlan(p.id(), p.action(), p.nodes().stream().map(NodeId::value).toList(), p.state(), target,
                p.ringEpochAtStart(), p.movesPlanned(), p.created().toEpochMilli());
        p.finished().ifPresent(f -> t.setFinishedMillis(f.toEpochMilli()));
        p.note().ifPresent(t::setNote);
        t.setEstimatedBytes(p.estimatedBytes());
        return t;
    }

    public static PlanRecord fromThrift(TPlan t) {
        List<Chain> target = new ArrayList<>();
        for (List<String> members : t.getTargetChains()) {
            target.add(new Chain(members.stream().map(NodeId::new).toList()));
        }
        return new PlanRecord(t.getId(), t.getAction(), t.getNodes().stream().map(NodeId::new).toList(), t.getState(),
                target, t.getRingEpochAtStart(), t.getMovesPlanned(), Instant.ofEpochMilli(t.getCreatedMillis()),
                t.isSetFinishedMillis() ? Optional.of(Instant.ofEpochMilli(t.getFinishedMillis())) : Optional.empty(),
                Optional.ofNullable(t.getNote()), t.isSetEstimatedBytes() ? t.getEstimatedBytes() : 0);
    }

    public static TMigration toThrift(MoveRecord m) {
        TMigration t = new TMigration(m.id(), m.planId(), m.partition(), m.step().wire(), m.keysCopied(), m.bytesCopied(),
                m.keysTotal(), m.bytesTotal(), m.started().toEpochMilli(), m.updated().toEpochMilli());
        m.from().ifPresent(n -> t.setFromNode(n.value()));
        m.to().ifPresent(n -> t.setToNode(n.value()));
        m.finished().ifPresent(f -> t.setFinishedMillis(f.toEpochMilli()));
        t.setBytesPerSecond(m.bytesPerSecond());
        m.eta().ifPresent(e -> t.setEtaSeconds(e.toSeconds()));
        m.note().ifPresent(t::setNote);
        return t;
    }

    public static MoveRecord fromThrift(TMigration t) {
        return new MoveRecord(t.getId(), t.getPlanId(), t.getPartition(),
                Optional.ofNullable(t.getFromNode()).map(NodeId::new), Optional.ofNullable(t.getToNode()).map(NodeId::new),
                MoveStep.fromWire(t.getStep()), t.getKeysCopied(), t.getBytesCopied(), t.getKeysTotal(), t.getBytesTotal(),
                Instant.ofEpochMilli(t.getStartedMillis()), Instant.ofEpochMilli(t.getUpdatedMillis()),
                t.isSetFinishedMillis() ? Optional.of(Instant.ofEpochMilli(t.getFinishedMillis())) : Optional.empty(),
                t.isSetBytesPerSecond() ? t.getBytesPerSecond() : 0,
                t.isSetEtaSeconds() ? Optional.of(Duration.ofSeconds(t.getEtaSeconds())) : Optional.empty(),
                Optional.ofNullable(t.getNote()));
    }
}
