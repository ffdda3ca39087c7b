package io.chainring.cli.evaluate.history;

/** The register operations a history records: the synchronous key-value calls of the client. */
public enum OpType {
    /** {@code get}: returns the value and its version, or absent. */
    READ,
    /** {@code put}: stores a value, returns its new version. */
    WRITE,
    /** {@code compareAndSet}: stores a value if the key's version is the expected one (0: absent). */
    CAS,
    /** {@code delete}: removes the key, returns whether it existed. */
    DELETE
}
