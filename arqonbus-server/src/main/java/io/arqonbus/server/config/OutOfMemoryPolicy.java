package io.arqonbus.server.config;

import java.util.Locale;

/**
 * What the server does when it runs out of memory (a direct buffer, or the heap, cannot be
 * allocated). Written as {@code ARQONBUS_ON_OUT_OF_MEMORY}. Either way the server never stays up
 * answering nothing.
 */
public enum OutOfMemoryPolicy {
    /**
     * Log one error line ({@code event=out_of_memory code=OUT_OF_MEMORY}) and halt the process
     * with status 3, so that its supervisor starts a fresh one. The default.
     */
    EXIT,
    /**
     * Close the connection whose allocation failed (1013), log once per connection, and refuse new
     * handshakes (HTTP 503) while the direct memory in use is above the high-water mark; accept
     * again once it is below.
     */
    SHED;

    /**
     * Reads {@code exit} or {@code shed}.
     *
     * @throws ConfigException naming {@code source} otherwise
     */
    public static OutOfMemoryPolicy parse(String source, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "exit" -> EXIT;
            case "shed" -> SHED;
            default -> throw new ConfigException(source + ": '" + text + "' (expected: exit or shed)");
        };
    }

    /** The name as written in configuration. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
