package io.arqonbus.client;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Frames (commands, live publications) made while the client is not connected, sent in order
 * once it is; at most {@code capacity}: past it, a send fails at once with
 * {@link ArqonBusException#OUTBOX_FULL}.
 */
final class Outbox {
    record Item(String json, CompletableFuture<Void> sent) {
    }

    private final int capacity;
    private final ArrayDeque<Item> items = new ArrayDeque<>();

    Outbox(int capacity) {
        this.capacity = capacity;
    }

    synchronized boolean add(Item item) {
        if (items.size() >= capacity) {
            return false;
        }
        items.addLast(item);
        return true;
    }

    synchronized List<Item> drain() {
        List<Item> out = new ArrayList<>(items);
        items.clear();
        return out;
    }

    void failAll(ArqonBusException error) {
        drain().forEach(i -> i.sent().completeExceptionally(error));
    }
}
