package io.chainring.controller.leader;

/** How one leader pass ended. */
public enum PassResult {
    /** This controller may not act (not the leader, or its ZooKeeper connection is not trusted). */
    NOT_ACTING,
    /** Nothing to write yet (see the logged reason). */
    WAITING,
    /** The ring is as it should be. */
    STEADY,
    /** A new ring was written. */
    WROTE,
    /** The ring write lost a compare-and-set; the pass was dropped and the next one re-reads. */
    CONFLICT,
    /** Leadership or the connection was lost between reading and writing; nothing was written. */
    STOPPED_BEFORE_WRITE
}
