package io.arqonbus.server.internal.http;

import java.util.concurrent.CompletionStage;

/**
 * One path of the HTTP port. Called on an event loop: it must not block. An endpoint that needs
 * I/O returns a stage completed later from another thread.
 */
@FunctionalInterface
public interface HttpEndpoint {
    /** Answers a {@code GET} (a {@code HEAD} gets the same answer without its body). */
    CompletionStage<HttpAnswer> handle(HttpCall call);
}
