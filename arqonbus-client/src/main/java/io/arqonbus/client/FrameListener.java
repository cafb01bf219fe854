package io.arqonbus.client;

import io.arqonbus.protocol.Envelope;

/**
 * Sees every frame the server sends, decoded, before the SDK handles it (for tools that print or
 * record traffic). Called on the socket's reader thread: it must not block.
 */
@FunctionalInterface
public interface FrameListener {
    /**
     * @param frame the frame as an envelope ({@code position()} set from {@code metadata.offset/epoch})
     * @param json  the frame's text as received
     */
    void onFrame(Envelope frame, String json);
}
