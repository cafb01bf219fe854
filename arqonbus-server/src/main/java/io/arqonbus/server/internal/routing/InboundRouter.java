package io.arqonbus.server.internal.routing;

import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.hub.AgentActivity;

import io.arqonbus.server.internal.hub.ConnectionLifecycle;
import io.arqonbus.server.internal.reply.Replies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Inbound;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.internal.command.CommandDispatcher;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.ChannelRefusedException;
import io.arqonbus.server.internal.cluster.PrivateRelay;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.Publication;
import io.arqonbus.server.internal.inspect.Inspection;
import io.arqonbus.server.internal.inspect.InspectionGate;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceSpan;
import io.arqonbus.server.internal.session.Disconnector;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Routes what a client sent (protocol §4): publications to a channel or a room, private
 * messages, telemetry, commands, identification, and refusals. Runs on the sender's loop.
 */
public final class InboundRouter {
    /** Where telemetry envelopes from bus clients are re-broadcast. */
    public static final ChannelKey TELEMETRY_STREAM = ChannelKey.of("integriguard", "telemetry-stream");
    /** The README's private-channel name. */
    public static final String PM_CHANNEL = ChannelKey.PM_CHANNEL;
    /** The longest idempotency key: {@value} characters. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 128;

    private final Hub hub;
    private volatile PrivateRelay relay;
    private final SessionRegistry sessions;
    private final CommandDispatcher commands;
    private final ConnectionLifecycle lifecycle;
    private final AgentActivity activity;
    private final TelemetryHub telemetry;
    private final Replies replies;
    private final BusMetrics metrics;
    private final Disconnector disconnector;
    private final int maxViolations;
    private final boolean legacyAcks;
    private final InspectionGate inspection;
    private final BusTracing tracing;

    public InboundRouter(Hub hub, SessionRegistry sessions, CommandDispatcher commands, ConnectionLifecycle lifecycle,
            AgentActivity activity, TelemetryHub telemetry, Replies replies, BusMetrics metrics,
            Disconnector disconnector, int maxViolations, boolean legacyAcks, InspectionGate inspection) {
        this(hub, sessions, commands, lifecycle, activity, telemetry, replies, metrics, disconnector, maxViolations,
                legacyAcks, inspection, BusTracing.off());
    }

    /** Like the other constructor, with a span for each routed envelope (docs/operations.md#tracing). */
    public InboundRouter(Hub hub, SessionRegistry sessions, CommandDispatcher commands, ConnectionLifecycle lifecycle,
            AgentActivity activity, TelemetryHub telemetry, Replies replies, BusMetrics metrics,
            Disconnector disconnector, int maxViolations, boolean legacyAcks, InspectionGate inspection,
            BusTracing tracing) {
        this.tracing = tracing;
        this.hub = hub;
        this.sessions = sessions;
        this.commands = commands;
        this.lifecycle = lifecycle;
        this.activity = activity;
        this.telemetry = telemetry;
        this.replies = replies;
        this.metrics = metrics;
        this.disconnector = disconnector;
        this.maxViolations = maxViolations;
        this.legacyAcks = legacyAcks;
        this.inspection = inspection;
    }

    /**
     * Routes one decoded frame. The run of consecutive violations is reset only by a frame that
     * was routed: a publication, a private message that reached a target, a command (whatever
     * its reply), telemetry, or an accepted identification. Refused frames count; answers that
     * are not refusals ({@code NOT_FOUND} for offline targets, command error replies) neither
     * count nor reset.
     */
    public void route(Session session, Inbound inbound) {
        switch (inbound) {
            case Inbound.Invalid invalid ->
                    refuse(session, invalid.code(), invalid.error(), invalid.errors(), invalid.requestId());
            case Inbound.Identify identify -> {
                metrics.received();
                if (lifecycle.identify(session, identify.identification())) {
                    session.goodFrame();
                }
            }
            case Inbound.Message message -> {
                metrics.received();
                if (routeEnvelope(session, message.envelope())) {
                    session.goodFrame();
                }
            }
        }
    }

    /** Routes an envelope; {@code true} when it was routed, {@code false} when refused or undeliverable. */
    private boolean routeEnvelope(Session session, Envelope envelope) {
        if (!tracing.enabled()) {
            return routeEnvelope(session, envelope, TraceSpan.NONE);
        }
        // The receive span; what the envelope leads to (stored, delivered, sent to webhooks)
        // carries its context in metadata.traceparent instead of the sender's.
        TraceSpan received = tracing.receive(envelope, session.clientId());
        try {
            boolean routed = routeEnvelope(session, tracing.carry(envelope, received), received);
            if (!routed) {
                received.fail("REFUSED", "the envelope was refused or not delivered");
            }
            return routed;
        } finally {
            received.end();
        }
    }

