package io.chainring.controller;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks whether the controller's ZooKeeper connection can be trusted (DESIGN §6.4): on
 * SUSPENDED or LOST the leader stops acting at once, without waiting for the latch to notice;
 * it acts again only after CONNECTED/RECONNECTED (and after winning the latch again).
 */
final class ConnectionGuard implements ConnectionStateListener {
    private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

    // ZkClients.connect returns a connected client, so we start out connected
    private final AtomicBoolean connected = new AtomicBoolean(true);
    private final AtomicLong interruptions = new AtomicLong();

    boolean connected() {
        return connected.get();
    }

    /** How many times the connection fell into doubt (SUSPENDED, LOST, READ_ONLY). */
    long interruptions() {
        return interruptions.get();
    }

    @Override
    public void stateChanged(CuratorFramework client, ConnectionState newState) {
        boolean ok = newState == ConnectionState.CONNECTED || newState == ConnectionState.RECONNECTED;
        if (!ok) {
            interruptions.incrementAndGet();
        }
        boolean was = connected.getAndSet(ok);
        if (was && !ok) {
            log.warn("ZooKeeper connection {}: the controller stops acting until it reconnects", newState);
        } else if (!was && ok) {
            log.info("ZooKeeper connection {}", newState);
        }
    }
}
