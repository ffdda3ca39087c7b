package io.chainring.metadata;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A standalone ZooKeeper server in this JVM, for {@code chainring demo}, {@code chainring zookeeper}
 * and tests. It has no AdminServer (which would take port 8080); production clusters should run
 * a real ensemble.
 */
public final class ZooKeeperServerRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperServerRunner.class);
    /**
     * 250 ms: a session expires at the first tick past its timeout, so the tick adds up to this much
     * to a datanode's failover (DESIGN "Failover"); the minimum session is 2 ticks.
     */
    private static final int TICK_MILLIS = 250;
    /** The longest session a client may ask for (a controller's default is 10 s). */
    private static final int MAX_SESSION_MILLIS = 60_000;

    private final ZooKeeperServer server;
    private final ServerCnxnFactory connections;

    private ZooKeeperServerRunner(ZooKeeperServer server, ServerCnxnFactory connections) {
        this.server = server;
        this.connections = connections;
    }

    /**
     * Starts a server on {@code host:port} (port 0 picks a free one) keeping its snapshots and
     * transaction log in {@code dataDir}.
     */
    public static ZooKeeperServerRunner start(String host, int port, Path dataDir) throws IOException {
        System.setProperty("zookeeper.admin.enableServer", "false");
        // four-letter-word commands answer on the client port; allow the harmless health check
        System.setProperty("zookeeper.4lw.commands.whitelist", "ruok,srvr,stat");
        File dir = dataDir.toFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IOException("cannot create ZooKeeper data dir " + dir);
        }
        FileTxnSnapLog snapLog = new FileTxnSnapLog(dir, dir);
        ZooKeeperServer zks = new ZooKeeperServer(snapLog, TICK_MILLIS, 2 * TICK_MILLIS, MAX_SESSION_MILLIS, -1,
                new org.apache.zookeeper.server.ZKDatabase(snapLog), "");
        ServerCnxnFactory factory = ServerCnxnFactory.createFactory(new InetSocketAddress(host, port), 1000);
        try {
            factory.startup(zks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            factory.shutdown();
            throw new IOException("interrupted while starting ZooKeeper", e);
        }
        ZooKeeperServerRunner runner = new ZooKeeperServerRunner(zks, factory);
        log.info("ZooKeeper serving on {} with data in {}", runner.connectString(), dir);
        return runner;
    }

    public int port() {
        return connections.getLocalPort();
    }

    public String connectString() {
        InetSocketAddress a = connections.getLocalAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    @Override
    public void close() {
        connections.shutdown();
        server.shutdown();
        log.info("ZooKeeper stopped");
    }
}
