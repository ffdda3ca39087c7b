package io.chainring.metadata;

/** A compare-and-set ring write lost: someone wrote a newer ring since it was read. */
public class RingConflictException extends Exception {
    public RingConflictException(String message) {
        super(message);
    }
}
