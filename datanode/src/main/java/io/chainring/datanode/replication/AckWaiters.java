package io.chainring.datanode.replication;

import io.chainring.thrift.WriteAck;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Client writes at the head waiting for their ack level, per level in LSN order. Ack levels
 * only grow, so each check completes a prefix. Not thread-safe: the replica guards it.
 */
final class AckWaiters {
    private final Map<WriteAck, PriorityQueue<Waiter>> byLevel = new EnumMap<>(WriteAck.class);

    /** A future completed with {@code lsn} once {@code acked(level) >= lsn}. */
    CompletableFuture<Long> add(long lsn, WriteAck level) {
        CompletableFuture<Long> f = new CompletableFuture<>();
        byLevel.computeIfAbsent(level, l -> new PriorityQueue<>()).add(new Waiter(lsn, f));
        return f;
    }

    /** Completes every waiter whose level is met by {@code state}. */
    void completeMet(AckState state) {
        for (Map.Entry<WriteAck, PriorityQueue<Waiter>> e : byLevel.entrySet()) {
            long acked = state.acked(e.getKey());
            PriorityQueue<Waiter> q = e.getValue();
            while (!q.isEmpty() && q.peek().lsn <= acked) {
                Waiter w = q.poll();
                w.future.complete(w.lsn);
            }
        }
    }

    /** Fails every waiter (the node lost its place in the chain). */
    void failAll(WriteOutcomeUnknown cause) {
        for (PriorityQueue<Waiter> q : byLevel.values()) {
            while (!q.isEmpty()) {
                q.poll().future.completeExceptionally(cause);
            }
        }
    }

    /** A write waiting for its ack level. */
    record Pending(long lsn, WriteAck level, CompletableFuture<Long> future) {
    }

    /** Removes and returns every waiter (a head that left hands them to the new head's answer). */
    List<Pending> drain() {
        List<Pending> out = new ArrayList<>();
        for (Map.Entry<WriteAck, PriorityQueue<Waiter>> e : byLevel.entrySet()) {
            for (Waiter w : e.getValue()) {
                out.add(new Pending(w.lsn, e.getKey(), w.future));
            }
            e.getValue().clear();
        }
        return out;
    }

    int size() {
        return byLevel.values().stream().mapToInt(PriorityQueue::size).sum();
    }

    private record Waiter(long lsn, CompletableFuture<Long> future) implements Comparable<Waiter> {
        @Override
        public int compareTo(Waiter o) {
            return Long.compare(lsn, o.lsn);
        }
    }
}
