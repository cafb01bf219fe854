package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.ChannelRefusedException;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.Publication;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.netty.handler.codec.http.HttpHeaders;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.arqonbus.server.internal.inspect.Inspection;
import io.arqonbus.server.internal.inspect.InspectionGate;
import io.arqonbus.server.internal.routing.PublishRules;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns API fields into an envelope and publishes it the way a WebSocket publication goes: the protocol's
 * validation ({@link EnvelopeCodec}, the same codes and sentences), the max message size
 * ({@code PAYLOAD_TOO_LARGE}), CASIL inspection ({@link InspectionGate}: enforce mode blocks, redaction
 * applies), the channel rules ({@link PublishRules}: a private channel takes API publications from admin
 * callers and from the callers it admits by sender id {@code http:<name>} or subject), the idempotency key, the hub's channel bounds and, for {@code durable}, the store.
 * Everything before the store runs on the caller's event loop without blocking.
 */
final class ApiPublisher {
    private final Hub hub;
    private final EnvelopeCodec codec;
    private final InspectionGate inspection;
    private final BusTracing tracing;
    private final int maxMessageSize;

    ApiPublisher(Hub hub, EnvelopeCodec codec, InspectionGate inspection, int maxMessageSize, BusTracing tracing) {
        this.tracing = tracing;
        this.hub = hub;
        this.codec = codec;
        this.inspection = inspection;
        this.maxMessageSize = maxMessageSize;
    }

    /**
     * Publishes {@code fields} ({@code payload?}, {@code type?}, {@code idempotency_key?}, {@code durable?}) to
     * {@code room:channel}; completes with {@code {id, offset, epoch, duplicate}} once sequenced (and stored when
     * durable), or fails with an {@link ApiException}.
     */
    CompletableFuture<ObjectNode> publish(ApiCaller caller, String room, String channel, ObjectNode fields,
            HttpHeaders headers) throws ApiException {
        caller.checkReaches(room);
        if (ChannelKey.PM_CHANNEL.equals(channel)) {
            throw ApiException.validation("the 'pm' channel carries private messages: use POST /api/send");
        }
        ObjectNode frame = codec.mapper().createObjectNode();
        JsonNode type = fields.get("type");
        if (type != null && !type.isNull()) {
            if (!type.isTextual() || !(type.asText().equals("message") || type.asText().equals("event"))) {
                throw ApiException.validation("'type' must be \"message\" or \"event\"");
            }
        }
        frame.put("type", type == null || type.isNull() ? "message" : type.asText());
        frame.put("room", room);
        frame.put("channel", channel);
        copy(fields, "payload", frame, "payload");
        JsonNode key = fields.get("idempotency_key");
        if (key != null && !key.isNull()) {
            frame.putObject("metadata").set(Envelope.IDEMPOTENCY_KEY, key);
        }
        if (tracing.enabled()) {
            carryTrace(headers, frame);
        }
        JsonNode durable = fields.get("durable");
        if (durable != null && !durable.isNull() && !durable.isBoolean()) {
            throw ApiException.validation("'durable' must be true or false");
        }
        if (durable != null && durable.asBoolean()) {
            frame.put("ack", Envelope.DURABLE_ACK);
        }
        Envelope envelope = decode(frame).withSender(caller.senderId());
        Inspection inspected = inspection.check(caller.senderId(), envelope);
        if (inspected.blocked()) {
            ObjectNode extra = HttpAnswer.object();
            extra.put("reason", inspected.reason());
            extra.put("room", room);
            extra.put("channel", channel);
            throw ApiException.of(inspected.blockCode(), inspected.sentence(), List.of(), extra);
        }
        envelope = inspected.envelopeOr(envelope);
        String refused = PublishRules.permissionProblem(Grants.ALL,
                k -> caller.scope() == ApiScope.ADMIN
                        || hub.admits(caller.senderId(), caller.principal().subject(), k), envelope);
        if (refused != null) {
            throw ApiException.forbidden(refused);
        }
        String problem = PublishRules.idempotencyProblem(envelope);
        if (problem != null) {
            throw ApiException.validation(problem);
        }
        Publication publication;
        try {
            publication = hub.publish(null, envelope);
        } catch (ChannelRefusedException e) {
            ObjectNode extra = HttpAnswer.object();
            extra.put("room", room);
            extra.put("channel", channel);
            throw ApiException.of(e.code(), e.getMessage(), List.of(), extra);
        }
        String id = publication.delivered().id();
        StreamPosition position = publication.delivered().position();
        if (!Envelope.DURABLE_ACK.equals(envelope.ack()) && position != null) {
            return CompletableFuture.completedFuture(result(id, position, publication.duplicate()));
        }
        return publication.stored().handle((stored, error) -> {
            if (error != null) {
                Throwable cause = Failures.unwrap(error);
                throw new java.util.concurrent.CompletionException(ApiException.of(ErrorCode.STORAGE_UNAVAILABLE,
                        "The message was not stored, and not delivered: " + cause.getMessage()));
            }
            return result(id, stored, publication.duplicate());
        });
    }

