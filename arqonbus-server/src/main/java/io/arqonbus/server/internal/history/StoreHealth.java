package io.arqonbus.server.internal.history;

/**
 * Whether a store works as configured now.
 *
 * @param available {@code false} while the configured store cannot be reached (the server may be
 *                  serving from a fallback meanwhile)
 * @param detail    a human sentence saying why, or {@code null} when available
 */
public record StoreHealth(boolean available, String detail) {
    /** A store that works. */
    public static final StoreHealth UP = new StoreHealth(true, null);

    /** A store that cannot be reached, and why. */
    public static StoreHealth down(String detail) {
        return new StoreHealth(false, detail);
    }
}
