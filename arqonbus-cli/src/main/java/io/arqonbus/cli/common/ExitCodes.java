package io.arqonbus.cli.common;

/** The exit codes of {@code arqon}, documented in {@code docs/configuration.md}. */
public final class ExitCodes {
    /** Success; for {@code serve}, a graceful stop after SIGTERM or SIGINT. */
    public static final int OK = 0;
    /** A runtime failure: a port could not be bound, a server could not be reached, a timeout. */
    public static final int FAILURE = 1;
    /** A usage or configuration error: unknown flag, bad value, invalid configuration. */
    public static final int USAGE = 2;
    /**
     * {@code serve} ran out of memory and halted (the server's {@code OutOfMemoryGuard.EXIT_STATUS};
     * also the JVM's own status for {@code -XX:+ExitOnOutOfMemoryError}).
     */
    public static final int OUT_OF_MEMORY = 3;

    private ExitCodes() {
    }
}
