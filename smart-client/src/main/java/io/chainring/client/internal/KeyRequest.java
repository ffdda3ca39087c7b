package io.chainring.client.internal;

import io.chainring.thrift.KvService;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.apache.thrift.TException;

/**
 * One single-key operation as the retry loop sees it.
 *
 * @param op                        the operation's name, for messages
 * @param key                       the key (routes the request)
 * @param write                     writes go to the head; reads to any member
 * @param retryAfterUnknownOutcome  whether a retry is allowed after an attempt that may have been
 *                                  applied (true for put and delete; false for compare-and-set)
 * @param send                      the Thrift call, given the client and the ring epoch to send
 * @param epochOf                   the ring epoch in the answer
 * @param <T>                       the answer's Thrift type
 */
public record KeyRequest<T>(String op, byte[] key, boolean write, boolean retryAfterUnknownOutcome,
                            Send<T> send, ToLongFunction<T> epochOf) {
    /** The Thrift call of one attempt. */
    @FunctionalInterface
    public interface Send<T> {
        T send(KvService.Client kv, long ringEpoch) throws TException;
    }

    public KeyRequest {
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(send, "send");
        Objects.requireNonNull(epochOf, "epochOf");
    }

    public String describe(int partition) {
        return op + " of key " + Keys.show(key) + " (partition " + partition + ")";
    }
}
