package io.arqonbus.server.internal.inspect;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.channel.ChannelKey;

/**
 * The content-inspection seam: looks at a validated envelope before it is routed and decides to
 * let it through (possibly flagged), to let a redacted copy through, or to block it.
 * Implementations run on the sender's event loop: they must be bounded in time and never block.
 */
public interface Inspector {

    /**
     * Inspects one envelope.
     *
     * @param envelope a validated {@code message}, {@code event}, {@code private} or {@code command}
     * @param address  where it goes ({@code room:channel}, or the room for a room broadcast), or
     *                 {@code null} when it names no room
     */
    Inspection inspect(Envelope envelope, ChannelKey address);

    /** An inspector that lets everything through untouched. */
    static Inspector none() {
        return (envelope, address) -> Inspection.PASS;
    }
}
