package io.arqonbus.bench.workload;

/** A run could not be set up (connections refused, joins failed, timeouts); the message says which. */
public final class BenchException extends Exception {
    public BenchException(String message) {
        super(message);
    }

    public BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
