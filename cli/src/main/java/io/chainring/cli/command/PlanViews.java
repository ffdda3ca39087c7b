package io.chainring.cli.command;

import io.chainring.cli.output.Bar;
import io.chainring.cli.output.ByteSize;
import io.chainring.cli.output.Table;
import io.chainring.client.Migration;
import io.chainring.client.Migrations;
import io.chainring.client.PlanInfo;
import io.chainring.client.PlanPreview;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Tables and JSON objects of plans, previews and moves, shared by node, plan and migrations. */
final class PlanViews {
    /** How many moves a preview table lists; the JSON lists them all. */
    static final int MOVES_SHOWN = 20;
    private static final int BAR_WIDTH = 20;

    private PlanViews() {
    }

    static String verb(PlanPreview p) {
        return p.action().name().toLowerCase(Locale.ROOT);
    }

    static void printPreview(PrintWriter out, PlanPreview p) {
        out.printf("plan %s: %s %s (ring epoch %d)%n", p.planId(), verb(p), String.join(" ", p.nodes()), p.ringEpoch());
        out.printf("moves %d (lower bound %d), estimated %,d keys, %s%n", p.moves().size(), p.lowerBound(),
                p.estimatedKeys(), ByteSize.format(p.estimatedBytes()));
        out.println();
        Table balance = new Table("NODE", "REPLICAS", "HEADS", "TAILS");
        for (PlanPreview.Balance b : p.balance()) {
            balance.row(b.node(), change(b.replicasBefore(), b.replicasAfter()), change(b.headsBefore(), b.headsAfter()),
                    change(b.tailsBefore(), b.tailsAfter()));
        }
        balance.print(out);
        if (!p.moves().isEmpty()) {
            out.println();
            if (p.moves().size() > MOVES_SHOWN) {
                out.printf("first %d of %d moves (--json lists all):%n", MOVES_SHOWN, p.moves().size());
            }
            Table moves = new Table("PARTITION", "FROM", "TO", "KEYS", "BYTES");
            for (PlanPreview.Move m : p.moves().subList(0, Math.min(MOVES_SHOWN, p.moves().size()))) {
                moves.row("p" + m.partition(), m.from().orElse("-"), m.to().orElse("-"),
                        String.format("%,d", m.estimatedKeys()), ByteSize.format(m.estimatedBytes()));
            }
            moves.print(out);
        }
        out.flush();
    }

    private static String change(int before, int after) {
        return before == after ? String.valueOf(before) : before + " → " + after;
    }

    static Map<String, Object> previewJson(PlanPreview p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("planId", p.planId());
        o.put("action", verb(p));
        o.put("nodes", p.nodes());
        o.put("ringEpoch", p.ringEpoch());
        o.put("moveCount", p.moves().size());
        o.put("lowerBound", p.lowerBound());
        o.put("estimatedKeys", p.estimatedKeys());
        o.put("estimatedBytes", p.estimatedBytes());
        o.put("balance", p.balance().stream().map(b -> {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("node", b.node());
            n.put("replicaCountBefore", b.replicasBefore());
            n.put("headCountBefore", b.headsBefore());
            n.put("tailCountBefore", b.tailsBefore());
            n.put("replicaCountAfter", b.replicasAfter());
            n.put("headCountAfter", b.headsAfter());
            n.put("tailCountAfter", b.tailsAfter());
            return n;
        }).toList());
        o.put("moves", p.moves().stream().map(m -> {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("partition", m.partition());
            n.put("from", m.from().orElse(null));
            n.put("to", m.to().orElse(null));
            n.put("estimatedKeys", m.estimatedKeys());
            n.put("estimatedBytes", m.estimatedBytes());
            return n;
        }).toList());
        return o;
    }

    static Map<String, Object> planJson(PlanInfo p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", p.id());
        o.put("action", p.action().name().toLowerCase(Locale.ROOT));
        o.put("nodes", p.nodes());
        o.put("state", p.state());
        o.put("plannedMoveCount", p.movesPlanned());
        o.put("createdAt", p.createdAt().toString());
        o.put("finishedAt", p.finishedAt().map(Instant::toString).orElse(null));
        o.put("note", p.note().orElse(null));
        o.put("estimatedBytes", p.estimatedBytes());
        return o;
    }

    /** One line: {@code plan ID: add n4, RUNNING, 12 moves, started 12:01:03 (note)}. */
    static String planLine(PlanInfo p) {
        StringBuilder b = new StringBuilder().append("plan ").append(p.id()).append(": ")
                .append(p.action().name().toLowerCase(Locale.ROOT)).append(' ').append(String.join(" ", p.nodes()))
                .append(", ").append(p.state()).append(", ").append(p.movesPlanned()).append(" moves");
        if (p.estimatedBytes() > 0) {
            b.append(", ~").append(ByteSize.format(p.estimatedBytes()));
        }
        b.append(", started ").append(clock(p.createdAt()));
        p.finishedAt().ifPresent(f -> b.append(", ended ").append(clock(f)));
        p.note().ifPresent(n -> b.append(" (").append(n).append(')'));
        return b.toString();
    }

