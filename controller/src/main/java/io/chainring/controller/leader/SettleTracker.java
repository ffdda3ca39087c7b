package io.chainring.controller.leader;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Remembers when the registrations (ids and addresses) or the live set last changed, as seen by
 * this leader's passes. Times come from the leader's own clock, never from znode timestamps,
 * so clock skew between hosts cannot shorten the settle wait. A new leader starts counting
 * afresh, which only makes it wait longer.
 */
public final class SettleTracker {
    private record Fingerprint(Map<NodeId, HostPort> registered, Set<NodeId> live) {
    }

    private Fingerprint last;
    private Instant lastChange;

    /** Records what {@code state} shows at {@code now}; returns when it last changed. */
    public Instant observe(ClusterSnapshot state, Instant now) {
        Objects.requireNonNull(now, "now");
        Map<NodeId, HostPort> registered = new TreeMap<>();
        for (NodeInfo n : state.registered()) {
            registered.put(n.id(), n.address());
        }
        Fingerprint current = new Fingerprint(registered, state.live());
        if (!current.equals(last)) {
            last = current;
            lastChange = now;
        }
        return lastChange;
    }

    /** Forgets everything (a new leadership term). */
    public void reset() {
        last = null;
        lastChange = null;
    }
}
