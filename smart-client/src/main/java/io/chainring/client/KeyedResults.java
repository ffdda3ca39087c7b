package io.chainring.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The results of a batch call ({@link ChainringClient#getAll}, {@link ChainringClient#putAll}),
 * looked up by key <em>content</em>: {@code get(new byte[] {...})} finds the entry of an equal
 * key, unlike a {@code Map<byte[], V>}, which compares arrays by identity. Immutable; keys are
 * copied in and out.
 *
 * @param <V> {@link Versioned} for reads, the new version ({@link Long}) for writes
 */
public final class KeyedResults<V> {
    private final List<byte[]> requested;
    private final Map<Key, V> byKey;

    /** @param requested the keys in the order they were asked for, duplicates removed; {@code found} holds those that have a result */
    KeyedResults(List<byte[]> requested, Map<byte[], V> found) {
        Map<Key, V> m = new HashMap<>();
        found.forEach((k, v) -> m.put(new Key(k.clone()), Objects.requireNonNull(v, "result")));
        List<byte[]> order = new ArrayList<>(requested.size());
        Set<Key> seen = new HashSet<>();
        for (byte[] k : requested) {
            if (seen.add(new Key(k))) {
                order.add(k.clone());
            }
        }
        this.requested = Collections.unmodifiableList(order);
        this.byKey = Collections.unmodifiableMap(m);
    }

    /** The result for a key with these bytes, or empty (a read: the key does not exist; any call: it was not asked for). */
    public Optional<V> get(byte[] key) {
        return Optional.ofNullable(byKey.get(new Key(Objects.requireNonNull(key, "key"))));
    }

    /** {@link #get(byte[])} with a UTF-8 key. */
    public Optional<V> get(String key) {
        return get(Objects.requireNonNull(key, "key").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether there is a result for this key (for a read: whether it exists). */
    public boolean contains(byte[] key) {
        return byKey.containsKey(new Key(Objects.requireNonNull(key, "key")));
    }

    /** How many keys have a result (for a read: how many exist). */
    public int size() {
        return byKey.size();
    }

    /** The results in the order the keys were asked for (each key once), empty where there is none. */
    public List<Optional<V>> inRequestOrder() {
        List<Optional<V>> out = new ArrayList<>(requested.size());
        for (byte[] k : requested) {
            out.add(Optional.ofNullable(byKey.get(new Key(k))));
        }
        return out;
    }

    /** Each key that has a result (a copy of its bytes) with its result, in request order. */
    public void forEach(BiConsumer<byte[], V> action) {
        for (byte[] k : requested) {
            V v = byKey.get(new Key(k));
            if (v != null) {
                action.accept(k.clone(), v);
            }
        }
    }

    @Override
    public String toString() {
        return "KeyedResults[" + byKey.size() + " of " + requested.size() + " keys]";
    }

    /** A key compared by content. */
    private record Key(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
