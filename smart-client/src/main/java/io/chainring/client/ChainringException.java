package io.chainring.client;

import java.util.Objects;

/**
 * Base of every error the client throws. Unchecked. {@link #mayHaveBeenApplied()} tells a caller
 * whether a write that failed might still have taken effect, which decides whether it is safe to
 * simply try again.
 */
public class ChainringException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final boolean mayHaveBeenApplied;

    public ChainringException(ErrorCode code, String message, boolean mayHaveBeenApplied, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
        this.mayHaveBeenApplied = mayHaveBeenApplied;
    }

    public ChainringException(ErrorCode code, String message, boolean mayHaveBeenApplied) {
        this(code, message, mayHaveBeenApplied, null);
    }

    /** The stable error code. */
    public ErrorCode code() {
        return code;
    }

    /**
     * False when the client knows the operation was not applied (a refusal, or nothing was sent);
     * true when it may have been (a deadline passed or a connection broke after the request was
     * sent). Reads are never applied, but report the same way.
     */
    public boolean mayHaveBeenApplied() {
        return mayHaveBeenApplied;
    }
}
