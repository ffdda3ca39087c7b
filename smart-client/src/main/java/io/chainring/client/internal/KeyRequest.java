package io.chainring.client.internal;

import io.chainring.ring.Ring;
import io.chainring.thrift.KvService;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * One single-key (or single-partition) operation as the retry loop sees it.
 *
 * @param op                        the operation's stable name (listener label, messages)
 * @param detail                    extra words for messages ("expected version 7"), or ""
 * @param key                       the key that routes the request, or null when {@code partition} does
 * @param partition                 the partition, when there is no key (-1 otherwise)
 * @param target                    which chain member takes it
 * @param retryAfterUnknownOutcome  whether a retry is allowed after an attempt that may have been
 *                                  applied (true for put and delete; false for compare-and-set)
 * @param send                      the Thrift call on a non-blocking client, given the ring epoch to send
 * @param blockingSend              the same call on a blocking client (sync calls)
 * @param epochOf                   the ring epoch in the answer
 * @param <T>                       the answer's Thrift type
 */
public record KeyRequest<T>(String op, String detail, byte[] key, int partition, Target target,
                            boolean retryAfterUnknownOutcome, Send<T> send, BlockingSend<T> blockingSend,
                            ToLongFunction<T> epochOf) {
    /** The Thrift call of one attempt on a blocking client. */
    @FunctionalInterface
    public interface BlockingSend<T> {
        T send(KvService.Client kv, long ringEpoch) throws TException;
    }

    /** The Thrift call of one attempt, on a non-blocking client: the answer goes to the callback. */
    @FunctionalInterface
    public interface Send<T> {
        void send(KvService.AsyncClient kv, long ringEpoch, AsyncMethodCallback<T> callback) throws TException;
    }

    /** Which member of the partition's chain a request goes to (DESIGN §6). */
    public enum Target {
        /** Writes: the head orders every write of a partition. */
        HEAD,
        /** Reads: any member, spread over the chain. */
        ANY,
        /** Reads of committed data without a per-key check (scans): the tail. */
        TAIL
    }

    public KeyRequest {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(detail, "detail");
        if ((key == null) == (partition < 0)) {
            throw new IllegalArgumentException("a request is routed by a key or by a partition, not both or neither");
        }
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(blockingSend, "blockingSend");
        Objects.requireNonNull(epochOf, "epochOf");
    }

    /** A read of one key, from any chain member. */
    public static <T> KeyRequest<T> read(String op, byte[] key, Send<T> send, BlockingSend<T> blockingSend, ToLongFunction<T> epochOf) {
        return new KeyRequest<>(op, "", key, -1, Target.ANY, true, send, blockingSend, epochOf);
    }

    /** A write of one key, at the head. */
    public static <T> KeyRequest<T> write(String op, byte[] key, boolean retryAfterUnknownOutcome, Send<T> send,
                                          BlockingSend<T> blockingSend, ToLongFunction<T> epochOf) {
        return new KeyRequest<>(op, "", key, -1, Target.HEAD, retryAfterUnknownOutcome, send, blockingSend, epochOf);
    }

    /** A read of one partition (a scan page). */
    public static <T> KeyRequest<T> partitionRead(String op, int partition, Target target, Send<T> send,
                                                  BlockingSend<T> blockingSend, ToLongFunction<T> epochOf) {
        return new KeyRequest<>(op, "", null, partition, target, true, send, blockingSend, epochOf);
    }

    /** The same request with extra words for messages. */
    public KeyRequest<T> withDetail(String words) {
        return new KeyRequest<>(op, words, key, partition, target, retryAfterUnknownOutcome, send, blockingSend, epochOf);
    }

    public boolean write() {
        return target == Target.HEAD;
    }

    /** The partition the request goes to in this ring. */
    public int partitionIn(Ring ring) {
        if (key == null) {
            if (partition >= ring.partitionCount()) {
                throw new IllegalArgumentException("partition " + partition + " does not exist: the cluster has "
                        + ring.partitionCount() + " partitions");
            }
            return partition;
        }
        return ring.partitionOf(key);
    }

    public String describe(int partitionId) {
        String d = detail.isEmpty() ? op : op + " (" + detail + ")";
        return key == null ? d + " of partition " + partitionId : d + " of key " + Keys.show(key) + " (partition " + partitionId + ")";
    }
}
