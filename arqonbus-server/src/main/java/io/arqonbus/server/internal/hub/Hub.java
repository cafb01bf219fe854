package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.ChannelLimits;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.config.SlowConsumerChannels;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.history.StoredIdempotencyKey;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Session;
import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, channels, memberships and publications: the face the router, the commands and the
 * features see. The parts behind it:
 * <ul>
 *   <li>{@link ChannelRegistry}: the rooms and channels (create, look up, delete, list);</li>
 *   <li>{@link BusChannel}: one channel's members and the sequencing of its stream (offsets,
 *       idempotency, append, release in offset order), behind a lock only it holds;</li>
 *   <li>{@link Broker}: where a sequenced publication leaves for other nodes and where
 *       publications enter local fan-out ({@link InProcessBroker} on one node);</li>
 *   <li>{@link LocalDelivery} and {@link FanOut}: from the broker to the event loops (plain,
 *       filtered, room, direct), each loop getting a frame once and writing a share of it to each
 *       of its receivers;</li>
 *   <li>{@link Recovery}: what a joining client missed, before its live publications.</li>
 * </ul>
 * Callers get copies ({@link ChannelInfo}, {@link RoomInfo}, {@link JoinResult}), never a channel.
 *
 * <p>Over 400 lines: it is the one facade of the hub, each method a short delegation to the parts
 * above; a broker that sequences publications itself (a cluster) is served by
 * {@link ClusterSequencing}.
 */