    /**
     * While tracing is on, the call's span (its context in the {@code traceparent} header, which
     * {@link TracedEndpoint} set) goes into the publication's {@code metadata}.
     */
    private static void carryTrace(HttpHeaders headers, ObjectNode frame) {
        String parent = headers.get(BusTracing.TRACEPARENT);
        if (parent == null) {
            return;
        }
        ObjectNode metadata = frame.has("metadata") ? (ObjectNode) frame.get("metadata") : frame.putObject("metadata");
        metadata.put(BusTracing.TRACEPARENT, parent);
        String state = headers.get(BusTracing.TRACESTATE);
        if (state != null) {
            metadata.put(BusTracing.TRACESTATE, state);
        }
    }

    /** Decodes a frame the API made from the caller's fields, with the bus port's validation and size limit. */
    Envelope decode(ObjectNode frame) throws ApiException {
        byte[] bytes;
        try {
            bytes = codec.mapper().writeValueAsBytes(frame);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.validation("the fields cannot be written as JSON");
        }
        if (bytes.length > maxMessageSize) {
            throw ApiException.of(ErrorCode.PAYLOAD_TOO_LARGE, "The message is " + bytes.length
                    + " bytes as an envelope; the maximum message size is " + maxMessageSize + " bytes");
        }
        Inbound inbound = codec.decode(bytes);
        if (inbound instanceof Inbound.Invalid invalid) {
            throw ApiException.of(invalid.code(), invalid.error(), invalid.errors(), null);
        }
        if (inbound instanceof Inbound.Message message) {
            return message.envelope();
        }
        throw ApiException.validation("the fields do not make a publication");
    }

    /** Inspects a private message with CASIL as the bus port does; returns the envelope to send. */
    Envelope inspect(ApiCaller caller, Envelope envelope) throws ApiException {
        Inspection inspected = inspection.check(caller.senderId(), envelope);
        if (inspected.blocked()) {
            ObjectNode extra = HttpAnswer.object();
            extra.put("reason", inspected.reason());
            throw ApiException.of(inspected.blockCode(), inspected.sentence(), List.of(), extra);
        }
        return inspected.envelopeOr(envelope);
    }

    static void copy(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value);
        }
    }

    private static ObjectNode result(String id, StreamPosition position, boolean duplicate) {
        ObjectNode out = HttpAnswer.object();
        out.put("id", id);
        out.put("offset", position.offset());
        out.put("epoch", position.epoch());
        out.put("duplicate", duplicate);
        return out;
    }

    /** The {@code channels} array of a broadcast: 1-100 distinct channel names. */
    static List<String> channels(ObjectNode body) throws ApiException {
        JsonNode node = body.get("channels");
        if (!(node instanceof ArrayNode array) || array.isEmpty() || array.size() > 100) {
            throw ApiException.validation("'channels' must be a list of 1 to 100 channel names");
        }
        java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
        for (JsonNode each : array) {
            names.add(ApiRequest.checkName("channels[]", each.isTextual() ? each.asText() : null));
        }
        return List.copyOf(names);
    }
}
