package io.chainring.transport;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one connection proved: the cluster member it authenticated as, if any. Set once by the
 * handshake on the event loop before any frame of the connection is dispatched; read by the
 * dispatcher on whichever thread runs a request.
 */
final class ConnectionAuth {
    private final boolean enforced;
    private volatile String member;
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    private ConnectionAuth(boolean enforced) {
        this.enforced = enforced;
    }

    /** A connection to a server with a cluster secret: internal methods need the handshake. */
    static ConnectionAuth enforced() {
        return new ConnectionAuth(true);
    }

    /** A connection to a server without a cluster secret: nothing can be proved, nothing is refused. */
    static ConnectionAuth unenforced() {
        return new ConnectionAuth(false);
    }

    void authenticated(String memberId) {
        member = memberId;
    }

    Optional<String> member() {
        return Optional.ofNullable(member);
    }

    /** Whether members-only methods may run on this connection. */
    boolean isMember() {
        return !enforced || member != null;
    }

    /** True the first time only: refusals are logged once per connection. */
    boolean firstRefusal() {
        return refusalLogged.compareAndSet(false, true);
    }
}
