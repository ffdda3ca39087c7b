package io.chainring.cli;

import io.chainring.client.ChainringException;
import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.ConnectionException;
import io.chainring.client.InvalidRequestException;
import io.chainring.client.NotFoundException;
import io.chainring.client.UnavailableException;
import io.chainring.client.VersionMismatchException;
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

    static int exitCode(Throwable e) {
        if (e instanceof VersionMismatchException || e instanceof NotFoundException) {
            return ExitCodes.NOT_FOUND;
        }
        if (e instanceof InvalidRequestException || e instanceof IllegalArgumentException) {
            return ExitCodes.USAGE;
        }
        if (e instanceof UnavailableException || e instanceof ChainringTimeoutException || e instanceof ConnectionException) {
            return ExitCodes.UNAVAILABLE;
        }
        return ExitCodes.FAILURE;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof ChainringException ce && ce.mayHaveBeenApplied()) {
            message = message + " (the operation may or may not have been applied)";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }
}
