package io.arqonbus.server.config;

import java.util.Locale;

/** What the server does when its configured history store (Redis) cannot be reached. */
public enum StorageMode {
    /**
     * Keep serving: history falls back to memory while Redis is down, durable acknowledgements are
     * refused, and the server switches back by itself when Redis returns (the default).
     */
    DEGRADED,
    /** Refuse to start while Redis is unreachable, and refuse durable writes while it is down. */
    STRICT;

    /** {@code degraded} or {@code strict}, case-insensitive. */
    public static StorageMode parse(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "degraded" -> DEGRADED;
            case "strict" -> STRICT;
            default -> throw new ConfigException(name + ": '" + value + "' (expected: degraded or strict)");
        };
    }

    /** The name used in configuration. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
