package io.chainring.cli.netfault;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A network of named endpoints ({@code client}, {@code n1}, {@code zk}, ...) whose links carry
 * faults. Every fault acts one way, on the bytes flowing from one endpoint to another, whichever
 * side opened the connection: a delay from A to B slows A's requests on A's connections to B and
 * A's answers on B's connections to A. Traffic goes through {@link FaultProxy}s, one per
 * (initiator, target) pair, which look the faults up here for every chunk, so a change applies at
 * once to open connections.
 *
 * <p>Nothing of this runs in a production deployment: processes talk to the proxies only when
 * the addresses they are given point at them ({@code chainring evaluate} and tests set that up).
 */
public final class NetworkFaults implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkFaults.class);

    /** A one-way link: bytes from {@code from} to {@code to}. */
    public record Link(String from, String to) {
        public Link {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public String toString() {
            return from + ">" + to;
        }
    }

    private volatile Map<Link, LinkFault> faults = Map.of();
    private final List<FaultProxy> proxies = new CopyOnWriteArrayList<>();

    /** The fault on bytes flowing from {@code from} to {@code to} ({@link LinkFault#NONE} if none). */
    public LinkFault fault(String from, String to) {
        return faults.getOrDefault(new Link(from, to), LinkFault.NONE);
    }

    /** Every fault in force. */
    public Map<Link, LinkFault> faults() {
        return faults;
    }

    /** Sets the fault on bytes from {@code from} to {@code to} (one way); {@link LinkFault#NONE} clears it. */
    public void set(String from, String to, LinkFault fault) {
        update(Map.of(new Link(from, to), fault));
    }

    /** The same fault both ways between {@code a} and {@code b}. */
    public void setBoth(String a, String b, LinkFault fault) {
        update(Map.of(new Link(a, b), fault, new Link(b, a), fault));
    }

    /** Cuts {@code a} and {@code b} apart both ways. */
    public void partition(String a, String b) {
        setBoth(a, b, LinkFault.CUT);
    }

    /** Clears every fault; connections that lost bytes to a cut are closed (their streams are broken). */
    public void healAll() {
        Map<Link, LinkFault> clear = new HashMap<>();
        faults.keySet().forEach(l -> clear.put(l, LinkFault.NONE));
        update(clear);
    }

    private void update(Map<Link, LinkFault> changes) {
        synchronized (this) {
            Map<Link, LinkFault> next = new HashMap<>(faults);
            changes.forEach((link, fault) -> {
                Objects.requireNonNull(fault, "fault");
                if (fault.isNone()) {
                    next.remove(link);
                } else {
                    next.put(link, fault);
                }
            });
            faults = Map.copyOf(next);
        }
        changes.forEach((link, fault) -> log.info("link {}: {}", link, fault));
        for (FaultProxy p : proxies) {
            p.faultsChanged();
        }
    }

    /**
     * Starts a proxy for connections that {@code from} opens to {@code to}: it listens on
     * {@code listen} (port 0 picks a free one) and forwards to {@code target}.
     */
    public FaultProxy proxy(String from, String to, InetSocketAddress listen, InetSocketAddress target) throws IOException {
        FaultProxy p = FaultProxy.start(this, from, to, listen, target);
        proxies.add(p);
        return p;
    }

    /** Every proxy started and not yet closed. */
    public List<FaultProxy> proxies() {
        return List.copyOf(proxies);
    }

    @Override
    public void close() {
        List<FaultProxy> open = new ArrayList<>(proxies);
        proxies.clear();
        for (FaultProxy p : open) {
            p.close();
        }
    }
}