public final class Hub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    /** How long an idempotency key is remembered by default (five minutes). */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(5);
    /**
     * In a cluster, how long a node stays subscribed to a channel's (or a room's) stream after its
     * last local member left: 10 s, so join/leave churn costs no SUBSCRIBE/UNSUBSCRIBE pair each.
     */
    public static final Duration SUBSCRIPTION_LINGER = StreamInterest.LINGER;
    /** How many idempotency keys a channel remembers at most by default: {@value}. */
    public static final int DEFAULT_DEDUP_MAX_KEYS = 100_000;

    private final ChannelSupport support;
    private final ChannelRegistry registry;
    private final FanOut fanOut;
    private final LocalDelivery delivery;
    private final Recovery recovery;
    private final StoreReplies storeReplies;
    private volatile MemberDirectory members = new InProcessMemberDirectory(this);
    private volatile ChannelChanges changes = ChannelChanges.NONE;

    /**
     * @param heads the positions of the streams the store already holds; a channel made for one
     *              of them continues its offsets and epoch
     */
    public Hub(LoopContexts loops, HistoryStore history, Map<ChannelKey, StreamPosition> heads, FrameEncoder encoder,
            BusMetrics metrics, IdGenerator ids, Clock clock) {
        this(loops, history, heads, encoder, metrics, ids, clock, DEFAULT_DEDUP_WINDOW, DEFAULT_DEDUP_MAX_KEYS);
    }

    /** Like the other constructor, with the idempotency window and its bound per channel. */
    public Hub(LoopContexts loops, HistoryStore history, Map<ChannelKey, StreamPosition> heads, FrameEncoder encoder,
            BusMetrics metrics, IdGenerator ids, Clock clock, Duration dedupWindow, int dedupMaxKeys) {
        this(loops, history, heads, encoder, metrics, ids, clock, dedupWindow, dedupMaxKeys, new InProcessBroker());
    }

    /** Like the other constructors, publishing through {@code broker}, which the hub then owns. */
    public Hub(LoopContexts loops, HistoryStore history, Map<ChannelKey, StreamPosition> heads, FrameEncoder encoder,
            BusMetrics metrics, IdGenerator ids, Clock clock, Duration dedupWindow, int dedupMaxKeys, Broker broker) {
        this(loops, history, heads, encoder, metrics, ids, clock, dedupWindow, dedupMaxKeys, broker, BusTracing.off());
    }

    /**
     * Like the other constructors, with spans for the sequencing, store append and fan-out of
     * publications that carry a trace context in {@code metadata} (docs/operations.md#tracing).
     */
    public Hub(LoopContexts loops, HistoryStore history, Map<ChannelKey, StreamPosition> heads, FrameEncoder encoder,
            BusMetrics metrics, IdGenerator ids, Clock clock, Duration dedupWindow, int dedupMaxKeys, Broker broker,
            BusTracing tracing) {
        this.fanOut = new FanOut(loops, metrics);
        this.delivery = new LocalDelivery(fanOut, tracing);
        this.support = new ChannelSupport(history, encoder, broker, metrics, clock, dedupWindow, dedupMaxKeys,
                new AtomicLong(), tracing, delivery::acceptedUnheard);
        StreamInterest interest = broker.sequences()
                ? new StreamInterest(broker, loops.get(0).loop(), StreamInterest.LINGER) : null;
        this.registry = new ChannelRegistry(heads, support, delivery, ids, loops.size(), interest);
        this.recovery = new Recovery(encoder, fanOut);
        this.storeReplies = new StoreReplies(loops, fanOut);
    }

    /**
     * Delivers every publication also to the connections whose filters match it (filtered
     * subscriptions). Set once, before traffic starts.
     */
    public void filteredReceivers(FilteredReceivers receivers) {
        fanOut.filteredReceivers(receivers);
    }

    /** Who is a member on every node (this hub's members on one node). */
    public MemberDirectory members() {
        return members;
    }

    /** Keeps the members of every node in {@code directory} (a cluster). Set once, before traffic starts. */
    public void memberDirectory(MemberDirectory directory) {
        members = directory;
    }

    /** When the session joined the channel, or {@code null} when it is not a member. */
    public Instant joinedAt(Session session, ChannelKey key) {
        BusChannel channel = registry.channel(key);
        return channel == null ? null : channel.joinedAt(session);
    }

    /** Sets the bounds on the channels clients create. Set once, before traffic starts. */
    public void channelLimits(ChannelLimits limits) {
        registry.limits(limits);
    }

    /**
     * Sets how new channels choose their slow-consumer policy (configured patterns) and how many
     * bytes one member's backlog of a channel holds at most. Set once, before traffic starts.
     */
    public void slowConsumerChannels(SlowConsumerChannels settings, long maxBacklogBytes) {
        registry.slowConsumers(settings, maxBacklogBytes);
    }

    /**
     * Lets {@code listener} observe every publication delivered from now on.
     *
     * @return removes the listener
     */
    public Runnable addListener(PublicationListener listener) {
        return delivery.addListener(listener, false);
    }

    /**
     * Lets {@code listener} observe the publications this node accepted (from its clients, the
     * HTTP API, the server or the host) as they are delivered, not those other nodes of a cluster
     * accepted; on a single node, every publication.
     *
     * @return removes the listener
     */
    public Runnable addAcceptedListener(PublicationListener listener) {
        return delivery.addListener(listener, true);
    }

    /** Tells {@code changes} of the channels clients and the HTTP API create and delete. Set once, before traffic. */
    public void channelChanges(ChannelChanges changes) {
        this.changes = changes;
    }

    // ---- channels -------------------------------------------------------------------------

    /** A copy of the channel as it is now, or {@code null} when it does not exist. */
    public ChannelInfo channel(ChannelKey key) {
        BusChannel channel = registry.channel(key);
        return channel == null ? null : channel.info();
    }

    /** Whether the session is a member of the channel. */
    public boolean isMember(Session session, ChannelKey key) {
        BusChannel channel = registry.channel(key);
        return channel != null && channel.hasMember(session);
    }

    /**
     * Whether the channel admits the session: a public or missing channel admits everyone. Costs a
     * single volatile read until a private channel exists.
     */
    public boolean admits(Session session, ChannelKey key) {
        return registry.admits(session, key);
    }

    /** As {@link #admits(Session, ChannelKey)}, for a caller without a session (the HTTP API). */
    public boolean admits(String clientId, String subject, ChannelKey key) {
        return registry.admits(clientId, subject, key);
    }

    /** A copy of the room and its channels as they are now, or {@code null} when it does not exist. */
    public RoomInfo room(String name) {
        Room room = registry.room(name);
        return room == null ? null : room.info();
    }

    /** Every room that has at least one channel, as it is now. */
    public List<RoomInfo> rooms() {
        return registry.rooms();
    }

    /** How many rooms have at least one channel. */
    public int roomCount() {
        return registry.roomCount();
    }

    /** How many channels exist. */
    public int channelCount() {
        return registry.channelCount();
    }

    /**
     * Creates a channel if it does not exist; a channel whose stream the store already holds
     * continues its position.
     *
     * @return the channel and whether this call created it
     */
    public JoinResult create(ChannelKey key, String createdBy, String type, boolean hardcoded) {
        return create(key, createdBy, type, hardcoded, null);
    }

    /**
     * Creates a channel if it does not exist, like {@link #create(ChannelKey, String, String, boolean)};
     * a channel this call creates with {@code admitted} not {@code null} is private: only those client
     * ids or token subjects may join it.
     */
    public JoinResult create(ChannelKey key, String createdBy, String type, boolean hardcoded, Set<String> admitted) {
        ChannelRegistry.Created made = registry.create(key, createdBy, type, hardcoded, admitted);
        return made.channel().created(made.created());
    }

    /**
     * Creates a channel for a client's {@code create_channel}, like
     * {@link #create(ChannelKey, String, String, boolean, Set)}, counted against the bounds on
     * channels; such a channel is never reclaimed.
     *
     * @throws ChannelRefusedException when a bound refuses a new channel
     */
    public JoinResult createFor(Session requester, ChannelKey key, Set<String> admitted) {
        return createFor(requester, key, admitted, null);
    }

    /**
     * Like {@link #createFor(Session, ChannelKey, Set)}, a new channel taking {@code slowConsumer}
     * as its slow-consumer policy ({@code null}: the configured patterns').
     */
    public JoinResult createFor(Session requester, ChannelKey key, Set<String> admitted,
            ChannelSlowConsumerPolicy slowConsumer) {
        changes.checkAvailable();
        ChannelRegistry.Created made = registry.create(key, requester.clientId(), "dynamic", false, admitted,
                requester, ChannelRegistry.Origin.EXPLICIT, slowConsumer);
        JoinResult result = made.channel().created(made.created());
        if (made.created()) {
            changes.created(key, requester.clientId(), admitted == null ? null : result.admitted());
        }
        return result;
    }

    /**
     * Creates a channel for the HTTP API's channel admin ({@code POST /api/channels}), like
     * {@link #create(ChannelKey, String, String, boolean, Set)}, and tells the {@link ChannelChanges}.
     */
    public JoinResult createByAdmin(ChannelKey key, String createdBy, Set<String> admitted) {
        changes.checkAvailable();
        JoinResult result = create(key, createdBy, "dynamic", false, admitted);
        if (result.created()) {
            changes.created(key, createdBy, admitted == null ? null : result.admitted());
        }
        return result;
    }

    /**
     * Applies a channel another node of a cluster created: made when missing (never reclaimed),
     * private to {@code admitted} when that is not {@code null}; a channel that already exists here
     * stays as it is. Not told to the {@link ChannelChanges}.
     *
     * @return whether this call made the channel
     */
    public boolean createCopy(ChannelKey key, String createdBy, Set<String> admitted) {
        return createCopy(key, createdBy, admitted, null);
    }

    /**
     * Like {@link #createCopy(ChannelKey, String, Set)}, the channel taking {@code slowConsumer} as
     * its slow-consumer policy ({@code null}: the configured patterns'); a channel that already
     * exists here takes that policy too (made before by a restore or a publication).
     */
    public boolean createCopy(ChannelKey key, String createdBy, Set<String> admitted,
            ChannelSlowConsumerPolicy slowConsumer) {
        ChannelRegistry.Created made = registry.create(key, createdBy, "dynamic", false, admitted, null,
                ChannelRegistry.Origin.SERVER, slowConsumer);
        if (!made.created() && slowConsumer != null && made.channel().slowConsumer() != slowConsumer) {
            registry.slowConsumer(made.channel(), slowConsumer);
        }
        return made.created();
    }

    /**
     * Applies a channel deletion another node of a cluster made: the channel goes when it is empty
     * here and not bootstrapped (its history, shared, was deleted by that node). Not told to the
     * {@link ChannelChanges}.
     */
    public DeleteOutcome deleteCopy(ChannelKey key) {
        ChannelInfo channel = channel(key);
        if (channel == null) {
            return DeleteOutcome.NOT_FOUND;
        }
        if (channel.hardcoded()) {
            return DeleteOutcome.NOT_EMPTY;
        }
        return switch (registry.delete(key)) {
            case NOT_FOUND -> DeleteOutcome.NOT_FOUND;
            case NOT_EMPTY -> DeleteOutcome.NOT_EMPTY;
            case DELETED -> DeleteOutcome.DELETED;
        };
    }

    /** The channel's slow-consumer policy, or {@code null} when it does not exist. */
    public ChannelSlowConsumerPolicy slowConsumerPolicy(ChannelKey key) {
        BusChannel channel = registry.channel(key);
        return channel == null ? null : channel.slowConsumer();
    }

    /**
     * Removes at most {@code budget} channels made implicitly (by a publication or a join) that
     * have been empty and without publications for the idle grace. With a store that is not
     * durable their history goes with them; a durable store keeps it, and a channel made again for
     * the key continues its stream. Cheap per call: run it periodically, off the hot path.
     *
     * @return the channels removed
     */
    public List<ChannelKey> reclaimIdle(int budget) {
        Duration grace = registry.limits().idleGrace();
        if (grace.isZero()) {
            return List.of();
        }
        boolean durable = support.history().durable();
        List<ChannelRegistry.Reclaimed> gone = registry.reclaimIdle(support.clock().instant().minus(grace), budget,
                durable);
        List<ChannelKey> keys = new ArrayList<>(gone.size());
        for (ChannelRegistry.Reclaimed reclaimed : gone) {
            keys.add(reclaimed.key());
            support.metrics().channelReclaimed();
            if (!durable) {
                support.history().delete(reclaimed.key());
            }
        }
        return keys;
    }

    /**
     * Remembers the idempotency keys of publications a durable store kept from before a restart
     * ({@code HistoryStore.idempotencyKeys}), so a publisher retrying after a crash is not stored
     * twice. Call before traffic starts, in store order.
     */
    public void rememberStored(ChannelKey key, List<StoredIdempotencyKey> recent) {
        registry.rememberStored(key, recent);
    }

    /** How long a channel remembers an idempotency key. */
    public Duration dedupWindow() {
        return support.dedupWindow();
    }

    /**
     * Makes the rooms and channels of the streams a durable store already holds, before traffic
     * starts, so their history can be read and their positions continue even before anyone joins.
     * Channels made this way are owned by the server ({@code created_by} {@code arqonbus}).
     */
    public void restore(Collection<ChannelKey> streams) {
        for (ChannelKey key : List.copyOf(streams)) {
            if (key.channel() == null) {
                registry.roomFor(key.room());
            } else {
                create(key, Replies.SERVER_SENDER, "dynamic", false);
            }
        }
    }

    /** Outcome of {@link #delete}. */
    public enum DeleteOutcome { DELETED, NOT_FOUND, NOT_EMPTY }

    /** Deletes an empty channel and its history. */
    public DeleteOutcome delete(ChannelKey key) {
        changes.checkAvailable();
        switch (registry.delete(key)) {
            case NOT_FOUND:
                return DeleteOutcome.NOT_FOUND;
            case NOT_EMPTY:
                return DeleteOutcome.NOT_EMPTY;
            default:
                break;
        }
        changes.deleted(key);
        support.history().delete(key).whenComplete((v, e) -> {
            if (e != null) {
                log.atWarn().addKeyValue("event", "history_delete_failed").addKeyValue("code", "STORAGE_UNAVAILABLE")
                        .addKeyValue("stream", key).addKeyValue("msg", e.getMessage()).log("history_delete_failed");
            }
        });
        return DeleteOutcome.DELETED;
    }

    // ---- membership -----------------------------------------------------------------------

    /**
     * Joins the session to the channel, creating it if needed. Call on the session's loop.
     *
     * @throws ChannelRefusedException when the channel does not exist and a bound refuses a new one
     */
    public JoinResult join(Session session, ChannelKey key) {
        return join(session, key, null, 0);
    }

    /**
     * Joins the session to the channel, creating it if needed, and starts a recovery from
     * {@code recover} when one is possible: same epoch, and between 1 and {@code maxRecovery}
     * publications missed. While a recovery runs, the channel's live frames for this session are
     * held back (see {@link Session#hold}) until the caller ends it ({@link #finishRecovery}).
     * Call on the session's loop.
     *
     * @param recover the last position the client saw, or {@code null}
     */
    public JoinResult join(Session session, ChannelKey key, StreamPosition recover, int maxRecovery) {
        while (true) {
            ChannelRegistry.Created made = registry.create(key, session.clientId(), "dynamic", false, null, session,
                    ChannelRegistry.Origin.IMPLICIT);
            JoinResult result = made.channel().join(session, support.clock().instant(), made.created(), recover,
                    maxRecovery);
            if (result != null) {
                registry.want(key);
                return result;
            }
        }
    }

    /**
     * Completes once the channel (made when missing, as by {@link #join}) knows its stream's position:
     * at once on one node (where nothing is made here), once the broker read the shared head in a
     * cluster. Throws as {@link #join}.
     */
    public Synced synced(Session session, ChannelKey key) {
        if (!support.broker().sequences()) {
            return new Synced(CompletableFuture.completedFuture(null), false);
        }
        ChannelRegistry.Created made = registry.create(key, session.clientId(), "dynamic", false, null, session,
                ChannelRegistry.Origin.IMPLICIT);
        // The first local member's join subscribes the stream (and its room's); the join waits for its head.
        registry.want(key);
        return new Synced(made.channel().synced(), made.created());
    }

    /**
     * What {@link #synced} answers: when the channel knows its stream's position, and whether this
     * call made the channel (the join that follows then reports it as created).
     */
    public record Synced(CompletableFuture<Void> ready, boolean created) {
    }

    /**
     * Removes the session from the channel.
     *
     * @return how many members are left, or -1 when the session was not a member
     */
    public int leave(Session session, ChannelKey key) {
        BusChannel channel = registry.channel(key);
        int left = channel == null ? -1 : channel.leave(session);
        if (left == 0) {
            registry.lost(key);
        }
        session.memberships().remove(key);
        session.dropBacklog(key);
        return left;
    }

    /**
     * Ends a recovery on the session's loop: writes the recovered publications (JSON exactly as
     * stored, in order), then the live frames held back meanwhile, then lets live frames through.
     * When more arrived than could be held, the connection is closed as a slow consumer (4001)
     * rather than leave a silent gap. Call on the session's loop, after the join reply was written.
     */
    public void finishRecovery(Session session, ChannelKey key, List<byte[]> recovered) {
        recovery.finish(session, key, recovered);
    }

    // ---- publications ---------------------------------------------------------------------

    /**
     * Publishes to the envelope's {@code room:channel}: stamps sender and position, stores, and
     * delivers to every member but the sender once the store took it, in offset order. Creates the
     * channel if needed.
     *
     * <p>A publication with {@code "ack":"durable"} is delivered only when the store confirmed it,
     * and refused at once while the store is down; any other publication is delivered even when the
     * store failed (the failure is counted). A publication repeating an idempotency key seen in the
     * channel within the dedup window is neither stored nor delivered again.
     *
     * @throws ChannelRefusedException when the channel does not exist and a bound refuses a new one
     */
    public Publication publish(Session sender, Envelope envelope) {
        ChannelKey key = ChannelKey.of(envelope.room(), envelope.channel());
        String senderId = sender == null ? envelope.sender() : sender.clientId();
        boolean mustStore = Envelope.DURABLE_ACK.equals(envelope.ack());
        HistoryStore history = support.history();
        if (mustStore && !history.health().available()) {
            return new Publication(envelope.withSender(senderId), CompletableFuture.failedFuture(
                    new StoreUnavailableException(history.health().detail())), false);
        }
        String createdBy = sender == null ? Replies.SERVER_SENDER : sender.clientId();
        while (true) {
            BusChannel channel = registry.create(key, createdBy, "dynamic", false, null, sender,
                    ChannelRegistry.Origin.IMPLICIT).channel();
            registry.touch(key);
            Publication publication = channel.publish(envelope, senderId, sender, mustStore);
            if (publication != null) {
                return publication;
            }
        }
    }

    /**
     * Broadcasts to every member of any channel of the room, each once, except the sender, and
     * stores the message in the room's own stream (positions of room streams stay internal).
     *
     * @return the envelope as delivered
     */
    public Envelope broadcastToRoom(Session sender, Envelope envelope) {
        Room room = registry.roomFor(envelope.room());
        Envelope stamped = envelope.withSender(sender == null ? envelope.sender() : sender.clientId());
        if (support.broker().sequences()) {
            registry.touch(room.streamKey());
            ClusterSequencing.room(support, room.streamKey(), stamped, sender);
            return stamped;
        }
        ByteBuf frame = support.encoder().encode(stamped);
        StreamPosition position = room.append(frame, support);
        support.publications().incrementAndGet();
        support.broker().publish(room.streamKey(), position, new SequencedPublication(stamped, frame, sender));
        return stamped;
    }

    /**
     * Delivers to the channel's members but {@code exclude}, without storing (system notices), in
     * order with its publications. Does nothing when the channel does not exist.
     */
    public void send(ChannelKey key, Envelope envelope, Session exclude) {
        BusChannel channel = registry.channel(key);
        if (channel != null) {
            channel.notice(support.encoder().encode(envelope), exclude, fanOut);
        }
    }

    /** Sends one envelope to one session, on that session's loop. */
    public void sendTo(Session target, Envelope envelope) {
        fanOut.toSession(target, support.encoder().encode(envelope));
    }

    /**
     * Sends a reply that a store's completion caused (a durable ack) to one session: from a store
     * thread, batched with the other such replies for that session's loop (one task and one flush
     * per group of appends); on the session's loop, as {@link #sendTo(Session, Envelope)}.
     */
    public void sendStoreReply(Session target, Envelope envelope) {
        storeReplies.send(target, support.encoder().encode(envelope));
    }

    /** Sends one envelope to several sessions, encoded once. */
    public void sendTo(Collection<Session> targets, Envelope envelope) {
        fanOut.toSessions(targets, support.encoder().encode(envelope));
    }

    /** Publications accepted since start (channel and room). */
    public long publicationCount() {
        return support.publications().get();
    }

    /** Closes the broker: nothing is delivered through it afterwards. */
    @Override
    public void close() {
        support.broker().close();
    }
}
