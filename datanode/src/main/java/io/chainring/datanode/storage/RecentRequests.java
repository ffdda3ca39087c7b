package io.chainring.datanode.storage;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last few applied compare-and-sets of a partition by request id, so that a client's retry
 * after a timeout gets the first attempt's answer instead of applying twice (DESIGN §3).
 * In memory and bounded: it covers retries, not a restart of the node. Every replica fills it
 * from the replication stream, so a successor that becomes head still knows recent ids. Not
 * thread-safe; the partition's write lock guards it.
 */
final class RecentRequests {
    static final int DEFAULT_CAPACITY = 1024;

    private final Map<String, Applied> byId;

    RecentRequests(int capacity) {
        this.byId = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Applied> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The version a request with this id wrote to this key, or 0 if none is remembered. */
    long versionOf(String requestId, byte[] key) {
        Applied a = byId.get(requestId);
        return a != null && Arrays.equals(a.key, key) ? a.version : 0;
    }

    void remember(String requestId, byte[] key, long version) {
        byId.put(requestId, new Applied(key, version));
    }

    /** Forgets every id (a replica whose recent writes may not have been committed). */
    void clear() {
        byId.clear();
    }

    private record Applied(byte[] key, long version) {
    }
}