    static Map<String, Object> migrationJson(Migration m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("id", m.id());
        o.put("planId", m.planId());
        o.put("partition", m.partition());
        o.put("from", m.from().orElse(null));
        o.put("to", m.to().orElse(null));
        o.put("step", m.step());
        o.put("keysCopied", m.keysCopied());
        o.put("bytesCopied", m.bytesCopied());
        o.put("keysTotal", m.keysTotal());
        o.put("bytesTotal", m.bytesTotal());
        o.put("startedAt", m.startedAt().toString());
        o.put("updatedAt", m.updatedAt().toString());
        o.put("finishedAt", m.finishedAt().map(Instant::toString).orElse(null));
        o.put("bytesPerSecond", m.bytesPerSecond());
        o.put("etaSeconds", m.eta().map(Duration::toSeconds).orElse(null));
        o.put("note", m.note().orElse(null));
        return o;
    }

    /** Exactly {@code {"running", "recent", "plan", "throttleBytesPerSecond", "repair"}}. */
    static Map<String, Object> migrationsJson(Migrations m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("running", m.running().stream().map(PlanViews::migrationJson).toList());
        o.put("recent", m.recent().stream().map(PlanViews::migrationJson).toList());
        o.put("plan", m.plan().map(PlanViews::planJson).orElse(null));
        o.put("throttleBytesPerSecond", m.throttleBytesPerSecond());
        Map<String, Object> repair = new LinkedHashMap<>();
        repair.put("bytesPerSecond", m.repair().bytesPerSecond());
        repair.put("chainsBelowRCount", m.repair().chainsBelowR());
        repair.put("copyingCount", m.repair().copying());
        o.put("repair", repair);
        return o;
    }

    static void printMigrations(PrintWriter out, Migrations m, int recentShown) {
        out.println(m.plan().map(PlanViews::planLine).orElse("no plan has run"));
        out.printf("rebalance: throttle %s per node (a cap; each node adapts below it to its foreground latency), "
                + "at most %d moves per node%n", ByteSize.rate(m.throttleBytesPerSecond()), m.maxMovesPerNode());
        out.println(repairLine(m.repair()));
        out.println();
        if (m.running().isEmpty()) {
            out.println("no moves running");
        } else {
            out.println("running:");
            Table t = new Table("PARTITION", "FROM", "TO", "STEP", "PROGRESS", "KEYS", "BYTES", "RATE", "ETA");
            for (Migration mv : m.running()) {
                t.row("p" + mv.partition(), mv.from().orElse("-"), mv.to().orElse("-"), mv.step(),
                        Bar.of(mv.fraction(), BAR_WIDTH), count(mv.keysCopied(), mv.keysTotal()),
                        bytes(mv.bytesCopied(), mv.bytesTotal()),
                        mv.bytesPerSecond() > 0 ? ByteSize.format(mv.bytesPerSecond()) + "/s" : "-",
                        mv.eta().map(PlanViews::duration).orElse("-"));
            }
            t.print(out);
        }
        List<Migration> recent = m.recent().subList(0, Math.min(recentShown, m.recent().size()));
        if (!recent.isEmpty()) {
            out.println();
            out.println("recent:");
            Table t = new Table("PARTITION", "FROM", "TO", "STEP", "KEYS", "BYTES", "TOOK", "ENDED", "NOTE");
            for (Migration mv : recent) {
                t.row("p" + mv.partition(), mv.from().orElse("-"), mv.to().orElse("-"), mv.step(),
                        String.format("%,d", mv.keysCopied()), ByteSize.format(mv.bytesCopied()),
                        mv.finishedAt().map(f -> duration(Duration.between(mv.startedAt(), f))).orElse("-"),
                        mv.finishedAt().map(PlanViews::clock).orElse("-"), mv.note().orElse(""));
            }
            t.print(out);
        }
        out.flush();
    }

    /** Re-replication: its budget, and the chains below R (repairs, which go before moves). */
    static String repairLine(Migrations.Repair r) {
        String budget = r.bytesPerSecond() < 0 ? "not reported" : ByteSize.rate(r.bytesPerSecond()) + " per node";
        String state = r.chainsBelowR() == 0 ? "every chain has R members"
                : r.chainsBelowR() + " chains below R, " + r.copying() + " copying";
        return "repair:    budget " + budget + " (ahead of moves); " + state;
    }

    private static String count(long done, long total) {
        return total > 0 ? String.format("%,d/%,d", done, total) : String.format("%,d", done);
    }

    private static String bytes(long done, long total) {
        return total > 0 ? ByteSize.format(done) + "/" + ByteSize.format(total) : ByteSize.format(done);
    }

    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (d.toMillis() < 1000) {
            return "<1s";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format("%02ds", s % 60);
        }
        return (s / 3600) + "h" + String.format("%02dm", (s % 3600) / 60);
    }

    private static String clock(Instant t) {
        return LocalTime.ofInstant(t, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
