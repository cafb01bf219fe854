package io.arqonbus.cli.common;

/**
 * Where {@code arqon serve} learns that it should stop: SIGTERM/SIGINT in the real process
 * ({@link OsStopSignal}), a method call in tests.
 */
public interface StopSignal {
    /**
     * Arranges for {@code onStop} to run (once, on some other thread) when a stop is requested.
     *
     * @param onStop    asks the server to stop; must return quickly
     * @param onJvmExit stops the server synchronously if the JVM exits for another reason
     * @return undoes the registration once the server has stopped
     */
    Registration register(Runnable onStop, Runnable onJvmExit);

    /** Undoes a {@link #register} call. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
