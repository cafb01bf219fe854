package io.arqonbus.server.internal.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.function.Predicate;

/**
 * The checks a publication passes before the hub takes it, whoever sent it: a WebSocket client
 * ({@link InboundRouter}) or a backend through the HTTP API. Each answers {@code null} when the
 * publication passes, else the sentence of the refusal ({@code AUTHORIZATION_ERROR} or
 * {@code VALIDATION_ERROR}, as the caller documents).
 */
public final class PublishRules {
    private PublishRules() {
    }

    /**
     * The channel permission check: the sender's grants must allow publishing to the address (a room
     * broadcast is {@code room:*}), and a private channel takes publications from its members only.
     *
     * @param admits whether the (existing or not) channel admits the sender
     * @return {@code null}, or the {@code AUTHORIZATION_ERROR} sentence
     */
    public static String permissionProblem(Grants grants, Predicate<ChannelKey> admits, Envelope envelope) {
        ChannelKey key = envelope.channel() == null ? ChannelKey.roomWide(envelope.room())
                : ChannelKey.of(envelope.room(), envelope.channel());
        if (!grants.allows(ChannelAction.PUBLISH, key)) {
            return "Not allowed to publish to " + address(envelope);
        }
        if (envelope.channel() != null && !admits.test(key)) {
            return "Channel " + address(envelope) + " is private: only its members may publish to it";
        }
        return null;
    }

    /** {@code room:channel}, or {@code room:*} for a room broadcast: made only for a refusal's sentence. */
    private static String address(Envelope envelope) {
        return envelope.room() + ":" + (envelope.channel() == null ? "*" : envelope.channel());
    }

    /**
     * The idempotency key, when there is one, is a non-empty string of at most
     * {@value InboundRouter#MAX_IDEMPOTENCY_KEY_LENGTH} characters.
     *
     * @return {@code null}, or the {@code VALIDATION_ERROR} problem (without the "Validation error: " prefix)
     */
    public static String idempotencyProblem(Envelope envelope) {
        JsonNode key = envelope.metadata().get(Envelope.IDEMPOTENCY_KEY);
        if (key == null || key.isTextual() && !key.asText().isEmpty()
                && key.asText().length() <= InboundRouter.MAX_IDEMPOTENCY_KEY_LENGTH) {
            return null;
        }
        return "'metadata." + Envelope.IDEMPOTENCY_KEY + "' must be a non-empty string of at most "
                + InboundRouter.MAX_IDEMPOTENCY_KEY_LENGTH + " characters";
    }
}
