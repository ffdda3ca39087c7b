package io.chainring.client.internal;

import io.chainring.client.ChainringException;
import io.chainring.client.ReadLevel;
import io.chainring.client.Versioned;
import io.chainring.client.WriteAck;
import io.chainring.ring.NodeInfo;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.KeyValue;
import io.chainring.thrift.MultiGetResult;
import io.chainring.thrift.MultiPutResult;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.IntToLongFunction;

/**
 * multiGet and multiPut: keys grouped per node by the cached ring, the groups sent in parallel
 * (one non-blocking call each, retried on its own by {@link BatchCaller}), the answers merged into maps
 * keyed by the caller's own key arrays. Not atomic: a failed multiPut may have applied some groups,
 * and then its error says {@link ChainringException#mayHaveBeenApplied()}.
 */
public final class MultiOps {
    /** Most keys in one request. */
    static final int MAX_BATCH_KEYS = 500;
    /** Most key and value bytes in one multiPut request, well under the servers' frame limit. */
    static final long MAX_BATCH_BYTES = 4L * 1024 * 1024;
    private final BatchCaller batches;
    private final RingCache rings;
    private final Dispatcher dispatcher;
    private final KvOps single;

    public MultiOps(BatchCaller batches, RingCache rings, Dispatcher dispatcher, KvOps single) {
        this.batches = batches;
        this.rings = rings;
        this.dispatcher = dispatcher;
        this.single = single;
    }

    /** Found keys only, keyed by the very arrays in {@code originals}. */
    public CompletableFuture<Map<byte[], Versioned>> multiGet(List<byte[]> originals, List<byte[]> keys, ReadLevel level,
                                                             Deadline deadline) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        CompletableFuture<Map<Integer, GetResult>> answers;
        if (level == ReadLevel.MAJORITY) {
            answers = perKeyMajority(keys, deadline); // MAJORITY has no multi-node batch form yet
        } else {
            io.chainring.thrift.ReadLevel thriftLevel = KvOps.thrift(level);
            BatchRequest<GetResult> req = new BatchRequest<>("multiGet", keys, false, (kv, epoch, idx, cb) ->
                    kv.multiGet(epoch, buffers(keys, idx), thriftLevel, BatchRequest.<MultiGetResult, GetResult>mapping(cb,
                            r -> new BatchRequest.Answers<>(r.getResults(), r.getRingEpoch()))));
            answers = inParallel(req, i -> keys.get(i).length, deadline);
        }
        return answers.thenApply(byIndex -> {
            Map<byte[], Versioned> out = new IdentityHashMap<>();
            byIndex.forEach((i, r) -> KvOps.toVersioned(r).ifPresent(v -> out.put(originals.get(i), v)));
            return Collections.unmodifiableMap(out);
        });
    }

    /** New versions, keyed by the very arrays in {@code originals}. */
    public CompletableFuture<Map<byte[], Long>> multiPut(List<byte[]> originals, List<byte[]> keys, List<byte[]> values,
                                                        WriteAck ack, Deadline deadline) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        io.chainring.thrift.WriteAck thriftAck = KvOps.thrift(ack);
        BatchRequest<Long> req = new BatchRequest<>("multiPut", keys, true, (kv, epoch, idx, cb) -> {
            List<KeyValue> entries = new ArrayList<>(idx.size());
            for (int i : idx) {
                entries.add(new KeyValue(ByteBuffer.wrap(keys.get(i)), ByteBuffer.wrap(values.get(i))));
            }
            kv.multiPut(epoch, entries, thriftAck, BatchRequest.<MultiPutResult, Long>mapping(cb,
                    r -> new BatchRequest.Answers<>(r.getVersions(), r.getRingEpoch())));
        });
        return inParallel(req, i -> keys.get(i).length + values.get(i).length, deadline).thenApply(byIndex -> {
            Map<byte[], Long> out = new IdentityHashMap<>();
            byIndex.forEach((i, v) -> out.put(originals.get(i), v));
            return Collections.unmodifiableMap(out);
        });
    }

    /** Groups per node, cuts groups into requests of bounded size, and sends them all in parallel. */
    private <E> CompletableFuture<Map<Integer, E>> inParallel(BatchRequest<E> req, IntToLongFunction bytes, Deadline deadline) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < req.keys().size(); i++) {
            all.add(i);
        }
        Map<Optional<NodeInfo>, List<Integer>> groups = batches.group(req, rings.current(), all, Set.of());
        List<CompletableFuture<Map<Integer, E>>> parts = new ArrayList<>();
        for (Map.Entry<Optional<NodeInfo>, List<Integer>> g : groups.entrySet()) {
            for (List<Integer> chunk : chunks(g.getValue(), bytes)) {
                parts.add(dispatcher.watch(req.op(), deadline, batches.call(req, chunk, g.getKey(), deadline)));
            }
        }
        return merge(parts, req.write());
    }

    /** Consecutive runs of at most {@link #MAX_BATCH_KEYS} keys and {@link #MAX_BATCH_BYTES} bytes (a bigger entry goes alone). */
    static List<List<Integer>> chunks(List<Integer> indices, IntToLongFunction bytes) {
        List<List<Integer>> out = new ArrayList<>();
        List<Integer> current = new ArrayList<>();
        long size = 0;
        for (int i : indices) {
            long b = bytes.applyAsLong(i);
            if (!current.isEmpty() && (current.size() >= MAX_BATCH_KEYS || size + b > MAX_BATCH_BYTES)) {
                out.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(i);
            size += b;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    private CompletableFuture<Map<Integer, GetResult>> perKeyMajority(List<byte[]> keys, Deadline deadline) {
        List<CompletableFuture<Map<Integer, GetResult>>> parts = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            int index = i;
            parts.add(dispatcher.submit("multiGet", deadline, () -> {
                Optional<Versioned> v = single.getMajority(keys.get(index), deadline);
                GetResult r = new GetResult(v.isPresent(), v.map(Versioned::version).orElse(0L), 0);
                v.ifPresent(x -> r.setValue(x.value()));
                return Map.of(index, r);
            }));
        }
        return merge(parts, false);
    }

    /** Waits for every part (never fails fast: a write's other parts must be accounted for). */
    private static <E> CompletableFuture<Map<Integer, E>> merge(List<CompletableFuture<Map<Integer, E>>> parts, boolean write) {
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).handle((ignored, error) -> {
            Map<Integer, E> merged = new java.util.HashMap<>();
            Throwable firstError = null;
            boolean someApplied = false;
            for (CompletableFuture<Map<Integer, E>> p : parts) {
                try {
                    merged.putAll(p.join());
                    someApplied = true;
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    if (firstError == null) {
                        firstError = cause;
                    }
                    someApplied |= cause instanceof ChainringException ce && ce.mayHaveBeenApplied();
                }
            }
            if (firstError == null) {
                return merged;
            }
            if (write && someApplied && firstError instanceof ChainringException ce) {
                throw ErrorMapper.maybeApplied(ce);
            }
            throw firstError instanceof RuntimeException re ? re : new CompletionException(firstError);
        });
    }

    private static List<ByteBuffer> buffers(List<byte[]> keys, List<Integer> indices) {
        List<ByteBuffer> out = new ArrayList<>(indices.size());
        for (int i : indices) {
            out.add(ByteBuffer.wrap(keys.get(i)));
        }
        return out;
    }
}
