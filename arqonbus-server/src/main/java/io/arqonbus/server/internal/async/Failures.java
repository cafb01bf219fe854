package io.arqonbus.server.internal.async;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.Supplier;

/** Reading failures that come out of futures, and turning them into the failure a caller promises. */
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

    /**
     * A future that completes as {@code stage} does, but fails with {@code map} of its
     * {@link #unwrap unwrapped} failure (e.g. a backend's error turned into the store's
     * "unavailable" exception).
     */
    public static <T> CompletableFuture<T> mapFailure(CompletionStage<T> stage,
            Function<? super Throwable, ? extends Throwable> map) {
        CompletableFuture<T> mapped = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error == null) {
                mapped.complete(value);
            } else {
                mapped.completeExceptionally(map.apply(unwrap(error)));
            }
        });
        return mapped;
    }

    /**
     * Starts {@code call} and {@link #mapFailure maps its failure} with {@code map}, whether the
     * call throws at once or its future fails later.
     */
    public static <T> CompletableFuture<T> attempt(Supplier<? extends CompletionStage<T>> call,
            Function<? super Throwable, ? extends Throwable> map) {
        CompletionStage<T> stage;
        try {
            stage = call.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(map.apply(unwrap(e)));
        }
        return mapFailure(stage, map);
    }
}
