package io.arqonbus.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The top-level fields of a client frame that {@link EnvelopeValidator} reads, one slot each;
 * every other field of the frame is read (so the JSON is checked as a whole) and dropped. When a
 * field occurs twice the last value wins, as in a Jackson tree.
 */
final class FrameFields {
    /** The fields the validator reads, with their wire names. */
    enum Field {
        ID("id"), TYPE("type"), TIMESTAMP("timestamp"), VERSION("version"), PAYLOAD("payload"), ARGS("args"),
        METADATA("metadata"), ROOM("room"), CHANNEL("channel"), COMMAND("command"), REQUEST_ID("request_id"),
        TO("to"), ACK("ack"), MESSAGE("message"), CLIENT_ID("client_id"), CLIENT_TYPE("client_type"),
        SCREEN_NAME("screen_name"), AVATAR("avatar"), PERSONALITY("personality");

        private static final Field[] ALL = values();
        private final String wireName;

        Field(String wireName) {
            this.wireName = wireName;
        }

        String wireName() {
            return wireName;
        }

        /** The field with this wire name, or {@code null}. */
        static Field of(String name) {
            return switch (name) {
                case "id" -> ID;
                case "type" -> TYPE;
                case "timestamp" -> TIMESTAMP;
                case "version" -> VERSION;
                case "payload" -> PAYLOAD;
                case "args" -> ARGS;
                case "metadata" -> METADATA;
                case "room" -> ROOM;
                case "channel" -> CHANNEL;
                case "command" -> COMMAND;
                case "request_id" -> REQUEST_ID;
                case "to" -> TO;
                case "ack" -> ACK;
                case "message" -> MESSAGE;
                case "client_id" -> CLIENT_ID;
                case "client_type" -> CLIENT_TYPE;
                case "screen_name" -> SCREEN_NAME;
                case "avatar" -> AVATAR;
                case "personality" -> PERSONALITY;
                default -> null;
            };
        }
    }

    private final JsonNode[] values = new JsonNode[Field.ALL.length];
    /** The text of the payload object, when it was read from bytes and may be passed on as it is. */
    private ReceivedJson payloadJson;

    private FrameFields() {
    }

    /** The fields of a decoded tree. */
    static FrameFields of(ObjectNode root) {
        FrameFields fields = new FrameFields();
        for (Field field : Field.ALL) {
            fields.values[field.ordinal()] = root.get(field.wireName);
        }
        return fields;
    }

    /**
     * Reads one frame from a fresh parser, field by field: only the values of the fields above
     * become trees. Returns {@code null} when the frame is not a single JSON object (another
     * value, or tokens after the object); the caller then decodes it as a tree, which words the
     * refusal.
     *
     * <p>When the parser reads {@code source} (the frame's bytes start at {@code sourceOffset};
     * {@code null} for a frame given as text), a {@code payload} object is checked without a tree
     * ({@link PayloadScan}) and kept as its text, {@link ReceivedJson}, whose tree is made on first
     * use; unless an object in it repeats a name or it is not strict UTF-8 (the parser decodes
     * overlong forms and encoded surrogates, which must not reach a receiver): then it becomes a
     * tree at once and its text is dropped.
     *
     * @param factory the factory of {@code parser}, which reads a kept payload's tree later
     * @throws IOException when the JSON is malformed or passes the parser's limits
     */
    static FrameFields read(JsonParser parser, byte[] source, int sourceOffset, JsonFactory factory)
            throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        FrameFields fields = new FrameFields();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            JsonToken token = parser.nextToken();
            Field field = Field.of(name);
            if (field == Field.PAYLOAD && source != null && token == JsonToken.START_OBJECT) {
                fields.readPayload(parser, source, sourceOffset, factory);
                continue;
            }
            JsonNode value = JsonTrees.read(parser);
            if (field != null) {
                fields.values[field.ordinal()] = value;
            }
            if (field == Field.PAYLOAD) {
                fields.payloadJson = null;
            }
        }
        return parser.nextToken() == null ? fields : null;
    }

    /** Reads a payload object from bytes, keeping its text. Byte offsets count from the parser's start. */
    private void readPayload(JsonParser parser, byte[] source, int sourceOffset, JsonFactory factory)
            throws IOException {
        long start = parser.currentTokenLocation().getByteOffset();
        boolean repeatedName = PayloadScan.readObject(parser);
        long end = parser.currentLocation().getByteOffset();
        if (start < 0 || end <= start) {
            // A parser over bytes always knows its offsets; without them the tree decoder takes the frame.
            throw new IOException("no byte offsets for the payload");
        }
        int from = sourceOffset + (int) start;
        int to = from + (int) (end - start);
        ReceivedJson text = new ReceivedJson(factory, java.util.Arrays.copyOfRange(source, from, to));
        if (!repeatedName && Utf8.isValid(source, from, to)) {
            values[Field.PAYLOAD.ordinal()] = null;
            payloadJson = text;
        } else {
            values[Field.PAYLOAD.ordinal()] = text.tree();
            payloadJson = null;
        }
    }

    /**
     * The payload object's text, whose tree is made on first use, or {@code null}: then the
     * payload, if any, is {@link #get}'s tree.
     */
    ReceivedJson payloadJson() {
        return payloadJson;
    }

    /**
     * The field's value ({@code NullNode} for an explicit {@code null}), or {@code null} when absent
     * or, for the payload, when it was kept as {@link #payloadJson()}.
     */
    JsonNode get(Field field) {
        return values[field.ordinal()];
    }

    /** Whether the frame has the field, even as {@code null}. */
    boolean has(Field field) {
        return values[field.ordinal()] != null || field == Field.PAYLOAD && payloadJson != null;
    }
}