    private boolean routeEnvelope(Session session, Envelope envelope, TraceSpan received) {
        TraceSpan inspecting = tracing.step(received, BusTracing.INSPECT);
        Inspection inspected = inspection.check(session.clientId(), envelope);
        if (inspected.blocked()) {
            inspecting.fail(inspected.blockCode().name(), inspected.sentence());
            inspecting.end();
            blockedByInspection(session, envelope, inspected);
            return false;
        }
        inspecting.end();
        envelope = inspected.envelopeOr(envelope);
        MessageType type = envelope.type();
        if (type == MessageType.COMMAND) {
            TraceSpan command = tracing.step(received, BusTracing.COMMAND).attribute("arqonbus.command",
                    envelope.command());
            commands.dispatch(session, envelope);
            command.end();
            return true;
        } else if (type == MessageType.TELEMETRY) {
            routeTelemetry(session, envelope);
            return true;
        } else if (type == MessageType.PRIVATE || envelope.to() != null) {
            return routePrivate(session, envelope, targets(envelope));
        } else if (envelope.room() == null) {
            refuse(session, ErrorCode.VALIDATION_ERROR, "Validation error: 'room' is required",
                    List.of("'room' is required"), envelope.id());
            return false;
        } else if (PM_CHANNEL.equals(envelope.channel())) {
            List<String> targets = targets(envelope);
            if (targets.isEmpty()) {
                refuse(session, ErrorCode.VALIDATION_ERROR,
                        "Validation error: messages to the 'pm' channel need a 'to' list or 'payload.target'",
                        List.of("messages to the 'pm' channel need a 'to' list or 'payload.target'"), envelope.id());
                return false;
            }
            return routePrivate(session, envelope, targets);
        } else if (!mayPublish(session, envelope)) {
            return false;
        } else if (envelope.channel() == null) {
            Envelope delivered = hub.broadcastToRoom(session, envelope);
            acknowledge(session, delivered);
            activity.record(session, "message_sent", ChannelKey.roomWide(envelope.room()));
            return true;
        } else {
            if (!validIdempotencyKey(session, envelope)) {
                return false;
            }
            Publication publication;
            try {
                publication = hub.publish(session, envelope);
            } catch (ChannelRefusedException e) {
                channelRefused(session, envelope, e);
                return false;
            }
            acknowledge(session, publication.delivered());
            if (Envelope.DURABLE_ACK.equals(envelope.ack())) {
                acknowledgeStored(session, envelope, publication);
            }
            activity.record(session, "message_sent", ChannelKey.of(envelope.room(), envelope.channel()));
            return true;
        }
    }

    /** Refuses a publication outside the sender's permitted patterns (a room broadcast is {@code room:*}). */
    private boolean mayPublish(Session session, Envelope envelope) {
        String sentence = PublishRules.permissionProblem(session.grants(), key -> hub.admits(session, key), envelope);
        if (sentence == null) {
            return true;
        }
        refuse(session, ErrorCode.AUTHORIZATION_ERROR, sentence, List.of(sentence), envelope.id());
        return false;
    }

