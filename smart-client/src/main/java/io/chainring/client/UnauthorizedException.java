package io.chainring.client;

/**
 * A state-changing admin call without the controller's admin token, or with a wrong one. Not
 * applied; retrying with the same token cannot help.
 */
public class UnauthorizedException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public UnauthorizedException(String message) {
        super(ErrorCode.UNAUTHORIZED, message, false);
    }
}
