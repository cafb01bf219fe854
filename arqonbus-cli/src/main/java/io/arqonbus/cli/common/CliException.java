package io.arqonbus.cli.common;

/**
 * A failure the user should read as one line, {@code arqon: <message>}, with the exit code to
 * leave with ({@link ExitCodes}).
 */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A runtime failure (exit code 1). */
    public static CliException failure(String message) {
        return new CliException(ExitCodes.FAILURE, message);
    }

    /** A usage or configuration error (exit code 2). */
    public static CliException usage(String message) {
        return new CliException(ExitCodes.USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
