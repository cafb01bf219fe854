package io.arqonbus.server.internal.webhook;

import java.net.http.HttpClient;
import java.time.Duration;

/**
 * The webhooks' JDK {@link HttpClient}, made on the first attempt rather than at start: making one
 * loads the JDK's trust store (over a second of a cold start on a busy machine), which a server
 * without webhook rules never needs, and a restarting server should not spend before it listens.
 * Used by the dispatcher's worker and its attempts' scheduler, never by an event loop.
 */
final class WebhookHttpClient {
    private HttpClient client;
    private boolean shut;

    /** The client, made now if this is the first call (after {@link #shutdownNow()}: one that fails every send, as before). */
    synchronized HttpClient get() {
        if (client == null) {
            client = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            if (shut) {
                client.shutdownNow();
            }
        }
        return client;
    }

    /** Stops the client if one was made; no client is made after this. */
    synchronized void shutdownNow() {
        shut = true;
        if (client != null) {
            client.shutdownNow();
        }
    }
}
