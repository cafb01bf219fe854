package io.arqonbus.server.internal.kv;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits for a key-value store's answer off the event loops (start-up and the lanes' own threads
 * that keep documents in the store: durable cron jobs, durable webhook rules), as an
 * {@link IOException} that says what went wrong.
 */
public final class KeyValueWait {
    /** How long a document read or write may take. */
    public static final long TIMEOUT_SECONDS = 10;

    private KeyValueWait() {
    }

    /** The future's value, or an {@link IOException} on failure, after {@link #TIMEOUT_SECONDS} or on interrupt. */
    public static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause() == null ? e.toString() : e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the key-value store did not answer in " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
