package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.channel.ChannelKey;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.metrics.BusMetrics;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms, channels, memberships and fan-out.
 *
 * <p>A publication is stamped with its channel's next offset, encoded once into a complete
 * WebSocket frame, appended to the history store, and — once the store confirmed the append —
 * handed once to every event loop that serves members of the channel; that loop writes a
 * {@linkplain FrameEncoder#share share} of the frame to each of its local members. Offsets are
 * given and publications released under the channel's monitor, strictly in offset order, so every loop sees a channel's
 * publications in offset order and a joining member's position is exact. Joins and leaves run on
 * the member's own loop.
 */
public final class Hub {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    /** How long an idempotency key is remembered by default (five minutes). */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(5);
    /** How many idempotency keys a channel remembers at most by default: {@value}. */
    public static final int DEFAULT_DEDUP_MAX_KEYS = 100_000;

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final LoopContexts loops;
    private final HistoryStore history;
    private final FrameEncoder encoder;
    private final BusMetrics metrics;
    private final IdGenerator ids;
    private final Clock clock;
    private final AtomicLong stamps = new AtomicLong();
    private final AtomicLong publications = new AtomicLong();
    private final ConcurrentHashMap<ChannelKey, StreamPosition> heads;
    private final ConcurrentHashMap<ChannelKey, IdempotencyWindow> rememberedKeys = new ConcurrentHashMap<>();
    private final Duration dedupWindow;
    private final int dedupMaxKeys;
    private final CopyOnWriteArrayList<PublicationListener> listeners = new CopyOnWriteArrayList<>();
    private volatile FilteredReceivers filtered;
    /** Set once a private channel was made: until then no publication needs the private check. */
    private volatile boolean anyPrivate;

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
        this.loops = loops;
        this.history = history;
        this.heads = new ConcurrentHashMap<>(heads);
        this.encoder = encoder;
        this.metrics = metrics;
        this.ids = ids;
        this.clock = clock;
        this.dedupWindow = dedupWindow;
        this.dedupMaxKeys = dedupMaxKeys;
    }

    /**
     * Delivers every publication also to the connections whose filters match it (filtered
     * subscriptions). Set once, before traffic starts.
     */
    public void filteredReceivers(FilteredReceivers receivers) {
        this.filtered = receivers;
    }

    // ---- listeners ------------------------------------------------------------------------

    /**
     * Lets {@code listener} observe every publication delivered from now on.
     *
     * @return removes the listener
     */
    public Runnable addListener(PublicationListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void notifyListeners(Envelope delivered, Session sender) {
        for (PublicationListener listener : listeners) {
            try {
                listener.published(delivered, sender);
            } catch (RuntimeException e) {
                log.warn("event=listener_failed code=INTERNAL_ERROR listener={} msg=\"{}\"",
                        listener.getClass().getSimpleName(), e.toString());
            }
        }
    }

    // ---- channels -------------------------------------------------------------------------

    /** The channel, or {@code null} when it does not exist. */
    public BusChannel channel(ChannelKey key) {
        Room room = rooms.get(key.room());
        return room == null || key.channel() == null ? null : room.channel(key.channel());
    }

    /**
     * Whether the channel admits the session: a public or missing channel admits everyone. Costs a
     * single volatile read until a private channel exists.
     */
    public boolean admits(Session session, ChannelKey key) {
        if (!anyPrivate) {
            return true;
        }
        BusChannel channel = channel(key);
        return channel == null || channel.admits(session);
    }

    /** The room, or {@code null}. */
    public Room room(String name) {
        return rooms.get(name);
    }

    /** Every room that has at least one channel. */
    public List<Room> rooms() {
        List<Room> out = new ArrayList<>();
        for (Room room : rooms.values()) {
            if (!room.channelMap().isEmpty()) {
                out.add(room);
            }
        }
        return out;
    }

    /** How many rooms have at least one channel. */
    public int roomCount() {
        int n = 0;
        for (Room room : rooms.values()) {
            if (!room.channelMap().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** How many channels exist. */
    public int channelCount() {
        int n = 0;
        for (Room room : rooms.values()) {
            n += room.channelMap().size();
        }
        return n;
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
     * ids or token subjects may join it (see {@link BusChannel#admits(Session)}).
     */
    public JoinResult create(ChannelKey key, String createdBy, String type, boolean hardcoded, Set<String> admitted) {
        Room room = roomFor(key.room());
        boolean[] created = {false};
        BusChannel channel = room.channelMap().computeIfAbsent(key.channel(), name -> {
            created[0] = true;
            BusChannel made = new BusChannel(key, clock.instant(), createdBy, type, hardcoded, startPosition(key),
                    loops.size());
            IdempotencyWindow remembered = rememberedKeys.remove(key);
            if (remembered != null) {
                made.idempotency(remembered);
            }
            if (admitted != null) {
                made.admitOnly(admitted);
                anyPrivate = true;
            }
            return made;
        });
        return new JoinResult(channel, created[0], false, null, false);
    }

    /** The room, made when missing (its room-wide stream continuing a stored one). */
    private Room roomFor(String name) {
        Room room = rooms.get(name);
        if (room != null) {
            return room;
        }
        return rooms.computeIfAbsent(name, n -> {
            ChannelKey stream = ChannelKey.roomWide(n);
            return new Room(n, stream, startPosition(stream));
        });
    }

    /** Where a new stream starts: the stored head when the store holds it, else offset 0 in a new epoch. */
    private StreamPosition startPosition(ChannelKey stream) {
        StreamPosition head = heads.remove(stream);
        return head != null ? head : new StreamPosition(0, newEpoch());
    }

    /**
     * Remembers the idempotency keys of publications a durable store kept from before a restart,
     * so a publisher retrying after a crash is not stored twice. Call before traffic starts, in
     * store order.
     */
    public void rememberStored(ChannelKey key, List<StoredMessage> recent) {
        for (StoredMessage message : recent) {
            Envelope stored = message.envelope();
            String idempotencyKey = idempotencyKey(stored);
            if (idempotencyKey != null) {
                rememberedKeys.computeIfAbsent(key, k -> new IdempotencyWindow(dedupWindow, dedupMaxKeys))
                        .remember(idempotencyKey, CompletableFuture.completedFuture(stored.position()),
                                message.storedAt());
            }
        }
    }

    /** How long a channel remembers an idempotency key. */
    public Duration dedupWindow() {
        return dedupWindow;
    }

    /**
     * Makes the rooms and channels of the streams a durable store already holds, before traffic
     * starts, so their history can be read and their positions continue even before anyone joins.
     * Channels made this way are owned by the server ({@code created_by} {@code arqonbus}).
     */
    public void restore(Collection<ChannelKey> streams) {
        for (ChannelKey key : List.copyOf(streams)) {
            if (key.channel() == null) {
                roomFor(key.room());
            } else {
                create(key, Replies.SERVER_SENDER, "dynamic", false);
            }
        }
    }

    /** Outcome of {@link #delete}. */
    public enum DeleteOutcome { DELETED, NOT_FOUND, NOT_EMPTY }

    /** Deletes an empty channel and its history. */
    public DeleteOutcome delete(ChannelKey key) {
        Room room = rooms.get(key.room());
        BusChannel channel = room == null ? null : room.channel(key.channel());
        if (channel == null) {
            return DeleteOutcome.NOT_FOUND;
        }
        synchronized (channel) {
            if (channel.memberCount() > 0) {
                return DeleteOutcome.NOT_EMPTY;
            }
            channel.markDeleted();
            room.channelMap().remove(key.channel(), channel);
        }
        history.delete(key).whenComplete((v, e) -> {
            if (e != null) {
                log.warn("event=history_delete_failed code=STORAGE_UNAVAILABLE stream={} msg=\"{}\"", key,
                        e.getMessage());
            }
        });
        return DeleteOutcome.DELETED;
    }

    private String newEpoch() {
        return ids.nextToken("", 8);
    }

    // ---- membership -----------------------------------------------------------------------

    /** Joins the session to the channel, creating it if needed. Call on the session's loop. */
    public JoinResult join(Session session, ChannelKey key) {
        return join(session, key, null, 0);
    }

    /**
     * Joins the session to the channel, creating it if needed, and starts a recovery from
     * {@code recover} when one is possible: same epoch, and between 1 and {@code maxRecovery}
     * publications missed. While a recovery runs, the channel's live frames for this session are
     * held back (see {@link Session#hold}) until the caller ends it. Call on the session's loop.
     *
     * @param recover the last position the client saw, or {@code null}
     */
    public JoinResult join(Session session, ChannelKey key, StreamPosition recover, int maxRecovery) {
        while (true) {
            JoinResult made = create(key, session.clientId(), "dynamic", false);
            BusChannel channel = made.channel();
            synchronized (channel) {
                if (channel.isDeleted()) {
                    continue;
                }
                boolean joined = channel.addMember(session, clock.instant());
                if (joined) {
                    session.memberships().add(key);
                }
                StreamPosition now = channel.releasedPosition();
                boolean recovering = false;
                if (recover != null && recover.epoch().equals(now.epoch())) {
                    long missed = now.offset() - recover.offset();
                    recovering = missed > 0 && missed <= maxRecovery;
                    if (recovering) {
                        session.startRecovery(key, now.offset());
                    }
                }
                return new JoinResult(channel, made.created(), joined, now, recovering);
            }
        }
    }

    /** Removes the session from the channel; returns the channel, or {@code null} if it was not a member. */
    public BusChannel leave(Session session, ChannelKey key) {
        BusChannel channel = channel(key);
        if (channel == null) {
            session.memberships().remove(key);
            return null;
        }
        boolean left;
        synchronized (channel) {
            left = channel.removeMember(session);
        }
        session.memberships().remove(key);
        return left ? channel : null;
    }

    // ---- delivery -------------------------------------------------------------------------

    /**
     * Publishes to the envelope's {@code room:channel}: stamps sender and position, stores, and
     * delivers to every member but the sender once the store took it, in offset order. Creates the
     * channel if needed.
     *
     * <p>A publication with {@code "ack":"durable"} is delivered only when the store confirmed it,
     * and refused at once while the store is down; any other publication is delivered even when the
     * store failed (the failure is counted). A publication repeating an idempotency key seen in the
     * channel within the dedup window is neither stored nor delivered again.
     */
    public Publication publish(Session sender, Envelope envelope) {
        ChannelKey key = ChannelKey.of(envelope.room(), envelope.channel());
        String senderId = sender == null ? envelope.sender() : sender.clientId();
        boolean mustStore = Envelope.DURABLE_ACK.equals(envelope.ack());
        if (mustStore && !history.health().available()) {
            return new Publication(envelope.withSender(senderId), CompletableFuture.failedFuture(
                    new StoreUnavailableException(history.health().detail())), false);
        }
        String idempotencyKey = idempotencyKey(envelope);
        while (true) {
            BusChannel channel = create(key, sender == null ? Replies.SERVER_SENDER : sender.clientId(), "dynamic", false)
                    .channel();
            synchronized (channel) {
                if (channel.isDeleted()) {
                    continue;
                }
                Instant now = clock.instant();
                IdempotencyWindow seen = null;
                if (idempotencyKey != null) {
                    seen = channel.idempotency(dedupWindow, dedupMaxKeys);
                    CompletableFuture<StreamPosition> first = seen.find(idempotencyKey, now);
                    if (first != null) {
                        metrics.duplicatePublication();
                        return new Publication(envelope.withSender(senderId), first, true);
                    }
                }
                StreamPosition position = new StreamPosition(channel.nextOffset(), channel.epoch());
                Envelope stamped = envelope.toBuilder().sender(senderId).position(position).build();
                ByteBuf frame = encoder.encode(stamped);
                CompletableFuture<Void> appended = append(key, position, frame, now);
                publications.incrementAndGet();
                CompletableFuture<StreamPosition> stored = appended.thenApply(v -> position);
                if (seen != null) {
                    remember(channel, seen, idempotencyKey, stored, now);
                }
                if (appended.isDone() && channel.pending().isEmpty()) {
                    // The usual case with the in-memory store: nothing waits ahead of it.
                    release(channel, stamped, frame, appended, mustStore, sender);
                } else {
                    channel.pending().addLast(new PendingPublication(stamped, frame, appended, mustStore, sender));
                    appended.whenComplete((v, e) -> release(channel));
                }
                return new Publication(stamped, stored, false);
            }
        }
    }

    private static String idempotencyKey(Envelope envelope) {
        JsonNode key = envelope.metadata().get(Envelope.IDEMPOTENCY_KEY);
        return key != null && key.isTextual() ? key.asText() : null;
    }

    /** Remembers a key; a key whose publication the store refused is forgotten, so a retry counts. */
    private static void remember(BusChannel channel, IdempotencyWindow seen, String key,
            CompletableFuture<StreamPosition> stored, Instant now) {
        seen.remember(key, stored, now);
        stored.whenComplete((position, error) -> {
            if (error != null) {
                synchronized (channel) {
                    seen.forget(key, stored);
                }
            }
        });
    }

    private CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf frame, Instant now) {
        try {
            return history.append(key, position, FrameEncoder.jsonOf(frame), now);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Releases the channel's publications whose appends completed, in offset order, stopping at the
     * first still waiting: each is fanned out, or dropped when it needed the store and the store
     * failed.
     */
    private void release(BusChannel channel) {
        synchronized (channel) {
            PendingPublication next;
            while ((next = channel.pending().peekFirst()) != null && next.stored().isDone()) {
                channel.pending().pollFirst();
                release(channel, next.envelope(), next.frame(), next.stored(), next.mustStore(), next.exclude());
            }
        }
    }

    /**
     * Releases one publication whose append completed: fans it out, or drops it when it needed the
     * store and the store failed. Call holding the channel's monitor, in offset order.
     */
    private void release(BusChannel channel, Envelope stamped, ByteBuf frame, CompletableFuture<Void> stored,
            boolean mustStore, Session exclude) {
        long offset = stamped.position().offset();
        boolean failed = stored.isCompletedExceptionally();
        if (failed) {
            metrics.storeAppendFailed();
        }
        if (failed && mustStore || channel.isDeleted()) {
            frame.release();
        } else {
            fanOut(channel, frame, exclude, offset, stamped);
            if (!listeners.isEmpty()) {
                notifyListeners(stamped, exclude);
            }
        }
        channel.released(offset);
    }

    /**
     * Delivers to the channel's members but {@code exclude}, without storing (system notices).
     * Does nothing when the channel does not exist.
     */
    public void send(ChannelKey key, Envelope envelope, Session exclude) {
        BusChannel channel = channel(key);
        if (channel == null) {
            return;
        }
        ByteBuf frame = encoder.encode(envelope);
        synchronized (channel) {
            fanOut(channel, frame, exclude, 0, null);
        }
    }

    /**
     * Hands the frame once to each loop with members — and, for a publication ({@code delivered}
     * not {@code null}) while some connection has a filter, to each loop with filtered receivers;
     * takes ownership of {@code frame}.
     */
    private void fanOut(BusChannel channel, ByteBuf frame, Session exclude, long offset, Envelope delivered) {
        FilteredReceivers filters = filtered;
        if (delivered != null && filters != null && filters.any()) {
            fanOutWithFilters(channel, frame, exclude, offset, delivered, filters);
            return;
        }
        try {
            for (int loop : channel.activeLoops()) {
                frame.retain();
                loops.get(loop).enqueue(
                        Deliveries.toChannel(frame, channel.key(), offset, channel.local(loop), exclude, metrics));
            }
        } finally {
            frame.release();
        }
    }

    private void fanOutWithFilters(BusChannel channel, ByteBuf frame, Session exclude, long offset,
            Envelope delivered, FilteredReceivers filters) {
        long stamp = stamps.incrementAndGet();
        int[] active = channel.activeLoops();
        try {
            for (int loop = 0; loop < loops.size(); loop++) {
                if (!contains(active, loop) && !filters.onLoop(loop)) {
                    continue;
                }
                frame.retain();
                loops.get(loop).enqueue(Deliveries.toChannelAndFilters(frame, channel, offset, loop, exclude, stamp,
                        delivered, filters, metrics));
            }
        } finally {
            frame.release();
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * Broadcasts to every member of any channel of the room, each once, except the sender, and
     * stores the message in the room's own stream (positions of room streams stay internal).
     *
     * @return the envelope as delivered
     */
    public Envelope broadcastToRoom(Session sender, Envelope envelope) {
        Room room = roomFor(envelope.room());
        Envelope stamped = envelope.withSender(sender == null ? envelope.sender() : sender.clientId());
        ByteBuf frame = encoder.encode(stamped);
        CompletableFuture<Void> appended;
        synchronized (room) {
            appended = append(room.streamKey(), room.nextPosition(), frame, clock.instant());
        }
        appended.whenComplete((v, e) -> {
            if (e != null) {
                metrics.storeAppendFailed();
            }
        });
        publications.incrementAndGet();
        long stamp = stamps.incrementAndGet();
        Collection<BusChannel> channels = List.copyOf(room.channels());
        FilteredReceivers filters = filtered;
        if (filters != null && !filters.any()) {
            filters = null;
        }
        try {
            for (int i = 0; i < loops.size(); i++) {
                frame.retain();
                loops.get(i).enqueue(Deliveries.toRoom(frame, channels, i, stamp, sender, stamped, filters, metrics));
            }
        } finally {
            frame.release();
        }
        if (!listeners.isEmpty()) {
            notifyListeners(stamped, sender);
        }
        return stamped;
    }

    /** Sends one envelope to one session, on that session's loop. */
    public void sendTo(Session target, Envelope envelope) {
        ByteBuf frame = encoder.encode(envelope);
        target.loop().enqueue(Deliveries.toSession(frame, target, metrics));
    }

    /**
     * Ends a recovery on the session's loop: writes the recovered publications (JSON exactly as
     * stored, in order), then the live frames held back meanwhile, then lets live frames through.
     * When more arrived than could be held, the connection is closed as a slow consumer (4001)
     * rather than leave a silent gap. Call on the session's loop, after the join reply was written.
     */
    public void finishRecovery(Session session, ChannelKey key, List<byte[]> recovered) {
        for (byte[] json : recovered) {
            Deliveries.toSession(encoder.encode(json), session, metrics).run();
        }
        List<ByteBuf> held = session.endRecovery(key);
        if (held == null) {
            log.warn("event=recovery_overflow code=SLOW_CONSUMER client={} stream={} msg=\"More live messages "
                    + "arrived during the recovery than can be held; closing\"", session.clientId(), key);
            session.outbound().closeAsSlowConsumer();
            return;
        }
        for (ByteBuf frame : held) {
            Deliveries.toSession(frame, session, metrics).run();
        }
    }

    /** Sends one envelope to several sessions, encoded once. */
    public void sendTo(Collection<Session> targets, Envelope envelope) {
        ByteBuf frame = encoder.encode(envelope);
        try {
            for (Session target : targets) {
                target.loop().enqueue(Deliveries.toSession(FrameEncoder.share(frame), target, metrics));
            }
        } finally {
            frame.release();
        }
    }

    /** Publications accepted since start (channel and room). */
    public long publicationCount() {
        return publications.get();
    }
}
