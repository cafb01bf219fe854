package io.arqonbus.server.internal.history;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import java.time.Instant;
import java.util.Objects;

/**
 * The idempotency key of one stored publication ({@code metadata.idempotency_key}, a string), the
 * stream position its publication got ({@code null} when the stored envelope carries none), and when
 * the store took it: what a channel must remember after a restart to answer a retry as a duplicate.
 *
 * @param key      the idempotency key
 * @param position the position stamped on the stored envelope, or {@code null}
 * @param storedAt when the store took the publication
 */
public record StoredIdempotencyKey(String key, StreamPosition position, Instant storedAt) {

    public StoredIdempotencyKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(storedAt, "storedAt");
    }

    /** The key of a stored message, decoded whole; {@code null} when it has none (or not a string). */
    public static StoredIdempotencyKey of(StoredMessage message) {
        Envelope envelope = message.envelope();
        JsonNode key = envelope.metadata().get(Envelope.IDEMPOTENCY_KEY);
        return key != null && key.isTextual()
                ? new StoredIdempotencyKey(key.asText(), envelope.position(), message.storedAt())
                : null;
    }
}
