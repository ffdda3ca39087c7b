package io.chainring.datanode.replication;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keys whose local record may be a divergent suffix (DESIGN §6.4 rejoin): written above the LSN
 * this node knew committed, possibly by a head whose writes never reached the rest of the chain
 * (a new head then reused those LSNs). The first record that arrives for such a key from the
 * chain replaces whatever is stored, whatever its version, and clears the suspicion. Thread-safe.
 */
final class Suspects {
    private final Set<ByteBuffer> keys = ConcurrentHashMap.newKeySet();

    void add(byte[] key) {
        keys.add(ByteBuffer.wrap(key.clone()));
    }

    /** Clears the key's suspicion; returns whether it was suspect (its stored record must be replaced). */
    boolean clear(byte[] key) {
        return !keys.isEmpty() && keys.remove(ByteBuffer.wrap(key));
    }

    boolean contains(byte[] key) {
        return keys.contains(ByteBuffer.wrap(key));
    }

    int size() {
        return keys.size();
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The suspect keys now. */
    List<byte[]> snapshot() {
        List<byte[]> out = new ArrayList<>(keys.size());
        for (ByteBuffer b : keys) {
            byte[] k = new byte[b.remaining()];
            b.duplicate().get(k);
            out.add(k);
        }
        return out;
    }

    void reset() {
        keys.clear();
    }
}
