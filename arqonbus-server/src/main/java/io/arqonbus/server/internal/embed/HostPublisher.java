package io.arqonbus.server.internal.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.reply.Replies;
import java.time.Clock;

/**
 * Publications of the host application: an envelope from sender {@code arqonbus}, published
 * through the hub exactly like a client's (stored, sequenced, delivered).
 */
public final class HostPublisher {
    private final Hub hub;
    private final IdGenerator ids;
    private final ObjectMapper mapper;
    private final Clock clock;

    public HostPublisher(Hub hub, IdGenerator ids, ObjectMapper mapper, Clock clock) {
        this.hub = hub;
        this.ids = ids;
        this.mapper = mapper;
        this.clock = clock;
    }

    /**
     * Publishes {@code payload} (a JSON object, any value Jackson turns into one, or {@code null})
     * to {@code room:channel}; returns the envelope as delivered, with its position.
     *
     * @throws IllegalArgumentException when a name is not valid or the payload is not a JSON object
     */
    public Envelope publish(MessageType type, String room, String channel, Object payload) {
        Names.require("room", room, true);
        Names.require("channel", channel, false);
        JsonNode tree = payload == null ? null
                : payload instanceof JsonNode node ? node : mapper.valueToTree(payload);
        if (tree != null && !tree.isObject() && !tree.isNull()) {
            throw new IllegalArgumentException("the payload must be a JSON object, not " + tree.getNodeType());
        }
        Envelope envelope = Envelope.builder(ids.nextId(), Timestamps.now(clock), type)
                .room(room)
                .channel(channel)
                .sender(Replies.SERVER_SENDER)
                .payload(tree == null || tree.isNull() ? null : (ObjectNode) tree)
                .build();
        return hub.publish(null, envelope).delivered();
    }
}
