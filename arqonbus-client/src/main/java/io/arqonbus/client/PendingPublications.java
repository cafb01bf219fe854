package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Durable publications not acknowledged yet, in the order they were made, at most
 * {@code capacity}. They are sent again, with the same id and idempotency key, after every
 * reconnect until the server's {@code ack} (or an error frame naming them) arrives, so a
 * publication the server stored before the connection broke is answered {@code duplicate: true}
 * rather than stored twice.
 */
final class PendingPublications {
    record Pending(String id, String json, CompletableFuture<DurableAck> ack) {
    }

    private final int capacity;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    PendingPublications(int capacity) {
        this.capacity = capacity;
    }

    synchronized boolean add(Pending publication) {
        if (pending.size() >= capacity) {
            return false;
        }
        pending.put(publication.id(), publication);
        return true;
    }

    /** Every publication still waiting, oldest first (to send again). */
    synchronized List<Pending> all() {
        return new ArrayList<>(pending.values());
    }

    /** Completes the publication an {@code ack} names; {@code false} when none waits. */
    boolean acknowledge(Envelope ack) {
        Pending publication;
        synchronized (this) {
            publication = pending.remove(ack.requestId());
        }
        if (publication == null) {
            return false;
        }
        var data = ack.payload();
        publication.ack().complete(new DurableAck(publication.id(),
                new StreamPosition(data.path("offset").asLong(), data.path("epoch").asText()),
                data.path("duplicate").asBoolean(false)));
        return true;
    }

    /** Fails the publication an error frame names ({@code STORAGE_UNAVAILABLE}, …); {@code false} when none waits. */
    boolean refuse(Envelope error) {
        Pending publication;
        synchronized (this) {
            publication = error.requestId() == null ? null : pending.remove(error.requestId());
        }
        if (publication == null) {
            return false;
        }
        publication.ack().completeExceptionally(new ArqonBusException(
                error.errorCode() == null ? "ERROR" : error.errorCode(), String.valueOf(error.error())));
        return true;
    }

    void failAll(ArqonBusException error) {
        List<Pending> all;
        synchronized (this) {
            all = new ArrayList<>(pending.values());
            pending.clear();
        }
        all.forEach(p -> p.ack().completeExceptionally(error));
    }
}
