package io.chainring.transport;

import java.util.Set;

/**
 * Who may call a service's methods: anyone ({@link #OPEN}), or only connections authenticated
 * as cluster members, with some methods left open to anyone (DESIGN: Security).
 *
 * @param membersOnly whether unauthenticated connections are refused
 * @param open        methods anyone may call even so
 */
public record Access(boolean membersOnly, Set<String> open) {
    public static final Access OPEN = new Access(false, Set.of());
    public static final Access MEMBERS = new Access(true, Set.of());

    public Access {
        open = Set.copyOf(open);
    }

    /** Members only, except {@code openMethods}. */
    public static Access membersExcept(String... openMethods) {
        return new Access(true, Set.of(openMethods));
    }

    boolean allows(String method, boolean member) {
        return member || !membersOnly || open.contains(method);
    }
}
