package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import java.time.Instant;
import java.util.Objects;

/**
 * One publication kept in history: the envelope exactly as it was delivered (sender and stream
 * position stamped), kept as the UTF-8 JSON bytes that went on the wire, its offset in its stream,
 * and when the store took it. Keeping bytes rather than the decoded tree makes an entry one small
 * array instead of dozens of objects; the envelope is decoded again only when asked for, and a
 * recovery sends the bytes as they are.
 */
public final class StoredMessage {
    private final byte[] json;
    private final long offset;
    private final Instant storedAt;
    private final EnvelopeCodec codec;

    private StoredMessage(byte[] json, long offset, Instant storedAt, EnvelopeCodec codec) {
        this.json = Objects.requireNonNull(json, "json");
        this.offset = offset;
        this.storedAt = Objects.requireNonNull(storedAt, "storedAt");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /**
     * A stored message from the envelope's encoded JSON.
     *
     * @param json     the envelope as encoded by {@code codec}; kept as given, not copied
     * @param offset   its offset in its stream
     * @param storedAt when the store took it
     * @param codec    the codec that encoded it, used to decode it again
     */
    public static StoredMessage of(byte[] json, long offset, Instant storedAt, EnvelopeCodec codec) {
        return new StoredMessage(json, offset, storedAt, codec);
    }

    /** The envelope as it was delivered, decoded from the stored bytes (a new object each call). */
    public Envelope envelope() {
        return codec.decodeStored(json);
    }

    /** The envelope's UTF-8 JSON as it was delivered. The array is shared: do not modify it. */
    public byte[] json() {
        return json;
    }

    /** The entry's offset in its stream. */
    public long offset() {
        return offset;
    }

    /** When the store took the message. */
    public Instant storedAt() {
        return storedAt;
    }
}
