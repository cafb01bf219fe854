package io.arqonbus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.FrameFields.Field;
import java.time.Clock;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the top-level fields of a client's JSON object into an {@link Inbound}: fills defaults, accepts the seed (v0)
 * conveniences and the original's legacy shapes, and collects every problem it finds.
 */
final class EnvelopeValidator {
    /** The prefix of every envelope id. */
    private static final String ID_PREFIX = "arq_";
    /** The longest client-supplied id: the prefix and 124 more characters. */
    private static final int MAX_ENVELOPE_ID_CHARS = 128;
    static final int MAX_CLIENT_ID_LENGTH = 128;
    static final int MAX_SHORT_TEXT = 256;

    private static final List<Field> IDENTIFICATION_FIELDS =
            List.of(Field.CLIENT_ID, Field.CLIENT_TYPE, Field.SCREEN_NAME, Field.AVATAR, Field.PERSONALITY);

    private final IdGenerator ids;
    private final Clock clock;

    EnvelopeValidator(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    /** The payload's text, unless the payload is no longer the tree read from it (legacy {@code message}). */
    private static ReceivedJson textOf(ObjectNode payload, ReceivedJson text) {
        return text != null && text.isTextOf(payload) ? text : null;
    }

    Inbound validate(FrameFields root) {
        List<String> errors = new ArrayList<>();
        String requestId = root.get(Field.ID) instanceof JsonNode idNode && idNode.isTextual() ? idNode.asText() : null;
        JsonNode typeNode = root.get(Field.TYPE);
        if (typeNode == null || typeNode.isNull()) {
            if (IDENTIFICATION_FIELDS.stream().anyMatch(root::has)) {
                return identification(root, errors);
            }
            return invalid("'type' is required", List.of("'type' is required"), requestId);
        }
        if (!typeNode.isTextual()) {
            return invalid("'type' must be a string", List.of("'type' must be a string"), requestId);
        }
        MessageType type = MessageType.fromWireName(typeNode.asText());
        if (type == null) {
            String sentence = "Unknown message type '" + abbreviate(typeNode.asText())
                    + "'; expected one of message, event, command, response, error, telemetry, private";
            return invalid(sentence, List.of(sentence), requestId);
        }
        if (!type.clientMaySend()) {
            String sentence = "Clients may not send '" + type.wireName() + "' envelopes";
            return invalid(sentence, List.of(sentence), requestId);
        }

        String id = text(root, Field.ID, errors);
        if (id != null && !isClientEnvelopeId(id)) {
            errors.add("'id' must start with 'arq_' and be 5-128 letters, digits, '_' or '-'");
        }
        String timestamp = text(root, Field.TIMESTAMP, errors);
        if (timestamp != null && !Timestamps.isCanonical(timestamp)) {
            try {
                timestamp = Timestamps.format(Timestamps.parse(timestamp));
            } catch (DateTimeParseException e) {
                errors.add("'timestamp' must be an ISO-8601 date-time");
            }
        }
        String version = text(root, Field.VERSION, errors);
        if (version != null && !Envelope.VERSION.equals(version)) {
            errors.add("'version' must be \"1.0\"");
        }
        ReceivedJson payloadText = root.payloadJson();
        ObjectNode payload = object(root, Field.PAYLOAD, errors);
        ObjectNode args = object(root, Field.ARGS, errors);
        ObjectNode metadata = withoutPosition(object(root, Field.METADATA, errors));

        Place place = place(root, errors);
        String room = place.room();
        String channel = place.channel();

        String command = text(root, Field.COMMAND, errors);
        String requestIdField = text(root, Field.REQUEST_ID, errors);
        List<String> to = targets(root.get(Field.TO), "to", errors);
        String ack = text(root, Field.ACK, errors);
        if (ack != null && !"durable".equals(ack)) {
            errors.add("'ack' must be \"durable\"");
        }

        // Seed conveniences and legacy shapes: the only rules that read the payload's tree.
        JsonNode message = root.get(Field.MESSAGE);
        boolean readsPayload = message != null && !message.isNull() || type == MessageType.COMMAND
                || type == MessageType.TELEMETRY || type == MessageType.PRIVATE && to == null;
        if (readsPayload && payload == null && payloadText != null) {
            payload = payloadText.tree();
        }
        if (message != null && !message.isNull() && (payload == null || !payload.has("message"))) {
            payload = payload == null ? JsonNodeFactory.instance.objectNode() : payload.deepCopy();
            payload.set("message", message);
        }
        if (type == MessageType.COMMAND) {
            if (command == null && payload != null && payload.path("command").isTextual()) {
                command = payload.get("command").asText();
                if (args == null && payload.path("parameters").isObject()) {
                    args = (ObjectNode) payload.get("parameters");
                }
            }
            if (command == null || command.isBlank()) {
                errors.add("'command' is required for command envelopes");
            } else if (command.length() > MAX_SHORT_TEXT) {
                errors.add("'command' is too long");
            }
        }
        if (type == MessageType.PRIVATE && to == null && payload != null && payload.has("target")) {
            to = targets(payload.get("target"), "payload.target", errors);
        }
        if (type == MessageType.TELEMETRY) {
            if (payload == null || !payload.path("eventType").isTextual()
                    || payload.get("eventType").asText().isBlank()) {
                errors.add("telemetry envelopes need a string 'payload.eventType'");
            }
        }

        if (!errors.isEmpty()) {
            return invalid("Validation error: " + String.join("; ", errors), errors, requestId);
        }
        Envelope envelope = Envelope.builder(id != null ? id : ids.nextId(),
                        timestamp != null ? timestamp : Timestamps.now(clock), type)
                .payload(payload)
                .payloadJson(payload == null ? payloadText : textOf(payload, payloadText))
                .args(args)
                .metadata(metadata)
                .room(room)
                .channel(channel)
                .command(command)
                .requestId(requestIdField)
                .to(to)
                .ack(ack)
                .build();
        return new Inbound.Message(envelope);
    }

    private Inbound identification(FrameFields root, List<String> errors) {
        String clientId = text(root, Field.CLIENT_ID, errors);
        if (clientId != null && (clientId.isBlank() || clientId.length() > MAX_CLIENT_ID_LENGTH
                || !isName(clientId, false))) {
            errors.add("'client_id' must be 1-128 printable characters without white space");
        } else if (clientId != null && Identification.isReserved(clientId)) {
            errors.add("'client_id' '" + clientId + "' is reserved for the server");
        }
        String clientType = text(root, Field.CLIENT_TYPE, errors);
        String screenName = text(root, Field.SCREEN_NAME, errors);
        if (clientType != null && clientType.length() > MAX_SHORT_TEXT) {
            errors.add("'client_type' is too long");
        }
        if (screenName != null && screenName.length() > MAX_SHORT_TEXT) {
            errors.add("'screen_name' is too long");
        }
        Place place = place(root, errors);
        String room = place.room();
        String channel = place.channel();
        if (!errors.isEmpty()) {
            return invalid("Validation error: " + String.join("; ", errors), errors, null);
        }
        JsonNode avatar = nullToMissing(root.get(Field.AVATAR));
        JsonNode personality = nullToMissing(root.get(Field.PERSONALITY));
        return new Inbound.Identify(new Identification(clientId, clientType, room, channel, screenName,
                avatar, personality));
    }

    /** A frame's room and channel, checked. */
    private record Place(String room, String channel) {
    }

    /**
     * The {@code room} and {@code channel} fields, a {@code room} of {@code ROOM:CHANNEL} split when
     * no {@code channel} is given, each name checked into {@code errors}.
     */
    private static Place place(FrameFields root, List<String> errors) {
        String room = text(root, Field.ROOM, errors);
        String channel = text(root, Field.CHANNEL, errors);
        if (room != null && channel == null) {
            int colon = room.indexOf(':');
            if (colon >= 0) {
                channel = room.substring(colon + 1);
                room = room.substring(0, colon);
            }
        }
        checkName("room", room, true, errors);
        checkName("channel", channel, false, errors);
        return new Place(room, channel);
    }

    /** Stream positions are server-assigned: a client's {@code offset} and {@code epoch} are dropped. */
    private static ObjectNode withoutPosition(ObjectNode metadata) {
        if (metadata == null || !(metadata.has("offset") || metadata.has("epoch"))) {
            return metadata;
        }
        ObjectNode copy = metadata.deepCopy();
        copy.remove("offset");
        copy.remove("epoch");
        return copy;
    }

    private static JsonNode nullToMissing(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }

    private static Inbound invalid(String sentence, List<String> errors, String requestId) {
        return new Inbound.Invalid(ErrorCode.VALIDATION_ERROR, sentence, errors, requestId);
    }

    private static String text(FrameFields root, Field field, List<String> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            errors.add("'" + field.wireName() + "' must be a string, not " + EnvelopeCodec.kind(node));
            return null;
        }
        return node.asText();
    }

