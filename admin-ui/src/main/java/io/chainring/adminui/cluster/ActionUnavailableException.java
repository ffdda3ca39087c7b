package io.chainring.adminui.cluster;

/** An action the cluster cannot take (yet); the message says why, for the operator. */
public final class ActionUnavailableException extends Exception {
    public ActionUnavailableException(String message) {
        super(message);
    }
}
