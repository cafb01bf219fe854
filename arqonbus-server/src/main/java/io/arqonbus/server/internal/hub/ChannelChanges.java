package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.Set;

/**
 * Told of every channel a client ({@code create_channel}, {@code delete_channel}) or the HTTP API
 * creates or deletes on this node, after the change took effect here: the seam through which a
 * cluster shares its channels with the other nodes. Copies applied from other nodes
 * ({@link Hub#createCopy}, {@link Hub#deleteCopy}) are not told. Called on the caller's thread:
 * an implementation must not block.
 */
public interface ChannelChanges {
    /** Tells nothing (a single node). */
    ChannelChanges NONE = new ChannelChanges() {
        @Override
        public void created(ChannelKey key, String createdBy, Set<String> admitted) {
        }

        @Override
        public void deleted(ChannelKey key) {
        }
    };

    /**
     * Called before a client's or the HTTP API's change, on the caller's thread (must not block):
     * throws {@link io.arqonbus.server.internal.history.StoreUnavailableException} when the change
     * could not be shared now (a cluster whose Redis is unreachable), so it is refused
     * ({@code STORAGE_UNAVAILABLE}) rather than made on this node only. A single node accepts.
     */
    default void checkAvailable() {
    }

    /**
     * A channel was created.
     *
     * @param admitted the client ids and token subjects a private channel admits; {@code null} for a public one
     */
    void created(ChannelKey key, String createdBy, Set<String> admitted);

    /** A channel was deleted. */
    void deleted(ChannelKey key);
}
