package io.arqonbus.server.internal.reply;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.protocol.Timestamps;
import java.time.Clock;
import java.util.List;

/** Builds every envelope the server sends on its own behalf, in the shapes of the protocol. */
public final class Replies {
    /** The sender of every envelope the server writes on its own behalf. */
    public static final String SERVER_SENDER = "arqonbus";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final IdGenerator ids;
    private final Clock clock;

    public Replies(IdGenerator ids, Clock clock) {
        this.ids = ids;
        this.clock = clock;
    }

    private Envelope.Builder server(MessageType type) {
        return Envelope.builder(ids.nextId(), Timestamps.now(clock), type).sender(SERVER_SENDER);
    }

    /** The first frame of every connection. */
    public Envelope welcome(String clientId) {
        ObjectNode payload = JSON.objectNode();
        payload.put("welcome", "Connected to ArqonBus");
        payload.put("client_id", clientId);
        return server(MessageType.MESSAGE).payload(payload).build();
    }

    /** An error frame (protocol §6). */
    public Envelope error(ErrorCode code, String sentence, List<String> errors, String requestId) {
        ObjectNode payload = JSON.objectNode();
        var list = payload.putArray("errors");
        errors.forEach(list::add);
        return errorFrame(code, sentence, requestId, payload);
    }

    /** An error frame with extra payload fields (e.g. {@code reason}, {@code room}). */
    public Envelope error(ErrorCode code, String sentence, String requestId, ObjectNode extra) {
        ObjectNode payload = extra.deepCopy();
        payload.putArray("errors").add(sentence);
        return errorFrame(code, sentence, requestId, payload);
    }

    private Envelope errorFrame(ErrorCode code, String sentence, String requestId, ObjectNode payload) {
        return server(MessageType.ERROR)
                .requestId(requestId)
                .error(sentence)
                .errorCode(code.name())
                .payload(payload)
                .build();
    }

    /** The original's legacy ack of a published message: same id, payload echoed. */
    public Envelope messageResponse(Envelope published) {
        return Envelope.builder(published.id(), Timestamps.now(clock), MessageType.MESSAGE_RESPONSE)
                .sender(SERVER_SENDER)
                .payloadOf(published)
                .room(published.room())
                .channel(published.channel())
                .requestId(published.id())
                .status("success")
                .build();
    }

    /**
     * The durable ack (protocol §12):
     * {@code {"type":"ack","request_id":<message id>,"status":"success","payload":{"offset","epoch","duplicate"}}}.
     */
    public Envelope durableAck(String messageId, StreamPosition position, boolean duplicate) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("offset", position.offset());
        payload.put("epoch", position.epoch());
        payload.put("duplicate", duplicate);
        return server(MessageType.ACK)
                .requestId(messageId)
                .status("success")
                .payload(payload)
                .build();
    }

    /** A successful command reply. */
    public Envelope response(Envelope command, String message, ObjectNode data) {
        return commandReply(command, "success", message, data).build();
    }

    /** A failed command reply. */
    public Envelope errorResponse(Envelope command, ErrorCode code, String message) {
        return errorResponse(command, code, message, null);
    }

    /** An error reply to {@code command} whose {@code payload.data} is {@code data} ({} when null). */
    public Envelope errorResponse(Envelope command, ErrorCode code, String message, ObjectNode data) {
        return commandReply(command, "error", message, data)
                .error(message)
                .errorCode(code.name())
                .build();
    }

    /** A reply to {@code command} with its status and a payload of {@code message} and {@code data} ({} when null). */
    private Envelope.Builder commandReply(Envelope command, String status, String message, ObjectNode data) {
        ObjectNode payload = JSON.objectNode();
        payload.put("message", message);
        payload.set("data", data == null ? JSON.objectNode() : data);
        return server(MessageType.RESPONSE)
                .command(command.command())
                .requestId(command.id())
                .status(status)
                .payload(payload);
    }

    /** The original's legacy ack that follows every command reply. */
    public Envelope commandAck(Envelope command, boolean success) {
        ObjectNode payload = JSON.objectNode();
        payload.put("result", success ? "ok" : "error");
        return Envelope.builder(command.id(), Timestamps.now(clock), MessageType.COMMAND_RESPONSE)
                .sender(SERVER_SENDER)
                .command(command.command())
                .requestId(command.id())
                .payload(payload)
                .build();
    }

    /** A server notice to a channel or room. */
    public Envelope system(String room, String channel, ObjectNode payload) {
        return server(MessageType.SYSTEM).room(room).channel(channel).payload(payload).build();
    }
}
