package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Commands sent and not answered yet, by request id, at most {@code capacity}; each completes with
 * its {@code response} (or an {@link ArqonBusException} for an error reply, a timeout or a lost
 * connection).
 */
final class PendingCommands {
    private final int capacity;
    private final Map<String, CompletableFuture<Envelope>> pending = new HashMap<>();

    PendingCommands(int capacity) {
        this.capacity = capacity;
    }

    /** Registers a command; {@code false} when {@code capacity} are already pending. */
    synchronized boolean add(String id, CompletableFuture<Envelope> reply) {
        if (pending.size() >= capacity) {
            return false;
        }
        pending.put(id, reply);
        reply.whenComplete((r, e) -> remove(id));
        return true;
    }

    private synchronized void remove(String id) {
        pending.remove(id);
    }

    /** Completes the command {@code reply} answers; {@code false} when none waits for it. */
    boolean answer(Envelope reply) {
        CompletableFuture<Envelope> future;
        synchronized (this) {
            future = pending.remove(reply.requestId());
        }
        if (future == null) {
            return false;
        }
        if ("error".equals(reply.status())) {
            String code = reply.errorCode() == null ? "ERROR" : reply.errorCode();
            future.completeExceptionally(new ArqonBusException(code, String.valueOf(reply.error())));
        } else {
            future.complete(reply);
        }
        return true;
    }

    /** Fails every pending command. */
    void failAll(ArqonBusException error) {
        List<CompletableFuture<Envelope>> all;
        synchronized (this) {
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        all.forEach(f -> f.completeExceptionally(error));
    }
}
