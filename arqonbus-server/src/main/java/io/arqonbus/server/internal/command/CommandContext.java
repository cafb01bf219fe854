package io.arqonbus.server.internal.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * What a command runs with: the caller, its request, and typed readers for the arguments that
 * answer bad input with a {@code VALIDATION_ERROR}. The parts of the server a command works with
 * are its own, given through its constructor.
 */
public record CommandContext(Session session, Envelope request) {
    private static final Pattern ROOM = Pattern.compile("[^\\s:\\p{Cntrl}]{1,128}");
    private static final Pattern CHANNEL = Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");

    /** The request's {@code args}. */
    public ObjectNode args() {
        return request.args();
    }

    /** A new JSON object for reply data. */
    public ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** A required string argument. */
    public String requiredString(String name) throws CommandException {
        String value = optionalString(name);
        if (value == null || value.isBlank()) {
            throw CommandException.validation("'" + name + "' is required");
        }
        return value;
    }

    /** An optional string argument, {@code null} when absent. */
    public String optionalString(String name) throws CommandException {
        JsonNode node = args().get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw CommandException.validation("'" + name + "' must be a string");
        }
        return node.asText();
    }

    /** An optional whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public int optionalInt(String name, int fallback, int min, int max) throws CommandException {
        JsonNode node = args().get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToInt() || !(node.isIntegralNumber() || node.isNumber() && node.asDouble() == node.asInt())) {
            throw CommandException.validation("'" + name + "' must be a whole number");
        }
        int value = node.asInt();
        if (value < min || value > max) {
            throw CommandException.validation("'" + name + "' must be between " + min + " and " + max);
        }
        return value;
    }

    /** An optional whole number in {@code [min, max]}, or {@code fallback} when absent. */
    public long optionalLong(String name, long fallback, long min, long max) throws CommandException {
        JsonNode node = args().get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw CommandException.validation("'" + name + "' must be a whole number");
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw CommandException.validation("'" + name + "' must be between " + min + " and " + max);
        }
        return value;
    }

    /** An optional boolean, or {@code fallback} when absent. */
    public boolean optionalBoolean(String name, boolean fallback) throws CommandException {
        JsonNode node = args().get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw CommandException.validation("'" + name + "' must be true or false");
        }
        return node.asBoolean();
    }

    /** An optional ISO-8601 timestamp argument. */
    public Instant optionalInstant(String name) throws CommandException {
        String text = optionalString(name);
        if (text == null) {
            return null;
        }
        try {
            return io.arqonbus.protocol.Timestamps.parse(text);
        } catch (DateTimeParseException e) {
            throw CommandException.validation("'" + name + "' must be an ISO-8601 timestamp");
        }
    }

    /** A required room; {@code room:"r:c"} yields room {@code r}. */
    public String requiredRoom() throws CommandException {
        String room = requiredString("room");
        int colon = room.indexOf(':');
        String name = colon >= 0 ? room.substring(0, colon) : room;
        checkRoom(name);
        return name;
    }

    /** An optional room ({@code null} when absent); {@code room:"r:c"} yields room {@code r}. */
    public String optionalRoom() throws CommandException {
        String room = optionalString("room");
        if (room == null) {
            return null;
        }
        int colon = room.indexOf(':');
        String name = colon >= 0 ? room.substring(0, colon) : room;
        checkRoom(name);
        return name;
    }

    /** The optional channel: {@code args.channel}, or the part after {@code :} in {@code args.room}. */
    public String optionalChannel() throws CommandException {
        String channel = optionalString("channel");
        if (channel == null) {
            String room = optionalString("room");
            int colon = room == null ? -1 : room.indexOf(':');
            channel = colon >= 0 ? room.substring(colon + 1) : null;
        }
        if (channel != null) {
            if (!CHANNEL.matcher(channel).matches()) {
                throw CommandException.validation("'channel' must be 1-128 printable characters without white space");
            }
        }
        return channel;
    }

    /** A required {@code room:channel}, from {@code {room, channel}} or {@code {room:"r:c"}}. */
    public ChannelKey requiredChannel() throws CommandException {
        String room = requiredRoom();
        String channel = optionalChannel();
        if (channel == null || channel.isBlank()) {
            throw CommandException.validation("'channel' is required");
        }
        return ChannelKey.of(room, channel);
    }

    private static void checkRoom(String room) throws CommandException {
        if (!ROOM.matcher(room).matches()) {
            throw CommandException.validation("'room' must be 1-128 printable characters without white space or ':'");
        }
    }
}
