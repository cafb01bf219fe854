package io.arqonbus.server.config;

import java.util.Locale;

/**
 * When the file history store forces its writes to disk. Written as {@code --store-sync} /
 * {@code ARQONBUS_STORE_SYNC}.
 */
public enum StoreSync {
    /**
     * Every group of appends is fsynced before any of them is confirmed: a confirmed append (and a
     * durable ack) survives a crash of the process and of the machine. The default.
     */
    ALWAYS,
    /**
     * Appends are confirmed once handed to the operating system, without fsync: they survive a
     * crash of the server process, but the last ones may be lost when the machine itself fails.
     */
    NONE;

    /**
     * Reads {@code always} or {@code none}.
     *
     * @throws ConfigException naming {@code source} otherwise
     */
    public static StoreSync parse(String source, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "always" -> ALWAYS;
            case "none" -> NONE;
            default -> throw new ConfigException(source + ": '" + text + "' (expected: always or none)");
        };
    }

    /** The name as written in configuration. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
