package io.arqonbus.server.internal.http;

import java.util.List;

/**
 * Whether the parts the server needs are working, for {@code GET /health}. Must not block: a
 * check that needs I/O (a remote store) keeps its last result and refreshes it off the event loop.
 */
@FunctionalInterface
public interface HealthCheck {
    /** One sentence per part that is down; empty when healthy. */
    List<String> problems();
}
