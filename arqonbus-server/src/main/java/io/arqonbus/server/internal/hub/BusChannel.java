package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceScope;
import io.arqonbus.server.internal.tracing.TraceSpan;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code room:channel}: its metadata, its members, and the sequencing of its stream.
 *
 * <p>A publication is stamped with the channel's next offset, encoded once, checked against the
 * idempotency window and appended to the store; once the append completed it is released to the
 * {@link Broker}, strictly in offset order (a publication whose store has not confirmed it yet
 * waits in {@code pending}, and so does every later one). Offsets, the idempotency window, the
 * pending queue, the active-loop set and membership changes are guarded by a lock only this class
 * holds; the fan-out reads ({@link #activeLoops}, {@link #local}) are lock-free.
 *
 * <p>Members are kept twice: a concurrent map for the registry (counts, {@link #info}) and one
 * {@link LocalMembers} per event loop for fan-out. {@code activeLoops} lists the loops that have
 * members; a publication is handed to each of them once.
 *
 * <p>Over 400 lines: a channel's sequencing, idempotency window, store-ordered release and the
 * cluster path share one lock and one state; they are kept together so the ordering argument
 * can be read in one place.
 */
final class BusChannel implements ChannelView {
    private static final int[] NO_LOOPS = new int[0];

    private final Object lock = new Object();
    private final ChannelKey key;
    private final Instant createdAt;
    private final String createdBy;
    private final String type;
    private final boolean hardcoded;
    /** The stream's epoch: final on one node; in a cluster, the shared stream's once a delivery or its head told it. */
    private String epoch;
    /** In a cluster: whether {@code epoch} came from the shared store (else it is this node's proposal). */
    private boolean epochShared;
    private final ChannelSupport support;
    private final ConcurrentHashMap<Session, Instant> members = new ConcurrentHashMap<>();
    private final LocalMembers[] byLoop;
    private final ArrayDeque<PendingPublication> pending = new ArrayDeque<>();
    /**
     * Completes once the channel knows its stream's position: at once on one node; in a cluster,
     * once the broker told it since this node last subscribed the stream.
     */
    private volatile CompletableFuture<Void> synced = new CompletableFuture<>();
    private volatile Set<String> admitted;
    /** The slow-consumer policy chosen for the channel (a cluster's control plane may set it again later). */
    private volatile ChannelSlowConsumerPolicy slowConsumer = ChannelSlowConsumerPolicy.DISCONNECT;
    /** The backlog of a {@code drop-oldest}/{@code conflate} channel's members; {@code null} for {@code disconnect}. */
    private volatile ChannelBacklogPolicy backlog;
    private volatile int[] activeLoops = NO_LOOPS;
    private IdempotencyWindow idempotency;
    private long lastOffset;
    private long releasedOffset;
    private boolean deleted;
    /** When the channel last had a publication or lost its last member (or was made). */
    private volatile Instant lastActivity;

    BusChannel(ChannelKey key, Instant createdAt, String createdBy, String type, boolean hardcoded,
            StreamPosition head, int loops, ChannelSupport support) {
        this.key = key;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.type = type;
        this.hardcoded = hardcoded;
        this.epoch = head.epoch();
        this.epochShared = head.offset() > 0;
        this.lastOffset = head.offset();
        this.releasedOffset = head.offset();
        this.support = support;
        this.lastActivity = createdAt;
        if (!support.broker().sequences()) {
            synced.complete(null);
        }
        this.byLoop = new LocalMembers[loops];
        for (int i = 0; i < loops; i++) {
            byLoop[i] = new LocalMembers();
        }
    }

    @Override
    public ChannelKey key() {
        return key;
    }

    /** Makes the channel private to these client ids or subjects; call before the channel is shared. */
    void admitOnly(Set<String> clients) {
        admitted = Collections.unmodifiableSet(new TreeSet<>(clients));
    }

    /** Sets the slow-consumer policy and, unless {@code disconnect}, its backlog; later publications use it. */
    void slowConsumer(ChannelSlowConsumerPolicy policy, ChannelBacklogPolicy backlogPolicy) {
        slowConsumer = policy;
        backlog = backlogPolicy;
    }

    ChannelSlowConsumerPolicy slowConsumer() {
        return slowConsumer;
    }

    /** The backlog policy of its members, or {@code null} ({@code disconnect}): read once per publication. */
    ChannelBacklogPolicy backlog() {
        return backlog;
    }

    /** The stream's current epoch. */
    String epoch() {
        synchronized (lock) {
            return epoch;
        }
    }

    /** Starts with keys remembered from the store (a restart); call before the channel is shared. */
    void idempotency(IdempotencyWindow remembered) {
        idempotency = remembered;
    }

    /** Whether the client (by its id or its token's subject) may join: always for a public channel. */
    boolean admits(String clientId, String subject) {
        Set<String> list = admitted;
        return list == null || list.contains(clientId) || subject != null && list.contains(subject);
    }

    @Override
    public boolean admits(Session session) {
        return admitted == null || admits(session.clientId(), session.principal().subject());
    }

    boolean isPrivate() {
        return admitted != null;
    }

    int memberCount() {
        return members.size();
    }

    /** Whether the channel has members on this node. */
    boolean hasMembers() {
        return !members.isEmpty();
    }

    /** When the session joined, or {@code null} when it is not a member. */
    Instant joinedAt(Session session) {
        return members.get(session);
    }

    boolean hasMember(Session session) {
        return members.containsKey(session);
    }

    /** A copy of the channel as it is now. */
    ChannelInfo info() {
        List<ChannelInfo.Member> list = new ArrayList<>(members.size());
        for (Map.Entry<Session, Instant> member : members.entrySet()) {
            list.add(new ChannelInfo.Member(member.getKey(), member.getValue()));
        }
        long offset;
        String currentEpoch;
        synchronized (lock) {
            offset = lastOffset;
            currentEpoch = epoch;
        }
        return new ChannelInfo(key, createdAt, createdBy, type, hardcoded, currentEpoch, offset, admitted, list);
    }

    int[] activeLoops() {
        return activeLoops;
    }

    LocalMembers local(int loopIndex) {
        return byLoop[loopIndex];
    }

    // ---- membership -----------------------------------------------------------------------

    /**
     * Adds the session, joined at {@code now}, and starts its recovery from {@code recover} when
     * {@link Recovery#begin} says one is possible, both at the same released position, so the
     * member's first live publication is the one after it. Call on the session's loop.
     *
     * @return {@code null} when the channel was deleted meanwhile (make it again and retry)
     */
    JoinResult join(Session session, Instant now, boolean created, StreamPosition recover, int maxRecovery) {
        synchronized (lock) {
            if (deleted) {
                return null;
            }
            boolean joined = addMember(session, now);
            if (joined) {
                session.memberships().add(key);
            }
            StreamPosition position = new StreamPosition(releasedOffset, epoch);
            boolean recovering = Recovery.begin(session, key, recover, position, maxRecovery);
            return new JoinResult(key, createdAt, admittedOrEmpty(), members.size(), created, joined, position,
                    recovering);
        }
    }

    /** What {@link JoinResult} says of a channel that was only created. */
    JoinResult created(boolean created) {
        return new JoinResult(key, createdAt, admittedOrEmpty(), members.size(), created, false, null, false);
    }

    private Set<String> admittedOrEmpty() {
        Set<String> list = admitted;
        return list == null ? Set.of() : list;
    }

    /** Removes the session; returns how many members are left, or -1 when it was not a member. */
    int leave(Session session) {
        synchronized (lock) {
            if (members.remove(session) == null) {
                return -1;
            }
            int loop = session.loop().index();
            if (byLoop[loop].remove(session) == 0) {
                activeLoops = Arrays.stream(activeLoops).filter(i -> i != loop).toArray();
            }
            if (members.isEmpty()) {
                lastActivity = support.clock().instant();
            }
            return members.size();
        }
    }

    private boolean addMember(Session session, Instant now) {
        if (members.putIfAbsent(session, now) != null) {
            return false;
        }
        int loop = session.loop().index();
        if (byLoop[loop].add(session) == 1) {
            int[] next = Arrays.copyOf(activeLoops, activeLoops.length + 1);
            next[activeLoops.length] = loop;
            activeLoops = next;
        }
        return true;
    }

    /**
     * Marks the channel deleted when it has no members and runs {@code unregister} while no
     * publication or join can pass; returns whether it did.
     */
    boolean deleteIfEmpty(Runnable unregister) {
        synchronized (lock) {
            if (!members.isEmpty()) {
                return false;
            }
            deleted = true;
            unregister.run();
            return true;
        }
    }

    /**
     * Like {@link #deleteIfEmpty}, and only when nothing happened since {@code cutoff} (no
     * publication, no member leaving) and no publication waits for its store.
     *
     * @return the stream head at deletion, or {@code null} when the channel stays
     */
    StreamPosition deleteIfIdle(Instant cutoff, Runnable unregister) {
        synchronized (lock) {
            if (deleted || !members.isEmpty() || !pending.isEmpty() || lastActivity.isAfter(cutoff)) {
                return null;
            }
            deleted = true;
            unregister.run();
            return new StreamPosition(lastOffset, epoch);
        }
    }

    // ---- sequencing -----------------------------------------------------------------------

    /**
     * Sequences one publication: a repeated idempotency key returns the first publication's
     * outcome; otherwise stamps sender and the next position, encodes once, appends, and releases
     * it (now, or once its append and every earlier one completed).
     *
     * @return {@code null} when the channel was deleted meanwhile (make it again and retry)
     */
    Publication publish(Envelope envelope, String senderId, Session sender, boolean mustStore) {
        String idempotencyKey = idempotencyKey(envelope);
        if (support.broker().sequences()) {
            String proposed;
            boolean shared;
            synchronized (lock) {
                if (deleted) {
                    return null;
                }
                lastActivity = support.clock().instant();
                proposed = epoch;
                shared = epochShared;
            }
            return ClusterSequencing.channel(support, this, envelope, senderId, sender, mustStore, idempotencyKey,
                    proposed, shared);
        }
        long received = System.nanoTime();
        TraceSpan sequencing = support.tracing().step(envelope, BusTracing.SEQUENCE);
        synchronized (lock) {
            if (deleted) {
                sequencing.end();
                return null;
            }
            Instant now = support.clock().instant();
            lastActivity = now;
            IdempotencyWindow seen = null;
            if (idempotencyKey != null) {
                seen = idempotency == null ? idempotency = support.newIdempotencyWindow() : idempotency;
                CompletableFuture<StreamPosition> first = seen.find(idempotencyKey, now);
                if (first != null) {
                    sequencing.attribute("arqonbus.duplicate", 1).end();
                    support.metrics().duplicatePublication();
                    return new Publication(envelope.withSender(senderId), first, true);
                }
            }
            StreamPosition position = new StreamPosition(++lastOffset, epoch);
            Envelope stamped = envelope.toBuilder().sender(senderId).position(position).build();
            ByteBuf frame = support.encoder().encode(stamped);
            sequencing.end();
            TraceSpan storing = support.tracing().step(stamped, BusTracing.STORE);
            CompletableFuture<Void> appended;
            try (TraceScope current = storing.makeCurrent()) {
                appended = support.append(key, position, frame, now);
            }
            storing.endWhenDone(appended);
            support.publications().incrementAndGet();
            CompletableFuture<StreamPosition> stored = appended.thenApply(v -> position);
            if (seen != null) {
                remember(seen, idempotencyKey, stored, now);
            }
            if (appended.isDone() && pending.isEmpty()) {
                // The usual case with the in-memory store: nothing waits ahead of it.
                release(stamped, frame, appended, mustStore, sender, received);
            } else {
                pending.addLast(new PendingPublication(stamped, frame, appended, mustStore, sender, received));
                appended.whenComplete((v, e) -> releaseCompleted());
            }
            return new Publication(stamped, stored, false);
        }
    }

    static String idempotencyKey(Envelope envelope) {
        JsonNode key = envelope.metadata().get(Envelope.IDEMPOTENCY_KEY);
        return key != null && key.isTextual() ? key.asText() : null;
    }

    /** Remembers a key; a key whose publication the store refused is forgotten, so a retry counts. */
    private void remember(IdempotencyWindow seen, String idempotencyKey, CompletableFuture<StreamPosition> stored,
            Instant now) {
        seen.remember(idempotencyKey, stored, now);
        stored.whenComplete((position, error) -> {
            if (error != null) {
                synchronized (lock) {
                    seen.forget(idempotencyKey, stored);
                }
            }
        });
    }

    /** Releases the waiting publications whose appends completed, in offset order, up to the first still waiting. */
    private void releaseCompleted() {
        synchronized (lock) {
            PendingPublication next;
            while ((next = pending.peekFirst()) != null && next.stored().isDone()) {
                pending.pollFirst();
                release(next.envelope(), next.frame(), next.stored(), next.mustStore(), next.exclude(), next.received());
            }
        }
    }

    /**
     * Releases one publication whose append completed to the broker, or drops it when it needed
     * the store and the store failed, or the channel is gone. Holding the lock, in offset order.
     */
    private void release(Envelope stamped, ByteBuf frame, CompletableFuture<Void> stored, boolean mustStore,
            Session exclude, long received) {
        StreamPosition position = stamped.position();
        boolean failed = stored.isCompletedExceptionally();
        if (failed) {
            support.metrics().storeAppendFailed();
        }
        if (failed && mustStore || deleted) {
            frame.release();
        } else {
            support.broker().publish(key, position, new SequencedPublication(stamped, frame, exclude));
            support.metrics().fannedOut(System.nanoTime() - received);
        }
        releasedOffset = position.offset();
    }

    /**
     * In a cluster: a publication the broker delivers (or the head it learnt) moves the channel's
     * position, and {@code fanOut} runs while no join can pass, so a member joining at a position
     * gets live exactly the publications after it. Offset 0 (delivered unsequenced while the
     * shared store was down) moves nothing.
     */
    void released(StreamPosition position, Runnable fanOut) {
        try {
            advance(position, fanOut);
        } finally {
            if (fanOut == null || position.offset() > 0) {
                synced.complete(null);
            }
        }
    }

    /**
     * In a cluster, a publication this node accepted while not subscribed to the stream: only the
     * last offset {@link #info} shows moves (joins wait for the head of a new subscription).
     */
    void accepted(StreamPosition position) {
        synchronized (lock) {
            if (!position.epoch().equals(epoch)) {
                if (epochShared) {
                    return; // a head or a delivery will tell the stream's new epoch
                }
                epoch = position.epoch();
                epochShared = true;
                lastOffset = position.offset();
            } else if (position.offset() > lastOffset) {
                lastOffset = position.offset();
            }
        }
    }

    /** Completes once the channel knows its stream's position (see {@link #released}). */
    CompletableFuture<Void> synced() {
        return synced;
    }

    /**
     * In a cluster, the stream is subscribed again after a pause: the channel learns its position
     * anew (the head the broker reads, which it adopts: what was published meanwhile is history).
     */
    void resync() {
        synchronized (lock) {
            if (synced.isDone()) {
                synced = new CompletableFuture<>();
            }
        }
    }

    private void advance(StreamPosition position, Runnable fanOut) {
        synchronized (lock) {
            if (position.offset() > 0) {
                epochShared = true;
                if (!position.epoch().equals(epoch)) {
                    epoch = position.epoch();
                    lastOffset = position.offset();
                    releasedOffset = position.offset();
                } else if (position.offset() > releasedOffset) {
                    lastOffset = position.offset();
                    releasedOffset = position.offset();
                }
            }
            if (fanOut != null) {
                fanOut.run();
            }
        }
    }

    /**
     * Hands a notice (not stored, no position) to the channel's members but {@code exclude}, in
     * order with the channel's publications; takes ownership of {@code frame}.
     */
    void notice(ByteBuf frame, Session exclude, FanOut fanOut) {
        synchronized (lock) {
            fanOut.toChannel(this, frame, exclude, 0, null);
        }
    }
}
