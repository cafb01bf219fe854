package io.arqonbus.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** Predicates over received frames. */
public final class Frames {
    private Frames() {
    }

    /** Frames of this {@code type}. */
    public static Predicate<JsonNode> type(String type) {
        return f -> type.equals(f.path("type").asText());
    }

    /** The command {@code response} to the request with this id. */
    public static Predicate<JsonNode> responseTo(String requestId) {
        return f -> "response".equals(f.path("type").asText()) && requestId.equals(f.path("request_id").asText());
    }

    /** The legacy {@code command_response} ack of the request with this id. */
    public static Predicate<JsonNode> commandAckOf(String requestId) {
        return f -> "command_response".equals(f.path("type").asText()) && requestId.equals(f.path("id").asText());
    }

    /** An error frame with this code. */
    public static Predicate<JsonNode> error(String code) {
        return f -> "error".equals(f.path("type").asText()) && code.equals(f.path("error_code").asText());
    }

    /** A system notice with this {@code payload.event}. */
    public static Predicate<JsonNode> system(String event) {
        return f -> "system".equals(f.path("type").asText()) && event.equals(f.path("payload").path("event").asText());
    }

    /** A system notice with this event about this client. */
    public static Predicate<JsonNode> system(String event, String clientId) {
        return system(event).and(f -> clientId.equals(f.path("payload").path("client_id").asText()));
    }

    /** A publication ({@code message} or {@code event}) whose payload has this {@code text}. */
    public static Predicate<JsonNode> text(String text) {
        return f -> text.equals(f.path("payload").path("text").asText(null));
    }

    /** Whether the frame is a publication delivered from another client (message/event/private). */
    public static boolean isDelivery(JsonNode f) {
        String t = f.path("type").asText();
        return t.equals("message") && !f.path("payload").has("welcome") || t.equals("event") || t.equals("private");
    }

    /**
     * The text of the {@code payload} value in a frame as the server wrote it (the server writes
     * {@code "payload":…} followed by {@code ,"args":}).
     */
    public static String payloadText(String frame) {
        int start = frame.indexOf("\"payload\":") + "\"payload\":".length();
        return frame.substring(start, frame.indexOf(",\"args\":", start));
    }
}
