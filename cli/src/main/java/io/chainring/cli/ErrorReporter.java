package io.chainring.cli;

import io.chainring.client.ChainringException;
import io.chainring.client.ErrorCode;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns a failed command into one clear line on stderr and a stable exit code. */
final class ErrorReporter implements IExecutionExceptionHandler {
    private final Main main;

    ErrorReporter(Main main) {
        this.main = main;
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName(" ") + ": " + describe(e));
        if (main.global().verbose()) {
            e.printStackTrace(cmd.getErr());
        }
        cmd.getErr().flush();
        return exitCode(e);
    }

    /**
     * The CLI boundary's mapping table (DESIGN "Errors"): every client error code has its exit
     * code; an invalid argument is a usage error; anything else is a plain failure.
     */
    static int exitCode(Throwable e) {
        if (e instanceof ChainringException ce) {
            return exitCode(ce.code());
        }
        return e instanceof IllegalArgumentException ? ExitCodes.USAGE : ExitCodes.FAILURE;
    }

    static int exitCode(ErrorCode code) {
        return switch (code) {
            case VERSION_MISMATCH, NOT_FOUND -> ExitCodes.NOT_FOUND;
            case INVALID_REQUEST -> ExitCodes.USAGE;
            case UNAVAILABLE, TIMEOUT, CONNECTION, OUTCOME_UNKNOWN -> ExitCodes.UNAVAILABLE;
            case STALE_ROUTING, INTERRUPTED, INTERNAL, UNAUTHORIZED, CONFLICT -> ExitCodes.FAILURE;
        };
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof ChainringException ce && ce.mayHaveBeenApplied()) {
            message = message + " (the operation may or may not have been applied)";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
