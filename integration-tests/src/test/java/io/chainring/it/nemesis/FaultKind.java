package io.chainring.it.nemesis;

/** The faults a {@link Nemesis} injects on real processes. */
public enum FaultKind {
    /** kill -9 a datanode; restart it (same id, port, data directory) after its session expired. */
    KILL_DATANODE,
    /** SIGSTOP a datanode past its ZooKeeper session timeout, then SIGCONT: it wakes up as a zombie. */
    PAUSE_DATANODE,
    /** SIGSTOP a datanode for less than its session timeout (a long GC pause), then SIGCONT. */
    SHORT_PAUSE_DATANODE,
    /** Graceful restart (SIGTERM, start again). */
    RESTART_DATANODE,
    /** Cut a datanode off from ZooKeeper past its session timeout (it stays reachable by clients and peers). */
    CUT_DATANODE_FROM_ZK,
    /** kill -9 the controller leader; restart it. */
    KILL_CONTROLLER_LEADER,
    /** Cut the controller leader off from ZooKeeper past its session timeout. */
    CUT_CONTROLLER_LEADER_FROM_ZK
}
