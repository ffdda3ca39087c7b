package io.chainring.client.internal;

import io.chainring.thrift.KvService;
import java.util.List;
import java.util.Objects;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * A multi-key operation as the batch retry loop sees it: keys by index, and a Thrift call that
 * sends some of them to one node.
 *
 * @param op    the operation's name, for messages
 * @param keys  every key of the batch; groups refer to them by index
 * @param write writes go to heads; reads to any member
 * @param send  the Thrift call for one group
 * @param <E>   the per-key answer
 */
public record BatchRequest<E>(String op, List<byte[]> keys, boolean write, Send<E> send) {
    /**
     * The Thrift call for one group on a non-blocking client; the callback gets the answers per key
     * in the order of {@code indices}.
     */
    @FunctionalInterface
    public interface Send<E> {
        void send(KvService.AsyncClient kv, long ringEpoch, List<Integer> indices, AsyncMethodCallback<Answers<E>> callback)
                throws TException;
    }

    /** A callback for a Thrift answer of type {@code R} that hands {@code target} the answers it maps to. */
    public static <R, E> AsyncMethodCallback<R> mapping(AsyncMethodCallback<Answers<E>> target, java.util.function.Function<R, Answers<E>> map) {
        return new AsyncMethodCallback<>() {
            @Override
            public void onComplete(R response) {
                Answers<E> answers;
                try {
                    answers = map.apply(response);
                } catch (RuntimeException e) {
                    target.onError(e);
                    return;
                }
                target.onComplete(answers);
            }

            @Override
            public void onError(Exception e) {
                target.onError(e);
            }
        };
    }

    /**
     * A group's answers.
     *
     * @param values    one per index sent, in order
     * @param ringEpoch the node's ring epoch
     * @param <E>       the per-key answer
     */
    public record Answers<E>(List<E> values, long ringEpoch) {
    }

    public BatchRequest {
        Objects.requireNonNull(op, "op");
        keys = List.copyOf(keys);
        Objects.requireNonNull(send, "send");
    }
}
