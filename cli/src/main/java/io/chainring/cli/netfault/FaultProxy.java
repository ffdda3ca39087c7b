package io.chainring.cli.netfault;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP proxy for the connections one endpoint ({@code from}) opens to another ({@code to}),
 * applying the {@link NetworkFaults} of each direction to every chunk it forwards: requests take
 * the {@code from>to} fault, answers the {@code to>from} fault.
 *
 * <p>A chunk is delayed by the fault's delay ± jitter (plus a retransmission timeout when it is
 * "lost"), never overtaking the chunk before it (a TCP stream keeps its order); a rate cap spaces
 * the writes; a reset closes both sockets with RST; a cut drops the bytes (the sockets stay open,
 * as when packets vanish) and a connection opened during a cut never reaches the target. Once no
 * direction of a damaged connection is cut any more, the proxy closes it: bytes were lost, so the
 * stream is broken (a real connection would time out or reset too).
 *
 * <p>Blocking sockets: a reader thread per direction, plus a delivery thread once a direction
 * has to hold chunks back. Meant for a handful of processes on one machine.
 */
public final class FaultProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FaultProxy.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;

    private final NetworkFaults faults;
    private final String from;
    private final String to;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong resets = new AtomicLong();
    private volatile boolean closed;

    private FaultProxy(NetworkFaults faults, String from, String to, InetSocketAddress listen, InetSocketAddress target)
            throws IOException {
        this.faults = faults;
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.target = Objects.requireNonNull(target, "target");
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(listen, 128);
    }

    static FaultProxy start(NetworkFaults faults, String from, String to, InetSocketAddress listen, InetSocketAddress target)
            throws IOException {
        FaultProxy p = new FaultProxy(faults, from, to, listen, target);
        Thread acceptor = new Thread(p::acceptLoop, "netfault-" + from + ">" + to + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return p;
    }

    /** The address the proxy listens on. */
    public InetSocketAddress address() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** {@code host:port} of the proxy. */
    public String hostPort() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    public String from() {
        return from;
    }

    public String to() {
        return to;
    }

    /** Bytes delivered, both directions. */
    public long forwardedBytes() {
        return forwarded.get();
    }

    /** Bytes dropped by cuts, both directions. */
    public long droppedBytes() {
        return dropped.get();
    }

    /** Connections reset by the reset fault. */
    public long resets() {
        return resets.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Closes the damaged connections that no cut holds any more. */
    void faultsChanged() {
        boolean upCut = faults.fault(from, to).cut();
        boolean downCut = faults.fault(to, from).cut();
        if (upCut || downCut) {
            return;
        }
        int n = 0;
        for (Connection c : connections) {
            if (c.damaged) {
                c.close(false);
                n++;
            }
        }
        if (n > 0) {
            log.info("proxy {}>{}: {} connections that lost bytes to a cut closed", from, to, n);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            log.warn("proxy {}>{}: closing the listening socket: {}", from, to, e.toString());
        }
        for (Connection c : new ArrayList<>(connections)) {
            c.close(false);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    log.warn("proxy {}>{}: accept failed, proxy stops: {}", from, to, e.toString());
                }
                return;
            }
            try {
                open(client);
            } catch (IOException e) {
                // the target refused (it is down): the client sees its connection close, as it would
                log.debug("proxy {}>{}: cannot reach {}: {}", from, to, target, e.toString());
                quietly(client, false);
            }
        }
    }

    private void open(Socket client) throws IOException {
        client.setTcpNoDelay(true);
        Connection c;
        if (faults.fault(from, to).cut()) {
            // the SYN is lost: the client's connect "succeeds" here, but nothing reaches the target
            c = new Connection(client, null);
            c.damaged = true;
        } else {
            Socket upstream = new Socket();
            upstream.setTcpNoDelay(true);
            upstream.connect(target, CONNECT_TIMEOUT_MILLIS);
            c = new Connection(client, upstream);
        }
        connections.add(c);
        if (closed) {
            c.close(false);
            return;
        }
        c.start();
    }

    private static void quietly(Socket s, boolean reset) {
        if (s == null) {
            return;
        }
        try {
            if (reset) {
                s.setSoLinger(true, 0);
            }
            s.close();
        } catch (IOException e) {
            // closing a socket we are done with; nothing else to do
            log.trace("closing {}: {}", s, e.toString());
        }
    }

    /** One proxied connection: client ⇄ upstream (upstream is null when it was opened during a cut). */
    private final class Connection {
        private final Socket client;
        private final Socket upstream;
        volatile boolean damaged;
        private volatile boolean done;

        Connection(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void start() throws IOException {
            new Direction(this, from, to, client.getInputStream(), upstream == null ? null : upstream.getOutputStream()).start();
            if (upstream != null) {
                new Direction(this, to, from, upstream.getInputStream(), client.getOutputStream()).start();
            }
        }

        void close(boolean reset) {
            if (done) {
                return;
            }
            done = true;
            quietly(client, reset);
            quietly(upstream, reset);
            connections.remove(this);
        }
    }

    /** A chunk to deliver at {@code dueNanos}; {@code bytes == null} marks the end of the stream. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    /** One direction of a connection: reads, applies the fault, delivers (directly or through its queue). */
    private final class Direction {
        private final Connection conn;
        private final String src;
        private final String dst;
        private final InputStream in;
        private final OutputStream out;
        private final LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        private final Object writeLock = new Object();
        /** Chunks enqueued and not yet written; guarded by writeLock. */
        private int pending;
        private long lastDue;
        private long nextFreeNanos;
        private Thread deliverer;

        Direction(Connection conn, String src, String dst, InputStream in, OutputStream out) {
            this.conn = conn;
            this.src = src;
            this.dst = dst;
            this.in = in;
            this.out = out;
        }

        void start() {
            Thread t = new Thread(this::readLoop, "netfault-" + src + ">" + dst);
            t.setDaemon(true);
            t.start();
        }

        private void readLoop() {
            byte[] buf = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    LinkFault f = faults.fault(src, dst);
                    if (f.cut() || out == null) {
                        dropped.addAndGet(n);
                        conn.damaged = true;
                        continue;
                    }
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    if (f.reset() > 0 && random.nextDouble() < f.reset()) {
                        resets.incrementAndGet();
                        log.debug("proxy {}>{}: reset a connection ({}>{})", from, to, src, dst);
                        conn.close(true);
                        return;
                    }
                    deliver(Arrays.copyOf(buf, n), f, random);
                }
                end();
            } catch (SocketException e) {
                // closed by the other direction, by a heal or by a peer: the usual end of a connection
                log.trace("proxy {}>{}: {}", from, to, e.toString());
                conn.close(false);
            } catch (IOException e) {
                log.debug("proxy {}>{}: connection failed: {}", from, to, e.toString());
                conn.close(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.close(false);
            }
        }

        private void end() {
            // a FIN must not cross a cut either: the heal closes such connections
            if (faults.fault(src, dst).cut()) {
                conn.damaged = true;
                return;
            }
            synchronized (writeLock) {
                if (pending == 0) {
                    conn.close(false);
                    return;
                }
                pending++;
            }
            queue.add(new Chunk(null, lastDue));
        }

        private void deliver(byte[] bytes, LinkFault f, ThreadLocalRandom random) throws IOException, InterruptedException {
            synchronized (writeLock) {
                if (!f.delays() && pending == 0) {
                    write(bytes);
                    return;
                }
                pending++;
                if (deliverer == null) {
                    deliverer = new Thread(this::deliverLoop, "netfault-" + src + ">" + dst + "-deliver");
                    deliverer.setDaemon(true);
                    deliverer.start();
                }
            }
            long due = Math.max(lastDue, System.nanoTime() + f.sampleDelayNanos(random));
            lastDue = due;
            queue.add(new Chunk(bytes, due));
        }

        private void deliverLoop() {
            try {
                while (!conn.done) {
                    Chunk c = queue.poll(1, TimeUnit.SECONDS);
                    if (c == null) {
                        continue;
                    }
                    sleepUntil(c.dueNanos());
                    if (c.bytes() == null) {
                        conn.close(false);
                        return;
                    }
                    LinkFault f = faults.fault(src, dst);
                    synchronized (writeLock) {
                        pending--;
                        if (f.cut()) {
                            dropped.addAndGet(c.bytes().length);
                            conn.damaged = true;
                            continue;
                        }
                        write(c.bytes());
                    }
                    if (f.bytesPerSecond() > 0) {
                        long now = System.nanoTime();
                        nextFreeNanos = Math.max(nextFreeNanos, now) + c.bytes().length * 1_000_000_000L / f.bytesPerSecond();
                        sleepUntil(nextFreeNanos);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                conn.close(false);
            } catch (IOException e) {
                log.trace("proxy {}>{}: delivery ended: {}", from, to, e.toString());
                conn.close(false);
            }
        }

        private void write(byte[] bytes) throws IOException {
            // counted before the write, so a peer that got the bytes never sees a count without them
            forwarded.addAndGet(bytes.length);
            out.write(bytes);
            out.flush();
        }

        private void sleepUntil(long dueNanos) throws InterruptedException {
            long wait;
            while ((wait = dueNanos - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
    }
}
