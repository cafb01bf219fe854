package io.arqonbus.server.internal.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a running bus must undo, in order: each lane registers a hook with a {@link Priority} as it
 * is built, and {@link #runAll()} runs them once, by priority and, within one priority, newest
 * first. The same list serves a start that fails half-way (only the lanes built so far are undone)
 * and a stop. A hook that fails is logged and the next one still runs.
 */
public final class ShutdownHooks {
    private static final Logger log = LoggerFactory.getLogger(ShutdownHooks.class);

    /** When a hook runs during shutdown: earlier constants first. */
    public enum Priority {
        /** Stop accepting bus and telemetry connections. */
        LISTENERS,
        /** Close connected clients (1001) and wait for them to leave. */
        CLIENTS,
        /** Close the HTTP port (kept up until here so that {@code GET /ready} reports draining). */
        HTTP,
        /** Stop feature threads: cron, in-process subscriptions. */
        FEATURES,
        /** Stop the Netty event loops. */
        EVENT_LOOPS,
        /** Close operator lanes with connections or dispatchers (key-value store, webhooks). */
        LANES,
        /** Close the history store. */
        STORAGE,
        /** Close the authenticator (key refresh). */
        SECURITY
    }

    /** One step of a shutdown. */
    @FunctionalInterface
    public interface Hook {
        /** Undoes one part; may block (it never runs on an event loop). */
        void run() throws Exception;
    }

    private record Entry(Priority priority, int order, String name, Hook hook) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private boolean ran;

    /**
     * Registers a hook.
     *
     * @param name what the hook undoes, for the log
     * @throws IllegalStateException once the hooks ran
     */
    public synchronized void add(Priority priority, String name, Hook hook) {
        if (ran) {
            throw new IllegalStateException("shutdown hooks already ran");
        }
        entries.add(new Entry(priority, entries.size(), name, hook));
    }

    /** How many hooks are registered. */
    public synchronized int size() {
        return entries.size();
    }

    /** Runs every hook once, in order; later calls do nothing. */
    public void runAll() {
        List<Entry> ordered;
        synchronized (this) {
            if (ran) {
                return;
            }
            ran = true;
            ordered = entries.stream()
                    .sorted(Comparator.comparing(Entry::priority)
                            .thenComparing(Comparator.comparingInt(Entry::order).reversed()))
                    .toList();
        }
        for (Entry entry : ordered) {
            try {
                entry.hook().run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                log.atWarn()
                        .addKeyValue("event", "shutdown_hook_interrupted")
                        .addKeyValue("hook", entry.name())
                        .log("shutdown_hook_interrupted");
            } catch (Exception e) {
                log.atWarn()
                        .addKeyValue("event", "shutdown_hook_failed")
                        .addKeyValue("code", "INTERNAL_ERROR")
                        .addKeyValue("hook", entry.name())
                        .addKeyValue("msg", e.toString())
                        .log("shutdown_hook_failed");
            }
        }
    }
}
