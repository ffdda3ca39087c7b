package io.chainring.transport;

import java.util.Optional;

/**
 * The caller of the request running on this thread, for handlers that must check a request
 * against it (a replication batch's {@code fromNode} must be the member the connection proved).
 * Set by the dispatcher around a handler's synchronous part only.
 */
public final class CallContext {
    private static final ThreadLocal<String> MEMBER = new ThreadLocal<>();

    private CallContext() {
    }

    /**
     * The cluster member the calling connection authenticated as; empty on an unauthenticated
     * connection, on a server without a cluster secret, and outside a request.
     */
    public static Optional<String> member() {
        return Optional.ofNullable(MEMBER.get());
    }

    /** {@code task} to run on another thread with this thread's caller (a handler that hands its call on). */
    public static Runnable wrap(Runnable task) {
        Optional<String> member = member();
        return () -> {
            enter(member);
            try {
                task.run();
            } finally {
                exit();
            }
        };
    }

    static void enter(Optional<String> member) {
        if (member.isPresent()) {
            MEMBER.set(member.get());
        } else {
            MEMBER.remove();
        }
    }

    static void exit() {
        MEMBER.remove();
    }
}
