package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.ClientAdmission;
import io.arqonbus.server.internal.session.WelcomeExtension;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Identification;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.ClientInfo;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryEvent;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.protocol.Envelope;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when a connection opens, identifies itself, joins or leaves a channel, and
 * closes: registry, welcome, join/leave notices to the other members, telemetry and activity.
 * Every method runs on the session's own loop.
 */
public final class ConnectionLifecycle {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLifecycle.class);
    /** The channel a seed client that names only a room starts in. */
    public static final String DEFAULT_CHANNEL = "general";

    private final SessionRegistry sessions;
    private final Hub hub;
    private final Replies replies;
    private final TelemetryHub telemetry;
    private final AgentActivity activity;
    private final BusMetrics metrics;
    private final boolean authEnabled;
    private final List<Consumer<Session>> closeListeners = new CopyOnWriteArrayList<>();
    private final List<WelcomeExtension> welcomeExtensions = new CopyOnWriteArrayList<>();
    private final List<BiConsumer<Session, String>> renameListeners = new CopyOnWriteArrayList<>();
    private volatile ClientAdmission admission;

    public ConnectionLifecycle(SessionRegistry sessions, Hub hub, Replies replies, TelemetryHub telemetry,
            AgentActivity activity, BusMetrics metrics, boolean authEnabled) {
        this.sessions = sessions;
        this.hub = hub;
        this.replies = replies;
        this.telemetry = telemetry;
        this.activity = activity;
        this.metrics = metrics;
        this.authEnabled = authEnabled;
    }

    /** Adds something new connections may ask for after the welcome (add them before the ports open). */
    public void addWelcomeExtension(WelcomeExtension extension) {
        welcomeExtensions.add(extension);
    }

    /**
     * A step every new connection passes before its welcome (set before the ports open); the
     * connection reads nothing meanwhile. At most one.
     */
    public void admitWith(ClientAdmission step) {
        admission = step;
    }

    /**
     * Runs {@code listener} on the session's loop when an identification gives a connection
     * another client id; it receives the session (already renamed) and its former id.
     */
    public void onRenamed(BiConsumer<Session, String> listener) {
        renameListeners.add(listener);
    }

    /** A connection finished its handshake: register it and send the welcome. */
    public void opened(Session session) {
        opened(session, Map.of());
    }

    /**
     * A connection finished its handshake: register it, send the welcome, then whatever the
     * {@link WelcomeExtension}s add for the query parameters of its upgrade URL.
     */
    public void opened(Session session, Map<String, List<String>> query) {
        sessions.register(session);
        ClientAdmission step = admission;
        if (step == null) {
            welcome(session, query);
            return;
        }
        session.channel().config().setAutoRead(false);
        step.admit(session).whenComplete((ignored, error) -> {
            try {
                session.loop().enqueue(() -> {
                    if (session.channel().isActive()) {
                        session.channel().config().setAutoRead(true);
                        welcome(session, query);
                    }
                });
            } catch (RejectedExecutionException e) {
                session.channel().close();
            }
        });
    }

    private void welcome(Session session, Map<String, List<String>> query) {
        hub.sendTo(session, replies.welcome(session.clientId()));
        for (WelcomeExtension extension : welcomeExtensions) {
            extension.welcomed(session, query);
        }
        telemetry.emit(new TelemetryEvent.ClientConnected(session.clientId(), session.info().typeOrUnknown(),
                String.valueOf(session.channel().remoteAddress())));
        log.atDebug()
                .addKeyValue("event", "client_connected")
                .addKeyValue("client", session.clientId())
                .addKeyValue("remote", session.channel().remoteAddress())
                .log("client_connected");
    }

    /**
     * A seed identification frame: take the requested id, record the metadata, join the room.
     *
     * @return {@code false} when the requested client id was refused (an error frame was sent)
     */
    public boolean identify(Session session, Identification id) {
        boolean accepted = true;
        String requested = id.clientId();
        if (requested != null && !requested.equals(session.clientId())) {
            if (authEnabled && !requested.equals(session.principal().subject())) {
                reject(session, ErrorCode.AUTHORIZATION_ERROR,
                        "client_id '" + requested + "' does not match the token's subject");
                requested = null;
                accepted = false;
            } else {
                String former = session.clientId();
                if (!sessions.rename(session, requested)) {
                    reject(session, ErrorCode.CLIENT_ID_TAKEN, "client_id '" + requested
                            + "' is in use by another connection; keeping " + session.clientId());
                    requested = null;
                    accepted = false;
                } else {
                    for (BiConsumer<Session, String> listener : renameListeners) {
                        listener.accept(session, former);
                    }
                }
            }
        }
        ClientInfo old = session.info();
        session.info(new ClientInfo(
                id.clientType() != null ? id.clientType() : old.clientType(),
                id.screenName() != null ? id.screenName() : old.screenName(),
                id.avatar() != null ? id.avatar() : old.avatar(),
                id.personality() != null ? id.personality() : old.personality(),
                old.connectedAt()));
        activity.record(session, "identified", null);
        if (id.room() != null) {
            ChannelKey key = ChannelKey.of(id.room(), id.channel() != null ? id.channel() : DEFAULT_CHANNEL);
            if (!session.grants().allows(ChannelAction.SUBSCRIBE, key)) {
                reject(session, ErrorCode.AUTHORIZATION_ERROR, "Not allowed to subscribe to " + key);
            } else if (!hub.admits(session, key)) {
                reject(session, ErrorCode.AUTHORIZATION_ERROR, "Channel " + key
                        + " is private and does not list this client");
            } else {
                join(session, key);
            }
        }
        return accepted;
    }

    private void reject(Session session, ErrorCode code, String sentence) {
        metrics.error(code);
        hub.sendTo(session, replies.error(code, sentence, List.of(sentence), null));
    }

    /** Joins a channel and tells its other members. */
    public JoinResult join(Session session, ChannelKey key) {
        return join(session, key, null, 0);
    }

    /**
     * Joins a channel, starting a recovery from {@code recover} when one is possible (see
     * {@link Hub#join(Session, ChannelKey, StreamPosition, int)}), and tells its other members.
     */
    public JoinResult join(Session session, ChannelKey key, StreamPosition recover, int maxRecovery) {
        return joinCounted(session, key, recover, maxRecovery).result();
    }

    /**
     * A join, and the channel's member count on every node once the {@link MemberDirectory} answered
     * (at once on one node).
     */
    public record Joined(JoinResult result, CompletableFuture<Integer> memberCount) {
    }

    /**
     * As {@link #join(Session, ChannelKey, StreamPosition, int)}; the other members (on every node)
     * are told once the directory gave the channel's member count.
     */
    public Joined joinCounted(Session session, ChannelKey key, StreamPosition recover, int maxRecovery) {
        return joinCounted(session, key, recover, maxRecovery, false);
    }

    /**
     * As {@link #joinCounted(Session, ChannelKey, StreamPosition, int)}, for a channel that
     * {@code madeBefore} (made for this join by {@link Hub#synced}, in a cluster) or not.
     */
    public Joined joinCounted(Session session, ChannelKey key, StreamPosition recover, int maxRecovery,
            boolean madeBefore) {
        JoinResult result = hub.join(session, key, recover, maxRecovery);
        if (result.created() || madeBefore) {
            telemetry.emit(new TelemetryEvent.ChannelCreated(key.room(), key.channel(), session.clientId()));
        }
        MemberDirectory members = hub.members();
        if (!result.joined()) {
            return new Joined(result, members.count(key, result.memberCount()));
        }
        Instant joinedAt = Objects.requireNonNullElseGet(hub.joinedAt(session, key), Instant::now);
        CompletableFuture<Integer> count = members.joined(key, MemberDirectory.Member.of(session, joinedAt),
                result.memberCount(), n -> notice(session, key, "join", n));
        count.thenAccept(n -> hub.send(key, notice(session, key, "join", n), session));
        activity.record(session, "joined", key);
        return new Joined(result, count);
    }

    /**
     * Leaves a channel and tells its other members.
     *
     * @return how many members are left, or -1 when the session was not a member
     */
    public int leave(Session session, ChannelKey key) {
        return leaveCounted(session, key).localCount();
    }

    /**
     * A leave: the members left on this node (-1 when the session was not a member), and on every
     * node once the {@link MemberDirectory} answered ({@code null} when it was not a member).
     */
    public record Left(int localCount, CompletableFuture<Integer> memberCount) {
    }

    /** As {@link #leave}; the other members (on every node) are told once the directory gave the count. */
    public Left leaveCounted(Session session, ChannelKey key) {
        Instant joinedAt = hub.joinedAt(session, key);
        int left = hub.leave(session, key);
        if (left < 0) {
            return new Left(left, null);
        }
        CompletableFuture<Integer> count = hub.members().left(key, MemberDirectory.Member.of(session,
                Objects.requireNonNullElseGet(joinedAt, Instant::now)), left, n -> notice(session, key, "leave", n));
        count.thenAccept(n -> hub.send(key, notice(session, key, "leave", n), session));
        activity.record(session, "left", key);
        return new Left(left, count);
    }

    /**
     * Runs {@code listener} on the connection's loop whenever a connection closes (after it left its
     * channels), e.g. to remove what it owned; it must not block. Returns a Runnable that removes it.
     */
    public Runnable onClosed(Consumer<Session> listener) {
        closeListeners.add(listener);
        return () -> closeListeners.remove(listener);
    }

    /** The connection ended: leave every channel, unregister, tell close listeners and telemetry. */
    public void closed(Session session) {
        session.dropRecoveries();
        session.dropBacklogs();
        for (ChannelKey key : session.membershipSnapshot()) {
            leave(session, key);
        }
        sessions.unregister(session);
        for (Consumer<Session> listener : closeListeners) {
            try {
                listener.accept(session);
            } catch (RuntimeException e) {
                log.atWarn()
                        .addKeyValue("event", "close_listener_failed")
                        .addKeyValue("code", "INTERNAL_ERROR")
                        .addKeyValue("client", session.clientId())
                        .addKeyValue("msg", e.toString())
                        .log("close_listener_failed");
            }
        }
        activity.record(session, "disconnected", null);
        telemetry.emit(new TelemetryEvent.ClientDisconnected(session.clientId(), session.info().typeOrUnknown()));
        log.atDebug()
                .addKeyValue("event", "client_disconnected")
                .addKeyValue("client", session.clientId())
                .log("client_disconnected");
    }

    private Envelope notice(Session session, ChannelKey key, String event, int memberCount) {
        ObjectNode payload = JsonNodeFactory.instance.objectNode();
        payload.put("event", event);
        payload.put("client_id", session.clientId());
        ClientInfo info = session.info();
        if (info.screenName() != null) {
            payload.put("screen_name", info.screenName());
        } else {
            payload.putNull("screen_name");
        }
        payload.put("client_type", info.typeOrUnknown());
        payload.put("room", key.room());
        payload.put("channel", key.channel());
        payload.put("member_count", memberCount);
        return replies.system(key.room(), key.channel(), payload);
    }

}
