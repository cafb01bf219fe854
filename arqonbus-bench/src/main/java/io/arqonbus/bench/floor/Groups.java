package io.arqonbus.bench.floor;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** All groups of one floor server by {@code room:channel}; groups are never removed (no history, no cleanup). */
final class Groups {
    private final ConcurrentMap<String, Group> byKey = new ConcurrentHashMap<>();

    Group group(String room, String channel) {
        return byKey.computeIfAbsent(room + ':' + channel, key -> new Group());
    }
}
