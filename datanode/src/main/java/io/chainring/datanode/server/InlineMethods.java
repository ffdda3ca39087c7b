package io.chainring.datanode.server;

import io.chainring.datanode.storage.Durability;
import java.util.HashSet;
import java.util.Set;

/**
 * Which methods of the datanode's services start on a connection's event loop (DESIGN "Thrift
 * port"): those that wait for nothing but the CPU and the local disk. A call among them that
 * turns out to need a wait moves to the {@code waits} pool ({@link KvHandler}, {@link ReplicationCalls}).
 */
public final class InlineMethods {
    private InlineMethods() {
    }

    /**
     * {@code kv}: reads and single-key writes, whose local JE commit only writes to the OS —
     * unless every commit is fsynced ({@code sync}), which must not stall the loop. Batches and
     * scans, whose size the client chooses, run on workers.
     */
    public static Set<String> kv(Durability durability) {
        Set<String> inline = new HashSet<>(Set.of("get", "ring"));
        if (durability != Durability.SYNC) {
            inline.addAll(Set.of("put", "remove", "compareAndSet"));
        }
        return Set.copyOf(inline);
    }

    /**
     * {@code replication}: every method; {@code replicate} only when its apply neither fsyncs
     * ({@code sync}) nor may be held back by a test's fault switches ({@code pausable}).
     */
    public static Set<String> replication(Durability durability, boolean pausable) {
        Set<String> inline = new HashSet<>(Set.of("ack", "tailGet", "handoff", "catchUp"));
        if (durability != Durability.SYNC && !pausable) {
            inline.add("replicate");
        }
        return Set.copyOf(inline);
    }
}
