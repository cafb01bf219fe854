package io.arqonbus.client;

import java.util.LinkedHashSet;

/** The client ids of a client's last {@code capacity} connections, oldest forgotten first. */
final class OwnIds {
    private final int capacity;
    private final LinkedHashSet<String> ids = new LinkedHashSet<>();

    OwnIds(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String id) {
        if (id == null || !ids.add(id)) {
            return;
        }
        if (ids.size() > capacity) {
            ids.remove(ids.iterator().next());
        }
    }

    synchronized boolean contains(String id) {
        return id != null && ids.contains(id);
    }
}
