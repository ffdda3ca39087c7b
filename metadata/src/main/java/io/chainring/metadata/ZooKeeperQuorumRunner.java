package io.chainring.metadata;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.server.quorum.QuorumPeerConfig;
import org.apache.zookeeper.server.quorum.QuorumPeerMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server of a ZooKeeper ensemble (a quorum peer) in this JVM, for {@code chainring zookeeper
 * --server-id N --ensemble ...}: the same server as Apache ZooKeeper's {@code zkServer.sh} runs,
 * configured from a few settings instead of a {@code zoo.cfg}. It serves clients once a majority
 * of the ensemble is up; there is no AdminServer (it would take port 8080).
 */
public final class ZooKeeperQuorumRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ZooKeeperQuorumRunner.class);
    /**
     * 500 ms, as the standalone runner: sessions expire at the first tick past their timeout, and
     * the minimum session is 2 ticks, so a 2 s datanode session (failover, DESIGN) is possible.
     */
    private static final int TICK_MILLIS = 500;

    private final QuorumPeerMain peer;
    private final Thread thread;
    private final String clientAddress;

    private ZooKeeperQuorumRunner(QuorumPeerMain peer, Thread thread, String clientAddress) {
        this.peer = peer;
        this.thread = thread;
        this.clientAddress = clientAddress;
    }

    /**
     * Parses an ensemble: {@code 1=host:2888:3888,2=host:2888:3888,...} (id = host, quorum port,
     * election port), as {@code server.N} lines of a {@code zoo.cfg} would name them.
     *
     * @throws IllegalArgumentException a malformed entry, a repeated id, or fewer than three servers
     */
    public static Map<Integer, String> parseEnsemble(String ensemble) {
        Map<Integer, String> servers = new LinkedHashMap<>();
        for (String entry : ensemble.split(",")) {
            String e = entry.strip();
            int eq = e.indexOf('=');
            String[] hostPorts = eq < 0 ? new String[0] : e.substring(eq + 1).split(":");
            if (eq < 1 || hostPorts.length != 3 || hostPorts[0].isBlank()) {
                throw new IllegalArgumentException("ensemble entry '" + e + "' is not ID=HOST:QUORUM_PORT:ELECTION_PORT");
            }
            int id;
            try {
                id = Integer.parseInt(e.substring(0, eq).strip());
                Integer.parseInt(hostPorts[1]);
                Integer.parseInt(hostPorts[2]);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("ensemble entry '" + e + "' is not ID=HOST:QUORUM_PORT:ELECTION_PORT", ex);
            }
            if (id < 1 || id > 255) {
                throw new IllegalArgumentException("ensemble server id " + id + " is not in 1..255");
            }
            if (servers.put(id, e.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("ensemble names server " + id + " twice");
            }
        }
        if (servers.size() < 3) {
            throw new IllegalArgumentException("an ensemble needs at least 3 servers (a majority must survive one failure); "
                    + "for one server run 'chainring zookeeper' without --ensemble");
        }
        return servers;
    }

    /**
     * Starts server {@code myId} of {@code ensemble}, serving clients on {@code host:clientPort}
     * and keeping its data in {@code dataDir} (which holds the {@code myid} file).
     */
    public static ZooKeeperQuorumRunner start(int myId, Map<Integer, String> ensemble, String host, int clientPort, Path dataDir)
            throws IOException {
        if (!ensemble.containsKey(myId)) {
            throw new IllegalArgumentException("server id " + myId + " is not in the ensemble " + ensemble.keySet());
        }
        System.setProperty("zookeeper.admin.enableServer", "false");
        System.setProperty("zookeeper.4lw.commands.whitelist", "ruok,srvr,stat");
        Files.createDirectories(dataDir);
        Path myIdFile = dataDir.resolve("myid");
        if (Files.exists(myIdFile) && !Files.readString(myIdFile, StandardCharsets.US_ASCII).strip().equals(String.valueOf(myId))) {
            throw new IllegalArgumentException(dataDir + " belongs to ZooKeeper server "
                    + Files.readString(myIdFile, StandardCharsets.US_ASCII).strip() + ", not " + myId);
        }
        Files.writeString(myIdFile, myId + "\n", StandardCharsets.US_ASCII);
        Properties p = new Properties();
        p.setProperty("tickTime", String.valueOf(TICK_MILLIS));
        // in ticks: 10 s and 5 s, as before with 1 s ticks
        p.setProperty("initLimit", "20");
        p.setProperty("syncLimit", "10");
        // the default maximum is 20 ticks (10 s): a controller or datanode may ask for up to a minute
        p.setProperty("maxSessionTimeout", "60000");
        p.setProperty("dataDir", dataDir.toAbsolutePath().toString());
        p.setProperty("clientPort", String.valueOf(clientPort));
        p.setProperty("clientPortAddress", host);
        p.setProperty("autopurge.snapRetainCount", "5");
        p.setProperty("autopurge.purgeInterval", "24");
        ensemble.forEach((id, address) -> p.setProperty("server." + id, address));
        QuorumPeerConfig config = new QuorumPeerConfig();
        try {
            config.parseProperties(p);
        } catch (QuorumPeerConfig.ConfigException e) {
            throw new IllegalArgumentException("bad ZooKeeper ensemble settings: " + e.getMessage(), e);
        }
        QuorumPeerMain peer = new QuorumPeerMain();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                peer.runFromConfig(config);
            } catch (Exception e) {
                failure.set(e);
                log.error("ZooKeeper server {} stopped with an error", myId, e);
            }
        }, "zookeeper-quorum-" + myId);
        thread.start();
        String address = host + ":" + clientPort;
        ZooKeeperQuorumRunner runner = new ZooKeeperQuorumRunner(peer, thread, address);
        runner.awaitListening(host, clientPort, failure);
        log.info("ZooKeeper server {} of ensemble {} listening for clients on {} with data in {}", myId, ensemble, address, dataDir);
        return runner;
    }

    /** Waits until the client port accepts connections (it opens before the election), or the server failed. */
    private void awaitListening(String host, int clientPort, AtomicReference<Exception> failure) throws IOException {
        String dial = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress(dial, clientPort), 500);
                return;
            } catch (IOException e) {
                if (!thread.isAlive() || System.nanoTime() > deadline) {
                    close();
                    Exception cause = failure.get();
                    throw new IOException("ZooKeeper server did not start listening on " + dial + ":" + clientPort
                            + (cause == null ? " within 30 s" : ": " + cause), cause);
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IOException("interrupted while starting ZooKeeper", e);
            }
        }
    }

    /** This server's client address (the ensemble's connect string names every server's). */
    public String clientAddress() {
        return clientAddress;
    }

    /** Whether the server thread still runs (it ends on a fatal error or at close). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void close() {
        // the peer exists only once runFromConfig has made it: close again until the thread ends (bounded)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        try {
            while (thread.isAlive() && System.nanoTime() < deadline) {
                peer.close();
                thread.join(500);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("ZooKeeper server thread did not end within 30 s of close");
        }
        log.info("ZooKeeper server stopped");
    }
}
