package io.arqonbus.bench.floor;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** All groups of one floor server by {@code room:channel}; groups are never removed (no history, no cleanup). */
final class Groups {
    private final ConcurrentMap<String, Group> byKey = new ConcurrentHashMap<>();

    Group group(String room, String channel) {
        return byKey.computeIfAbsent(room + ':' + channel, key -> new Group());
    }

    /** The group of a URL path (path mode; kept apart from the room:channel groups). */
    Group path(String path) {
        return byKey.computeIfAbsent("path " + path, key -> new Group());
    }
}
