package io.chainring.it.nemesis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A loopback TCP proxy that can be cut like a network partition. Healthy, it forwards bytes both
 * ways. {@link #cut()} makes it a black hole: bytes on open connections are read and dropped in
 * both directions (the sockets stay open, as when packets are lost, so peers notice only by
 * timeouts), and new connections are accepted but never reach the target. {@link #heal()} closes
 * every connection that lived through the cut (bytes were lost, so those streams are broken; a
 * real TCP connection would also die or reset) and forwards new connections again.
 *
 * <p>Blocking sockets, two threads per connection: it is meant for a handful of ZooKeeper
 * sessions, not for bulk traffic.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TcpProxy.class);

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Link> links = new HashSet<>();
    private boolean cut;
    private boolean closed;

    private TcpProxy(String name, InetSocketAddress target) throws IOException {
        this.name = Objects.requireNonNull(name, "name");
        this.target = Objects.requireNonNull(target, "target");
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "proxy-" + name + "-accept");
        this.acceptor.setDaemon(true);
    }

    /** A proxy on a free loopback port that forwards to {@code target}; started. */
    public static TcpProxy start(String name, InetSocketAddress target) throws IOException {
        TcpProxy p = new TcpProxy(name, target);
        p.acceptor.start();
        return p;
    }

    /** The proxy's listening port on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /** {@code 127.0.0.1:port} of the proxy. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /** Drops every byte from now on, on open and new connections alike. */
    public synchronized void cut() {
        if (!cut) {
            cut = true;
            for (Link l : links) {
                l.blackhole();
            }
            log.info("proxy {}: cut ({} connections black-holed)", name, links.size());
        }
    }

    /** Ends the cut: connections that lived through it are closed, new ones are forwarded. */
    public synchronized void heal() {
        if (cut) {
            cut = false;
            List<Link> broken = new ArrayList<>(links);
            for (Link l : broken) {
                l.close();
            }
            log.info("proxy {}: healed ({} broken connections closed)", name, broken.size());
        }
    }

    public synchronized boolean isCut() {
        return cut;
    }

    @Override
    public void close() throws InterruptedException {
        List<Link> open;
        synchronized (this) {
            closed = true;
            open = new ArrayList<>(links);
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("proxy {}: closing the listening socket: {}", name, e.toString());
        }
        for (Link l : open) {
            l.close();
        }
        acceptor.join(5_000);
    }

    private void acceptLoop() {
        while (true) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.warn("proxy {}: accept failed, proxy stops: {}", name, e.toString());
                }
                return;
            }
            try {
                open(client);
            } catch (IOException e) {
                // the target refused (e.g. it is down): the client sees its connection close, as it would
                log.debug("proxy {}: cannot reach {}: {}", name, target, e.toString());
                closeQuietly(client);
            }
        }
    }

    private void open(Socket client) throws IOException {
        boolean blackholed;
        synchronized (this) {
            if (closed) {
                closeQuietly(client);
                return;
            }
            blackholed = cut;
        }
        // during a cut the connection never reaches the target
        Socket upstream = null;
        if (!blackholed) {
            upstream = new Socket();
            upstream.connect(target, 2_000);
        }
        Link link = new Link(client, upstream);
        synchronized (this) {
            if (closed || cut != blackholed) {
                // cut or healed while connecting: start over in the current state
                link.close();
                return;
            }
            links.add(link);
            if (blackholed) {
                link.blackhole();
            }
        }
        link.start();
    }

    private synchronized void remove(Link link) {
        links.remove(link);
    }

    private static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            // closing a socket we are done with; nothing else to do
            log.debug("closing {}: {}", s, e.toString());
        }
    }

    /** One proxied connection: client ⇄ upstream (upstream is null when opened during a cut). */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean blackholed;
        private volatile boolean done;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void blackhole() {
            blackholed = true;
        }

        void start() {
            Thread up = new Thread(() -> pump(client, upstream), "proxy-" + name + "-up");
            up.setDaemon(true);
            up.start();
            if (upstream != null) {
                Thread down = new Thread(() -> pump(upstream, client), "proxy-" + name + "-down");
                down.setDaemon(true);
                down.start();
            }
        }

        private void pump(Socket from, Socket to) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to == null ? null : to.getOutputStream();
                int n;
                while ((n = in.read(buf)) >= 0) {
                    if (!blackholed && out != null) {
                        out.write(buf, 0, n);
                        out.flush();
                    }
                }
            } catch (SocketException e) {
                // closed by the other pump, by heal() or by a peer: the usual end of a link
                log.trace("proxy {}: {}", name, e.toString());
            } catch (IOException e) {
                log.debug("proxy {}: link failed: {}", name, e.toString());
            } finally {
                // a close must not cross a cut either (a partition does not carry FINs): heal() ends such links
                if (!blackholed) {
                    close();
                }
            }
        }

        void close() {
            if (done) {
                return;
            }
            done = true;
            closeQuietly(client);
            closeQuietly(upstream);
            remove(this);
        }
    }
}
