package io.arqonbus.server.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where history is kept: {@code memory} (the default) or {@code file:<dir>}, a durable store in a
 * directory on local disk. Written as {@code --store} / {@code ARQONBUS_STORE}.
 *
 * @param directory the store's directory (absolute), or {@code null} for memory
 */
public record StoreLocation(Path directory) {
    /** History in memory, lost on restart. */
    public static final StoreLocation MEMORY = new StoreLocation(null);

    /** A durable store in this directory (made absolute; created on start when missing). */
    public static StoreLocation file(Path directory) {
        return new StoreLocation(directory.toAbsolutePath().normalize());
    }

    /**
     * Reads {@code memory} or {@code file:<dir>} (a relative directory is taken from the working
     * directory).
     *
     * @throws ConfigException naming {@code source} when the text is neither
     */
    public static StoreLocation parse(String source, String text) {
        String value = text.trim();
        if (value.equals("memory")) {
            return MEMORY;
        }
        if (value.startsWith("file:") && !value.substring(5).isBlank()) {
            try {
                return file(Path.of(value.substring(5).trim()));
            } catch (InvalidPathException e) {
                throw new ConfigException(source + ": '" + text + "' (not a valid directory: " + e.getReason() + ")");
            }
        }
        throw new ConfigException(source + ": '" + text + "' (expected: memory or file:<directory>)");
    }

    /** Whether history goes to a directory on disk. */
    public boolean isFile() {
        return directory != null;
    }

    /** {@code memory} or {@code file:<dir>}, as it is written in configuration. */
    @Override
    public String toString() {
        return directory == null ? "memory" : "file:" + directory;
    }
}
