package io.chainring.ring;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A partition's replicas in chain order: writes enter at the head and commit at the tail. */
public record Chain(List<NodeId> members) {
    private static final Chain EMPTY = new Chain(List.of());

    public Chain {
        members = List.copyOf(Objects.requireNonNull(members, "members"));
        if (new HashSet<>(members).size() != members.size()) {
            throw new IllegalArgumentException("a chain holds each node once: " + members);
        }
    }

    public static Chain of(NodeId... members) {
        return new Chain(List.of(members));
    }

    public static Chain empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return members.isEmpty();
    }

    public int length() {
        return members.size();
    }

    public NodeId head() {
        requireNonEmpty();
        return members.get(0);
    }

    public NodeId tail() {
        requireNonEmpty();
        return members.get(members.size() - 1);
    }

    public boolean contains(NodeId node) {
        return members.contains(node);
    }

    /** Position of the node in the chain, 0 for the head, or -1 when absent. */
    public int positionOf(NodeId node) {
        return members.indexOf(node);
    }

    public Optional<NodeId> successorOf(NodeId node) {
        int i = members.indexOf(node);
        return i >= 0 && i + 1 < members.size() ? Optional.of(members.get(i + 1)) : Optional.empty();
    }

    public Optional<NodeId> predecessorOf(NodeId node) {
        int i = members.indexOf(node);
        return i > 0 ? Optional.of(members.get(i - 1)) : Optional.empty();
    }

    private void requireNonEmpty() {
        if (members.isEmpty()) {
            throw new IllegalStateException("empty chain");
        }
    }

    @Override
    public String toString() {
        return members.toString();
    }
}
