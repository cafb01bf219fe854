package io.arqonbus.protocol;

import java.util.Map;

/**
 * The {@code type} of an envelope, with its wire name.
 *
 * <p>{@link #EVENT} is the seed documents' name for an ordinary message; it routes exactly like
 * {@link #MESSAGE} and keeps its name on the wire so seed clients see what they sent. The last
 * three constants are the original ArqonBus's legacy acknowledgements and the v1.1 durable ack:
 * only the server sends them.
 */
public enum MessageType {
    MESSAGE("message", true),
    EVENT("event", true),
    COMMAND("command", true),
    RESPONSE("response", true),
    ERROR("error", true),
    TELEMETRY("telemetry", true),
    PRIVATE("private", true),
    SYSTEM("system", false),
    MESSAGE_RESPONSE("message_response", false),
    COMMAND_RESPONSE("command_response", false),
    ACK("ack", false);

    private static final Map<String, MessageType> BY_WIRE_NAME;

    static {
        var byName = new java.util.HashMap<String, MessageType>();
        for (MessageType type : values()) {
            byName.put(type.wireName, type);
        }
        BY_WIRE_NAME = Map.copyOf(byName);
    }

    private final String wireName;
    private final boolean clientMaySend;

    MessageType(String wireName, boolean clientMaySend) {
        this.wireName = wireName;
        this.clientMaySend = clientMaySend;
    }

    /** The name used in the {@code type} field. */
    public String wireName() {
        return wireName;
    }

    /** Whether a client may send an envelope of this type ({@code system} and the acks are server-only). */
    public boolean clientMaySend() {
        return clientMaySend;
    }

    /** Whether this type is routed like an ordinary channel message. */
    public boolean isPublication() {
        return this == MESSAGE || this == EVENT || this == RESPONSE || this == ERROR;
    }

    /** The type with this wire name, or {@code null}. */
    public static MessageType fromWireName(String name) {
        return BY_WIRE_NAME.get(name);
    }
}
