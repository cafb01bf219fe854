package io.arqonbus.bench.floor;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Builds a complete, unmasked WebSocket text frame (header and payload in one buffer) once per
 * forwarded message, so every member gets a duplicate of the same bytes and nothing is framed
 * again per member; the pipeline's frame encoder lets a plain buffer through untouched.
 */
final class TextFrames {
    private static final int FIN_TEXT = 0x81;

    private TextFrames() {
    }

    /** A whole text frame carrying a copy of {@code payload}'s readable bytes; the caller owns it. */
    static ByteBuf of(ByteBufAllocator allocator, ByteBuf payload) {
        int length = payload.readableBytes();
        ByteBuf frame = allocator.directBuffer(length + 10);
        frame.writeByte(FIN_TEXT);
        if (length <= 125) {
            frame.writeByte(length);
        } else if (length <= 0xFFFF) {
            frame.writeByte(126);
            frame.writeShort(length);
        } else {
            frame.writeByte(127);
            frame.writeLong(length);
        }
        frame.writeBytes(payload, payload.readerIndex(), length);
        return frame;
    }
}
