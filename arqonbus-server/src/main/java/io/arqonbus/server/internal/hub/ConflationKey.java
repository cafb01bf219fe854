package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;

/**
 * The conflation key of a publication on a {@code conflate} channel: {@code metadata.conflation_key}
 * when it is a string or a number, else {@code payload.key} when it is a string or a number, else
 * the channel itself (one key: the latest publication wins). Read once per publication, never per
 * delivery.
 */
final class ConflationKey {
    /** The key of publications that name none: the channel's. */
    static final String CHANNEL = "";

    private ConflationKey() {
    }

    static Object of(Envelope publication) {
        String key = scalar(publication.metadata(), "conflation_key");
        if (key == null) {
            key = scalar(publication.payload(), "key");
        }
        return key != null ? key : CHANNEL;
    }

    private static String scalar(JsonNode tree, String field) {
        if (tree == null) {
            return null;
        }
        JsonNode value = tree.get(field);
        if (value == null || !(value.isTextual() || value.isNumber())) {
            return null;
        }
        // A string key and the number with the same text are different keys.
        return value.isTextual() ? "s" + value.asText() : "n" + value.asText();
    }
}
