package io.arqonbus.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The filter of a filtered subscription (the {@code subscribe} command, docs/protocol.md
 * "Filtered subscriptions"): the AND of the fields given, {@code null} matching anything.
 * {@code channel} is a glob ({@code *} any run, {@code ?} one character).
 *
 * <pre>{@code Filter.any().inRoom("ops").onChannel("alerts-*").ofTypes("event")}</pre>
 */
public record Filter(String room, String channel, String sender, List<String> types) {
    public Filter {
        types = types == null ? null : List.copyOf(types);
    }

    /** Matches every publication the connection may see. */
    public static Filter any() {
        return new Filter(null, null, null, null);
    }

    public Filter inRoom(String value) {
        return new Filter(value, channel, sender, types);
    }

    /** A channel glob, e.g. {@code alerts-*}; a filter naming a channel never matches a room broadcast. */
    public Filter onChannel(String glob) {
        return new Filter(room, glob, sender, types);
    }

    public Filter from(String clientId) {
        return new Filter(room, channel, clientId, types);
    }

    /** Envelope types: {@code message}, {@code event}, {@code telemetry}, … */
    public Filter ofTypes(String... values) {
        return new Filter(room, channel, sender, List.of(values));
    }

    /** The {@code filter} argument of {@code subscribe}. */
    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        if (room != null) {
            json.put("room", room);
        }
        if (channel != null) {
            json.put("channel", channel);
        }
        if (sender != null) {
            json.put("sender", sender);
        }
        if (types != null) {
            types.forEach(json.putArray("types")::add);
        }
        return json;
    }

    /** Whether a frame matches, as the server decides (to route frames to the subscriptions they are for). */
    boolean matches(Envelope frame) {
        if (room != null && !room.equals(frame.room())) {
            return false;
        }
        if (channel != null && (frame.channel() == null || !glob(channel).matcher(frame.channel()).matches())) {
            return false;
        }
        if (sender != null && !sender.equals(frame.sender())) {
            return false;
        }
        return types == null || types.contains(frame.type().wireName());
    }

    private static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
