package io.chainring.metadata;

import io.chainring.ring.Ring;
import java.util.Objects;

/** A ring as read from ZooKeeper together with the znode version to compare-and-set against. */
public record VersionedRing(Ring ring, int zkVersion) {
    public VersionedRing {
        Objects.requireNonNull(ring, "ring");
    }
}
