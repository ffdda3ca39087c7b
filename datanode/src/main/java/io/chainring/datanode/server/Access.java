package io.chainring.datanode.server;

/** What a request does to a partition, which decides where it may be served (DESIGN §6.5). */
enum Access {
    /** Any chain member may answer. */
    READ,
    /** Only the head may accept it. */
    WRITE
}
