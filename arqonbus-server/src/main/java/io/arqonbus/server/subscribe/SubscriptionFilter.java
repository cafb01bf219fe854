package io.arqonbus.server.subscribe;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.pattern.Glob;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which publications a subscriber wants (seed 003): every field given must match (AND); a field
 * left out matches anything; the empty filter matches every publication.
 *
 * @param room    the room, exactly, or {@code null}
 * @param channel a glob over the channel name ({@code *} any run, {@code ?} one character), or
 *                {@code null}; a filter naming a channel never matches a room-wide broadcast
 * @param sender  the sender's client id, exactly, or {@code null}
 * @param types   the envelope types (wire names such as {@code message}, {@code event},
 *                {@code telemetry}), or empty for any
 */
public record SubscriptionFilter(String room, String channel, String sender, Set<String> types) {
    /** The longest room, channel or sender a filter may name: {@value}. */
    public static final int MAX_NAME_LENGTH = 256;
    /** The filter that matches everything. */
    public static final SubscriptionFilter ALL = new SubscriptionFilter(null, null, null, Set.of());

    public SubscriptionFilter {
        types = Set.copyOf(types);
    }

    /** Whether the publication passes the filter. */
    public boolean matches(Envelope envelope) {
        if (room != null && !room.equals(envelope.room())) {
            return false;
        }
        if (channel != null && (envelope.channel() == null || !Glob.matches(channel, envelope.channel()))) {
            return false;
        }
        if (sender != null && !sender.equals(envelope.sender())) {
            return false;
        }
        return types.isEmpty() || types.contains(envelope.type().wireName());
    }

    /** Whether the filter matches everything. */
    public boolean isEmpty() {
        return room == null && channel == null && sender == null && types.isEmpty();
    }

    /**
     * Reads a filter: a JSON object with any of {@code room}, {@code channel}, {@code sender}
     * (strings) and {@code types} (an array of strings); a missing or {@code null} node is the empty
     * filter.
     *
     * @throws InvalidFilterException for an unknown field, a field of the wrong type, an empty or
     *                                over-long name, a channel pattern with characters other than
     *                                {@code *} and {@code ?} as wildcards, or an unknown type
     */
    public static SubscriptionFilter parse(JsonNode node) throws InvalidFilterException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return ALL;
        }
        if (!node.isObject()) {
            throw new InvalidFilterException("the filter must be a JSON object");
        }
        String room = null;
        String channel = null;
        String sender = null;
        Set<String> types = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "room" -> room = name("room", value);
                case "channel" -> channel = channelPattern(name("channel", value));
                case "sender" -> sender = name("sender", value);
                case "types" -> types = types(value);
                default -> throw new InvalidFilterException("unknown filter field '" + field.getKey()
                        + "' (allowed: room, channel, sender, types)");
            }
        }
        return new SubscriptionFilter(room, channel, sender, types);
    }

    private static String name(String field, JsonNode value) throws InvalidFilterException {
        if (value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidFilterException("'" + field + "' must be a string");
        }
        String text = value.asText();
        if (text.isEmpty() || text.length() > MAX_NAME_LENGTH) {
            throw new InvalidFilterException("'" + field + "' must be 1 to " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i)) || Character.isISOControl(text.charAt(i))) {
                throw new InvalidFilterException("'" + field + "' must not contain spaces or control characters");
            }
        }
        return text;
    }

    private static String channelPattern(String pattern) throws InvalidFilterException {
        if (pattern == null) {
            return null;
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '[' || c == ']' || c == '{' || c == '}' || c == ':') {
                throw new InvalidFilterException("channel pattern '" + pattern
                        + "': only * and ? are wildcards, and a channel name has no ':'");
            }
        }
        return pattern;
    }

    private static Set<String> types(JsonNode value) throws InvalidFilterException {
        if (value.isNull()) {
            return Set.of();
        }
        if (!value.isArray()) {
            throw new InvalidFilterException("'types' must be an array of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode type : value) {
            if (!type.isTextual()) {
                throw new InvalidFilterException("'types' must be an array of strings");
            }
            if (MessageType.fromWireName(type.asText()) == null) {
                throw new InvalidFilterException("unknown type '" + type.asText() + "' in 'types'");
            }
            out.add(type.asText());
        }
        return out;
    }
}
