package io.arqonbus.server.internal.async;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Reading failures that come out of futures. */
public final class Failures {
    private Failures() {
    }

    /**
     * The failure inside the {@link CompletionException} and {@link ExecutionException} wrappers
     * that futures put around it; {@code error} itself when it is no such wrapper or has no cause.
     */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