    /**
     * CASIL blocked the envelope (protocol §7): an error frame with its code, {@code payload.reason},
     * {@code room} and {@code channel}, correlated by {@code request_id}; nothing is delivered or
     * stored. Not counted as a protocol violation.
     */
    private void blockedByInspection(Session session, Envelope envelope, Inspection inspected) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.put("reason", inspected.reason());
        extra.put("room", envelope.room());
        extra.put("channel", envelope.channel());
        metrics.error(inspected.blockCode());
        hub.sendTo(session, replies.error(inspected.blockCode(), inspected.sentence(), envelope.id(), extra));
    }

    /**
     * A publication to a channel that does not exist, refused by the channel bounds (protocol
     * §Channel limits): an error frame {@code RATE_LIMITED} or {@code CHANNEL_LIMIT} with {@code room}
     * and {@code channel}, correlated by {@code request_id}. Not counted as a protocol violation.
     */
    private void channelRefused(Session session, Envelope envelope, ChannelRefusedException refused) {
        ObjectNode extra = JsonNodeFactory.instance.objectNode();
        extra.put("room", envelope.room());
        extra.put("channel", envelope.channel());
        metrics.error(refused.code());
        hub.sendTo(session, replies.error(refused.code(), refused.getMessage(), envelope.id(), extra));
    }

    private boolean validIdempotencyKey(Session session, Envelope envelope) {
        String problem = PublishRules.idempotencyProblem(envelope);
        if (problem == null) {
            return true;
        }
        refuse(session, ErrorCode.VALIDATION_ERROR, "Validation error: " + problem, List.of(problem), envelope.id());
        return false;
    }

    /**
     * The durable ack (protocol §12): once the store confirmed the append, an {@code ack} with the
     * position; when it could not, a {@code STORAGE_UNAVAILABLE} error frame.
     */
    private void acknowledgeStored(Session session, Envelope envelope, Publication publication) {
        publication.stored().whenComplete((position, error) -> {
            if (error == null) {
                hub.sendStoreReply(session, replies.durableAck(envelope.id(), position, publication.duplicate()));
            } else {
                Throwable cause = Failures.unwrap(error);
                metrics.error(ErrorCode.STORAGE_UNAVAILABLE);
                hub.sendStoreReply(session, replies.error(ErrorCode.STORAGE_UNAVAILABLE,
                        "The message was not stored, and not delivered: " + cause.getMessage(),
                        List.of(String.valueOf(cause.getMessage())), envelope.id()));
            }
        });
    }

    private void acknowledge(Session session, Envelope delivered) {
        if (legacyAcks) {
            hub.sendTo(session, replies.messageResponse(delivered));
        }
    }

    private static List<String> targets(Envelope envelope) {
        if (envelope.to() != null) {
            return envelope.to();
        }
        JsonNode target = envelope.payload().get("target");
        if (target == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (target.isTextual()) {
            out.add(target.asText());
        } else if (target.isArray()) {
            target.forEach(t -> {
                if (t.isTextual()) {
                    out.add(t.asText());
                }
            });
        }
        return out;
    }

    private boolean routePrivate(Session session, Envelope envelope, List<String> targetIds) {
        if (targetIds.isEmpty()) {
            refuse(session, ErrorCode.VALIDATION_ERROR,
                    "Validation error: private messages need a 'to' list or 'payload.target'",
                    List.of("private messages need a 'to' list or 'payload.target'"), envelope.id());
            return false;
        }
        List<Session> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String id : new java.util.LinkedHashSet<>(targetIds)) {
            Session target = sessions.find(id);
            if (target == null || !target.isOpen() || !sameTenant(session, target)) {
                missing.add(id);
            } else {
                found.add(target);
            }
        }
        Envelope stamped = envelope.withSender(session.clientId());
        if (!found.isEmpty()) {
            hub.sendTo(found, stamped);
        }
        PrivateRelay other = relay;
        if (missing.isEmpty() || other == null) {
            answerPrivate(session, envelope, stamped, !found.isEmpty(), missing);
            return !found.isEmpty();
        }
        // In a cluster, targets not connected here may be connected to another node.
        other.relay(session, stamped, missing).whenComplete((unknown, error) -> {
            List<String> still = error != null ? missing : unknown;
            answerPrivate(session, envelope, stamped, !found.isEmpty() || still.size() < missing.size(), still);
        });
        return true;
    }

    /** Relays private messages to targets connected to other nodes (cluster mode); set once, before traffic. */
    public void privateRelay(PrivateRelay value) {
        relay = value;
    }

    private void answerPrivate(Session session, Envelope envelope, Envelope stamped, boolean delivered,
            List<String> missing) {
        if (delivered) {
            acknowledge(session, stamped);
            activity.record(session, "private_message_sent", null);
        }
        if (!missing.isEmpty()) {
            String sentence = "Unknown or offline target client" + (missing.size() > 1 ? "s: " : ": ")
                    + String.join(", ", missing);
            metrics.error(ErrorCode.NOT_FOUND);
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            var list = extra.putArray("missing");
            missing.forEach(list::add);
            hub.sendTo(session, replies.error(ErrorCode.NOT_FOUND, sentence, envelope.id(), extra));
        }
    }

    /**
     * Private messages stay inside a tenant: a target of another tenant is answered as unknown,
     * so a sender cannot even learn that it exists.
     */
    private static boolean sameTenant(Session sender, Session target) {
        return Objects.equals(sender.principal().tenantId(), target.principal().tenantId());
    }

    private void routeTelemetry(Session session, Envelope envelope) {
        Envelope onBus = envelope.toBuilder()
                .room(TELEMETRY_STREAM.room())
                .channel(TELEMETRY_STREAM.channel())
                .build();
        try {
            hub.publish(session, onBus);
        } catch (ChannelRefusedException e) {
            channelRefused(session, envelope, e);
            return;
        }
        ObjectNode data = envelope.payload().deepCopy();
        data.put("source_client_id", session.clientId());
        telemetry.emit(envelope.payload().get("eventType").asText(), data);
    }

    /** Answers a message dropped by the rate limit; not a protocol violation. */
    public void rateLimited(Session session, String sentence) {
        hub.sendTo(session, replies.error(ErrorCode.RATE_LIMITED, sentence, List.of(sentence), null));
    }

    /**
     * Answers a frame the server refuses with an error frame; after {@code maxViolations} in a
     * row the connection is closed with 4000.
     */
    public void refuse(Session session, ErrorCode code, String sentence, List<String> errors, String requestId) {
        metrics.error(code);
        hub.sendTo(session, replies.error(code, sentence, errors, requestId));
        if (session.violation() >= maxViolations) {
            disconnector.close(session.channel(), CloseCodes.TOO_MANY_VIOLATIONS, "too many protocol violations");
        }
    }
}
