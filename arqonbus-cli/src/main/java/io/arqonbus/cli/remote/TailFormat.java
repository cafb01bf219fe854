package io.arqonbus.cli.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.arqonbus.cli.json.PythonJson;

/** One frame as one line, exactly as the original CLI printed it. */
final class TailFormat {
    private TailFormat() {
    }

    /**
     * {@code raw}: compact JSON with sorted keys; otherwise
     * {@code <timestamp> type=<t> sender=<s> room=<r> channel=<c> payload=<json>}.
     */
    static String format(JsonNode frame, boolean raw) {
        if (raw) {
            return PythonJson.compact(frame);
        }
        JsonNode payload = frame.has("payload") ? frame.get("payload") : JsonNodeFactory.instance.objectNode();
        return text(frame, "timestamp") + " type=" + text(frame, "type") + " sender=" + text(frame, "sender")
                + " room=" + text(frame, "room") + " channel=" + text(frame, "channel")
                + " payload=" + PythonJson.compact(payload);
    }

    private static String text(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        if (value == null) {
            return "";
        }
        if (value.isNull()) {
            return "None";
        }
        return value.isTextual() ? value.asText() : PythonJson.compact(value);
    }
}
