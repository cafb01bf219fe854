package io.arqonbus.bench.floor;

import java.util.Locale;

/**
 * How the floor finds a frame's group. {@code scan}: it scans each frame for its {@code room}
 * and {@code channel} (and answers {@code join_channel}). {@code path}: a connection's group is
 * the URL path of its upgrade ({@code /<room>/<channel>}, any path will do) and frames are
 * forwarded without being looked into — the limit any server that reads its frames stays below.
 */
public enum FloorMode {
    SCAN,
    PATH;

    /** {@code scan} or {@code path} (case-insensitive). */
    public static FloorMode parse(String text) {
        for (FloorMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("unknown floor mode '" + text + "' (expected scan or path)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