    private static ObjectNode object(FrameFields root, Field field, List<String> errors) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add("'" + field.wireName() + "' must be an object, not " + EnvelopeCodec.kind(node));
            return null;
        }
        return (ObjectNode) node;
    }

    private static List<String> targets(JsonNode node, String field, List<String> errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isTextual()) {
            return List.of(node.asText());
        }
        if (node.isArray()) {
            List<String> out = new ArrayList<>(node.size());
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    errors.add("'" + field + "' must list client ids as strings");
                    return null;
                }
                out.add(item.asText());
            }
            if (out.isEmpty()) {
                errors.add("'" + field + "' must name at least one client id");
                return null;
            }
            return out;
        }
        errors.add("'" + field + "' must be a client id or a list of client ids");
        return null;
    }

    private static void checkName(String field, String value, boolean room, List<String> errors) {
        if (value != null && !isName(value, room)) {
            errors.add("'" + field + "' must be 1-128 printable characters without white space"
                    + (room ? " or ':'" : ""));
        }
    }

    /**
     * Whether {@code id} is a client-supplied envelope id: {@code arq_} and then 1 to 124 ASCII
     * letters, digits, {@code _} or {@code -} (the rule {@code arq_[A-Za-z0-9_-]{1,124}}, checked
     * char by char because SDKs send an id with every publication; EnvelopeIdRuleTest holds the two equal).
     */
    static boolean isClientEnvelopeId(String id) {
        int length = id.length();
        if (length <= ID_PREFIX.length() || length > MAX_ENVELOPE_ID_CHARS || !id.startsWith(ID_PREFIX)) {
            return false;
        }
        for (int i = ID_PREFIX.length(); i < length; i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code value} is a room name (no {@code ':'}) or a channel name: 1 to 128 code
     * points, none of them white space ({@code \\s}) or control characters: the rule
     * {@code [^\\s:\\p{Cntrl}]{1,128}} (rooms) and {@code [^\\s\\p{Cntrl}]{1,128}} (channels),
     * checked by hand because it runs for every publication (NameRuleTest holds the two equal).
     */
    static boolean isName(String value, boolean room) {
        int length = value.length();
        if (length == 0) {
            return false;
        }
        int codePoints = 0;
        for (int i = 0; i < length; ) {
            int c = value.codePointAt(i);
            i += Character.charCount(c);
            if (++codePoints > 128 || c <= 0x20 || c == 0x7F || (room && c == ':')) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
