package io.arqonbus.protocol;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * One ArqonBus v1.0 envelope, decoded and validated.
 *
 * <p>{@code payload}, {@code args} and {@code metadata} are never {@code null}. Treat them as
 * immutable once the envelope is built: an envelope is shared between history, fan-out and
 * replies, so any change goes through a {@code with…} copy.
 *
 * @param id          {@code arq_}-prefixed id
 * @param timestamp   ISO-8601 UTC timestamp with a {@code Z} suffix
 * @param type        the message type
 * @param version     always {@code "1.0"}
 * @param payload     the body
 * @param args        command arguments
 * @param metadata    free metadata; the server owns {@code offset} and {@code epoch}
 * @param room        the room, or {@code null}
 * @param channel     the channel, or {@code null}
 * @param sender      the sending client id, stamped by the server
 * @param command     the command name (commands and replies)
 * @param requestId   the id of the envelope a reply answers
 * @param status      {@code success}, {@code error} or {@code pending} on replies
 * @param error       a human sentence on errors
 * @param errorCode   the stable {@link ErrorCode} name on errors
 * @param to          target client ids of a private message, or {@code null}
 * @param ack         {@code "durable"} when the publisher asked for a durable acknowledgement
 * @param position    the stream position the server gave a stored publication, written into
 *                    {@code metadata.offset} / {@code metadata.epoch}; {@code null} otherwise
 * @param payloadJson the text the client sent for {@code payload}, which encoding copies while
 *                    {@code payload} is still the tree read from it (or {@code null}: the tree is
 *                    then read from the text on first use); {@code null} when there is none. A
 *                    cache of the payload's encoding, not part of the envelope's value:
 *                    {@link #equals} and {@link #hashCode} ignore it.
 */
public record Envelope(
        String id,
        String timestamp,
        MessageType type,
        String version,
        ObjectNode payload,
        ObjectNode args,
        ObjectNode metadata,
        String room,
        String channel,
        String sender,
        String command,
        String requestId,
        String status,
        String error,
        String errorCode,
        List<String> to,
        String ack,
        StreamPosition position,
        ReceivedJson payloadJson) {

    /** The only protocol version. */
    public static final String VERSION = "1.0";
    /** The {@code ack} value that asks for an acknowledgement once the store confirmed the append. */
    public static final String DURABLE_ACK = "durable";
    /** The {@code metadata} field that carries a publication's idempotency key. */
    public static final String IDEMPOTENCY_KEY = "idempotency_key";

    public Envelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(type, "type");
        version = version == null ? VERSION : version;
        // A payload kept only as its text is read into a tree on first use (payload()).
        payload = payload == null && payloadJson == null ? JsonNodeFactory.instance.objectNode() : payload;
        args = args == null ? JsonNodeFactory.instance.objectNode() : args;
        metadata = metadata == null ? JsonNodeFactory.instance.objectNode() : metadata;
        to = to == null ? null : List.copyOf(to);
    }

    /**
     * The body. A payload that arrived from a client and that nobody replaced is kept as its text
     * ({@link #payloadJson}) and read into a tree the first time this is called; every call
     * returns the same tree.
     */
    @Override
    public ObjectNode payload() {
        return payload != null ? payload : payloadJson.tree();
    }

    /** The payload's received text when it still stands for {@link #payload()}, else {@code null}; reads no tree. */
    ReceivedJson payloadText() {
        if (payloadJson == null) {
            return null;
        }
        return payload == null || payloadJson.isTextOf(payload) ? payloadJson : null;
    }

    /** A builder for an envelope of this type with a fresh id and timestamp. */
    public static Builder builder(String id, String timestamp, MessageType type) {
        return new Builder(id, timestamp, type);
    }

    /** A builder pre-filled with every field of this envelope. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** This envelope with another sender. */
    public Envelope withSender(String newSender) {
        return toBuilder().sender(newSender).build();
    }

    /** This envelope with other metadata. */
    public Envelope withMetadata(ObjectNode newMetadata) {
        return toBuilder().metadata(newMetadata).build();
    }

    /** This envelope stamped with its stream position. */
    public Envelope withPosition(StreamPosition newPosition) {
        return toBuilder().position(newPosition).build();
    }

    /** Equal when every field but {@link #payloadJson} is. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e && id.equals(e.id) && timestamp.equals(e.timestamp) && type == e.type
                && version.equals(e.version) && payload().equals(e.payload()) && args.equals(e.args)
                && metadata.equals(e.metadata) && Objects.equals(room, e.room) && Objects.equals(channel, e.channel)
                && Objects.equals(sender, e.sender) && Objects.equals(command, e.command)
                && Objects.equals(requestId, e.requestId) && Objects.equals(status, e.status)
                && Objects.equals(error, e.error) && Objects.equals(errorCode, e.errorCode)
                && Objects.equals(to, e.to) && Objects.equals(ack, e.ack) && Objects.equals(position, e.position);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, timestamp, type, version, payload(), args, metadata, room, channel, sender, command,
                requestId, status, error, errorCode, to, ack, position);
    }

    /** The record's text, with the payload's tree (read from its text if nobody read it yet). */
    @Override
    public String toString() {
        return "Envelope[id=" + id + ", timestamp=" + timestamp + ", type=" + type + ", version=" + version
                + ", payload=" + payload() + ", args=" + args + ", metadata=" + metadata + ", room=" + room
                + ", channel=" + channel + ", sender=" + sender + ", command=" + command + ", requestId=" + requestId
                + ", status=" + status + ", error=" + error + ", errorCode=" + errorCode + ", to=" + to + ", ack=" + ack
                + ", position=" + position + ", payloadJson=" + payloadJson + "]";
    }

    /** Whether this envelope names a channel inside a room. */
    public boolean hasChannel() {
        return room != null && channel != null;
    }

    /** A mutable builder; {@link #build()} validates nothing beyond the required fields. */
    public static final class Builder {
        private String id;
        private String timestamp;
        private MessageType type;
        private String version = VERSION;
        private ObjectNode payload;
        private ObjectNode args;
        private ObjectNode metadata;
        private String room;
        private String channel;
        private String sender;
        private String command;
        private String requestId;
        private String status;
        private String error;
        private String errorCode;
        private List<String> to;
        private String ack;
        private StreamPosition position;
        private ReceivedJson payloadJson;

        private Builder(String id, String timestamp, MessageType type) {
            this.id = id;
            this.timestamp = timestamp;
            this.type = type;
        }

        private Builder(Envelope e) {
            this(e.id, e.timestamp, e.type);
            version = e.version;
            payload = e.payload;
            args = e.args;
            metadata = e.metadata;
            room = e.room;
            channel = e.channel;
            sender = e.sender;
            command = e.command;
            requestId = e.requestId;
            status = e.status;
            error = e.error;
            errorCode = e.errorCode;
            to = e.to;
            ack = e.ack;
            position = e.position;
            payloadJson = e.payloadJson;
        }

        public Builder id(String value) { id = value; return this; }
        public Builder timestamp(String value) { timestamp = value; return this; }
        public Builder type(MessageType value) { type = value; return this; }
        public Builder version(String value) { version = value; return this; }
        public Builder payload(ObjectNode value) { payload = value; return this; }
        public Builder args(ObjectNode value) { args = value; return this; }
        public Builder metadata(ObjectNode value) { metadata = value; return this; }
        public Builder room(String value) { room = value; return this; }
        public Builder channel(String value) { channel = value; return this; }
        public Builder sender(String value) { sender = value; return this; }
        public Builder command(String value) { command = value; return this; }
        public Builder requestId(String value) { requestId = value; return this; }
        public Builder status(String value) { status = value; return this; }
        public Builder error(String value) { error = value; return this; }
        public Builder errorCode(String value) { errorCode = value; return this; }
        public Builder to(List<String> value) { to = value; return this; }
        public Builder ack(String value) { ack = value; return this; }
        public Builder position(StreamPosition value) { position = value; return this; }
        /**
         * The payload's received text. Dropping or replacing the text of a payload whose tree
         * was not read yet reads it first, so the payload stays what it was.
         */
        public Builder payloadJson(ReceivedJson value) {
            if (payload == null && payloadJson != null && value != payloadJson) {
                payload = payloadJson.tree();
            }
            payloadJson = value;
            return this;
        }

        /** The payload of {@code other}, with the text it was read from. */
        public Builder payloadOf(Envelope other) {
            payload = other.payload;
            payloadJson = other.payloadJson;
            return this;
        }

        public Envelope build() {
            return new Envelope(id, timestamp, type, version, payload, args, metadata, room, channel,
                    sender, command, requestId, status, error, errorCode, to, ack, position, payloadJson);
        }
    }
}
