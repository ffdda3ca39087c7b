package io.chainring.client;

/**
 * An admin call named something that does not exist (an unknown node id, no plan to act on). Not
 * applied.
 */
public class NotFoundException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public NotFoundException(String message) {
        super(ErrorCode.NOT_FOUND, message, false);
    }
}
