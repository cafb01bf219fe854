package io.arqonbus.client;

import java.util.Objects;

/**
 * How to publish: {@link #durable()} asks for the server's {@code ack} once the store confirmed
 * the append; an idempotency key (generated for durable publications unless one is given) makes a
 * retry harmless: the server answers {@code duplicate: true} with the first position.
 *
 * @param durableAck     ask for an ack after the store confirmed
 * @param idempotencyKey the key to send, or {@code null} (generated when durable)
 */
public record PublishOptions(boolean durableAck, String idempotencyKey) {
    public PublishOptions {
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 128)) {
            throw new IllegalArgumentException("idempotencyKey: 1–128 characters (got " + idempotencyKey.length() + ")");
        }
    }

    /** Fire and forget: no ack, no key. */
    public static PublishOptions live() {
        return new PublishOptions(false, null);
    }

    /** Durable with a generated idempotency key. */
    public static PublishOptions durable() {
        return new PublishOptions(true, null);
    }

    /** These options with this idempotency key. */
    public PublishOptions idempotencyKey(String key) {
        return new PublishOptions(durableAck, Objects.requireNonNull(key, "key"));
    }
}
