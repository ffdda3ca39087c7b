package io.chainring.controller;

import io.chainring.metadata.LiveRegistration;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;

/**
 * Registers nodes the way a datanode does (persistent registration, then an ephemeral live
 * znode), over a ZooKeeper session of its own, separate from the controllers'.
 */
public final class Datanodes implements AutoCloseable {
    private final CuratorFramework zk;
    private final NodeRegistry registry;
    private final Map<String, LiveRegistration> live = new HashMap<>();

    public Datanodes(String zkConnect, String cluster) {
        this.zk = ZkClients.connect(zkConnect, Duration.ofSeconds(10), Duration.ofSeconds(10));
        this.registry = new NodeRegistry(zk, cluster);
    }

    public NodeRegistry registry() {
        return registry;
    }

    /** Registers {@code id} at 127.0.0.1:port and announces it live; returns what is stored. */
    public NodeInfo start(String id, int port) throws Exception {
        NodeInfo stored = registry.register(new NodeInfo(NodeId.of(id), new HostPort("127.0.0.1", port), "z1",
                NodeState.NEW));
        if (!live.containsKey(id)) {
            LiveRegistration reg = registry.goLive(NodeId.of(id));
            if (!reg.awaitCreated(Duration.ofSeconds(10))) {
                reg.close();
                throw new IllegalStateException("live znode of " + id + " did not appear");
            }
            live.put(id, reg);
        }
        return stored;
    }

    /** The node's session ends: its live znode goes away, its registration stays. */
    public void stop(String id) throws IOException {
        LiveRegistration reg = live.remove(id);
        if (reg != null) {
            reg.close();
        }
    }

    public NodeInfo node(String id) {
        return registry.node(NodeId.of(id)).orElseThrow();
    }

    @Override
    public void close() throws IOException {
        for (LiveRegistration reg : live.values()) {
            reg.close();
        }
        live.clear();
        zk.close();
    }
}
