package io.arqonbus.server.internal.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    /** What a store promises to fail with, carrying what went wrong below it. */
    private static final class Unavailable extends RuntimeException {
        Unavailable(Throwable cause) {
            super("unavailable: " + cause.getMessage(), cause);
        }
    }

    @Test
    void unwrapTakesTheFailureOutOfEveryFutureWrapper() {
        IOException root = new IOException("disk on fire");
        assertThat(Failures.unwrap(new CompletionException(new ExecutionException(root)))).isSameAs(root);
        assertThat(Failures.unwrap(root)).isSameAs(root);
        CompletionException empty = new CompletionException("no cause", null);
        assertThat(Failures.unwrap(empty)).isSameAs(empty);
    }

    @Test
    void mapFailureKeepsAValueAndMapsTheUnwrappedFailure() {
        assertThat(Failures.mapFailure(CompletableFuture.completedFuture("ok"), Unavailable::new).join())
                .isEqualTo("ok");

        CompletableFuture<String> failing = CompletableFuture.failedFuture(
                new CompletionException(new IOException("refused")));
        CompletableFuture<String> mapped = Failures.mapFailure(failing, Unavailable::new);
        assertThatThrownBy(mapped::join).isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(Unavailable.class).hasMessage("unavailable: refused")
                .cause().isInstanceOf(IOException.class);
    }

    @Test
    void attemptMapsAFailureThrownAtOnceAsOneCarriedByTheFuture() {
        CompletableFuture<String> thrown = Failures.attempt(() -> {
            throw new IllegalStateException("not connected");
        }, Unavailable::new);
        assertThatThrownBy(thrown::join).cause().isInstanceOf(Unavailable.class)
                .hasMessage("unavailable: not connected");

        CompletableFuture<String> later = Failures.attempt(
                () -> CompletableFuture.failedFuture(new IOException("timed out")), Unavailable::new);
        assertThatThrownBy(later::join).cause().isInstanceOf(Unavailable.class)
                .hasMessage("unavailable: timed out");

        assertThat(Failures.attempt(() -> CompletableFuture.completedFuture(7), Unavailable::new).join())
                .isEqualTo(7);
    }
}
