package io.arqonbus.client;

import io.arqonbus.protocol.StreamPosition;

/**
 * The server's {@code ack} of a durable publication: it is stored at {@code position}.
 *
 * @param messageId the publication's id (the ack's {@code request_id})
 * @param position  where the store keeps it (offset and epoch)
 * @param duplicate {@code true} when the idempotency key had been seen: this is the first
 *                  publication's position and nothing was stored again
 */
public record DurableAck(String messageId, StreamPosition position, boolean duplicate) {
    /** The offset in the channel's stream. */
    public long offset() {
        return position.offset();
    }

    /** The channel stream's epoch. */
    public String epoch() {
        return position.epoch();
    }
}
