package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoreHealth;
import io.netty.channel.EventLoopGroup;
import java.util.ArrayList;
import java.util.List;

/**
 * Healthy while the event loops run and the history store is reachable (a Redis store that is
 * down, whether history falls back to memory or durable writes are refused, is a problem).
 */
public final class BusHealthCheck implements HealthCheck {
    private final EventLoopGroup workers;
    private final HistoryStore history;

    public BusHealthCheck(EventLoopGroup workers, HistoryStore history) {
        this.workers = workers;
        this.history = history;
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>(2);
        if (workers.isShuttingDown()) {
            problems.add("event loops are shutting down");
        }
        try {
            StoreHealth health = history.health();
            if (!health.available()) {
                problems.add("history store (" + history.backend() + ") is unavailable"
                        + (health.detail() != null ? ": " + health.detail() : ""));
            }
        } catch (RuntimeException e) {
            problems.add("history store (" + history.backend() + ") is unavailable: " + e.getMessage());
        }
        return problems;
    }
}
