package io.chainring.ring;

import java.util.Objects;

/** A registered datanode: identity, address, failure zone and lifecycle state. */
public record NodeInfo(NodeId id, HostPort address, String zone, NodeState state) {
    public static final String DEFAULT_ZONE = "default";

    public NodeInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        zone = zone == null || zone.isBlank() ? DEFAULT_ZONE : zone;
        Objects.requireNonNull(state, "state");
    }

    public NodeInfo withState(NodeState newState) {
        return new NodeInfo(id, address, zone, newState);
    }

    public NodeInfo withAddress(HostPort newAddress) {
        return new NodeInfo(id, newAddress, zone, state);
    }
}
