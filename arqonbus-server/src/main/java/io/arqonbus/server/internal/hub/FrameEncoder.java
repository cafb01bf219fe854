package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.EnvelopeWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Encodes an envelope straight into a complete, unmasked WebSocket text frame: header and JSON
 * in one buffer. Server frames are never masked, so the same bytes are valid on every
 * connection; fan-out hands each one a {@linkplain #share share} of it and nothing is copied or
 * framed again per subscriber. Such a buffer passes the pipeline's frame encoder untouched.
 *
 * <p>Each thread encodes through one long-lived {@link EnvelopeWriter}, into its reused buffer,
 * and the frame is allocated at the envelope's exact size. A payload a client sent is copied from
 * the text it came in ({@code ReceivedJson}) into the publication and into the legacy
 * {@code message_response} that echoes it, not written again node by node.
 */
public final class FrameEncoder {
    /** Room left for the longest header: 2 bytes + 8 length bytes. */
    private static final int MAX_HEADER = 10;
    private static final int FIN_TEXT = 0x81;

    private final EnvelopeCodec codec;
    private final ByteBufAllocator allocator;
    private final FastThreadLocal<EnvelopeWriter> writers = new FastThreadLocal<>() {
        @Override
        protected EnvelopeWriter initialValue() {
            return codec.newWriter();
        }
    };

    /**
     * One connection's view of a shared frame: its own reader index over the same bytes, holding
     * one reference to the frame (released when the socket has written it). A plain duplicate of
     * a retained frame, not {@code retainedDuplicate()}: that one takes a pooled wrapper from
     * Netty's recycler, whose pool thrashes when tens of thousands of deliveries are in flight (a
     * quarter of the server's CPU in a 1×1000 fan-out profile, and runs twice as slow at random);
     * a short-lived object costs less (docs/benchmarks.md).
     */
    public static ByteBuf share(ByteBuf frame) {
        return frame.retain().duplicate();
    }

    public FrameEncoder(EnvelopeCodec codec, ByteBufAllocator allocator) {
        this.codec = codec;
        this.allocator = allocator;
    }

    /** The envelope as one whole text frame; the caller owns the buffer. */
    public ByteBuf encode(Envelope envelope) {
        EnvelopeWriter writer = writers.get();
        writer.write(envelope);
        ByteBuf buf = allocator.directBuffer(MAX_HEADER + writer.length());
        buf.writerIndex(MAX_HEADER);
        buf.writeBytes(writer.array(), 0, writer.length());
        return frame(buf);
    }

    /** The envelope's JSON, as {@link #encode} would frame it, in a new array. */
    public byte[] json(Envelope envelope) {
        EnvelopeWriter writer = writers.get();
        writer.write(envelope);
        return writer.toByteArray();
    }

    /**
     * The JSON inside a frame made by {@link #encode}: a slice of the frame without its header,
     * sharing the frame's memory and reference count (not retained).
     */
    public static ByteBuf jsonOf(ByteBuf frame) {
        int start = frame.readerIndex();
        int lengthByte = frame.getUnsignedByte(start + 1) & 0x7F;
        int header = lengthByte == 127 ? 10 : lengthByte == 126 ? 4 : 2;
        return frame.slice(start + header, frame.readableBytes() - header);
    }

    /** Any UTF-8 JSON bytes as one whole text frame. */
    public ByteBuf encode(byte[] json) {
        ByteBuf buf = allocator.directBuffer(MAX_HEADER + json.length);
        buf.writerIndex(MAX_HEADER);
        buf.writeBytes(json);
        return frame(buf);
    }

    /** Writes the header in front of the payload that starts at {@link #MAX_HEADER}. */
    private static ByteBuf frame(ByteBuf buf) {
        int length = buf.writerIndex() - MAX_HEADER;
        int start;
        if (length <= 125) {
            start = MAX_HEADER - 2;
            buf.setByte(start, FIN_TEXT);
            buf.setByte(start + 1, length);
        } else if (length <= 0xFFFF) {
            start = MAX_HEADER - 4;
            buf.setByte(start, FIN_TEXT);
            buf.setByte(start + 1, 126);
            buf.setShort(start + 2, length);
        } else {
            start = 0;
            buf.setByte(0, FIN_TEXT);
            buf.setByte(1, 127);
            buf.setLong(2, length);
        }
        buf.readerIndex(start);
        return buf;
    }
}
