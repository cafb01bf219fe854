package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;

import io.arqonbus.server.internal.session.Session;
import io.arqonbus.protocol.StreamPosition;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code room:channel}: its metadata, its members, and its stream position.
 *
 * <p>Members are kept twice: a concurrent set for the registry ({@code channel_info}, counts)
 * and one {@link LocalMembers} per event loop for fan-out. {@code activeLoops} lists the loops
 * that have members; a publication is handed to each of them once. Offsets, the active-loop
 * set and membership changes are guarded by this object's monitor; fan-out reads are lock-free.
 *
 * <p>A publication whose store has not confirmed it yet waits in {@code pending}; publications are
 * released to members strictly in offset order, each once its append completed.
 */
public final class BusChannel {
    private static final int[] NO_LOOPS = new int[0];

    private final ChannelKey key;
    private final Instant createdAt;
    private final String createdBy;
    private final String type;
    private final boolean hardcoded;
    private final String epoch;
    private final ArrayDeque<PendingPublication> pending = new ArrayDeque<>();
    private IdempotencyWindow idempotency;
    private final ConcurrentHashMap<Session, Instant> members = new ConcurrentHashMap<>();
    private volatile Set<String> admitted;
    private final LocalMembers[] byLoop;
    private volatile int[] activeLoops = NO_LOOPS;
    private long lastOffset;
    private long releasedOffset;
    private boolean deleted;

    BusChannel(ChannelKey key, Instant createdAt, String createdBy, String type, boolean hardcoded,
            StreamPosition head, int loops) {
        this.key = key;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.type = type;
        this.hardcoded = hardcoded;
        this.epoch = head.epoch();
        this.lastOffset = head.offset();
        this.releasedOffset = head.offset();
        this.byLoop = new LocalMembers[loops];
        for (int i = 0; i < loops; i++) {
            byLoop[i] = new LocalMembers();
        }
    }

    public ChannelKey key() { return key; }
    public Instant createdAt() { return createdAt; }
    public String createdBy() { return createdBy; }
    public String type() { return type; }
    public boolean hardcoded() { return hardcoded; }
    public String epoch() { return epoch; }

    /** The members now (a snapshot). */
    public List<Session> members() {
        return List.copyOf(members.keySet());
    }

    /** When the session joined, or {@code null} when it is not a member. */
    public Instant joinedAt(Session session) {
        return members.get(session);
    }

    /** Whether only listed clients may join (a private channel). */
    public boolean isPrivate() {
        return admitted != null;
    }

    /** The client ids and token subjects a private channel admits, sorted; empty for a public channel. */
    public Set<String> admitted() {
        Set<String> list = admitted;
        return list == null ? Set.of() : list;
    }

    /** Whether the client (by its id or its token's subject) may join: always for a public channel. */
    public boolean admits(String clientId, String subject) {
        Set<String> list = admitted;
        return list == null || list.contains(clientId) || subject != null && list.contains(subject);
    }

    /** Whether the session may join: always for a public channel. */
    public boolean admits(Session session) {
        return admitted == null || admits(session.clientId(), session.principal().subject());
    }

    /** Makes the channel private to these client ids or subjects; call before the channel is shared. */
    void admitOnly(Set<String> clients) {
        admitted = java.util.Collections.unmodifiableSet(new TreeSet<>(clients));
    }

    /** How many members there are. */
    public int memberCount() {
        return members.size();
    }

    /** Whether the session is a member. */
    public boolean hasMember(Session session) {
        return members.containsKey(session);
    }

    /** The offset of the latest publication, 0 before the first. */
    public synchronized long lastOffset() {
        return lastOffset;
    }

    /**
     * The position of the latest publication released to members (stored, or refused by a store
     * but not needing it): what a joining member sees next is after it.
     */
    public synchronized StreamPosition releasedPosition() {
        return new StreamPosition(releasedOffset, epoch);
    }

    long nextOffset() {
        return ++lastOffset;
    }

    void released(long offset) {
        releasedOffset = offset;
    }

    /** Publications waiting for their store, in offset order; guarded by this monitor. */
    ArrayDeque<PendingPublication> pending() {
        return pending;
    }

    /** The channel's idempotency keys, made on first use; guarded by this monitor. */
    IdempotencyWindow idempotency(java.time.Duration window, int maxKeys) {
        if (idempotency == null) {
            idempotency = new IdempotencyWindow(window, maxKeys);
        }
        return idempotency;
    }

    /** Starts with keys remembered from the store (a restart); call before the channel is shared. */
    void idempotency(IdempotencyWindow remembered) {
        idempotency = remembered;
    }

    boolean isDeleted() {
        return deleted;
    }

    void markDeleted() {
        deleted = true;
    }

    int[] activeLoops() {
        return activeLoops;
    }

    LocalMembers local(int loopIndex) {
        return byLoop[loopIndex];
    }

    /** Adds a member, joined at {@code now}; call on the session's loop, holding this monitor. */
    boolean addMember(Session session, Instant now) {
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

    /** Removes a member; call on the session's loop, holding this monitor. */
    boolean removeMember(Session session) {
        if (members.remove(session) == null) {
            return false;
        }
        int loop = session.loop().index();
        if (byLoop[loop].remove(session) == 0) {
            activeLoops = Arrays.stream(activeLoops).filter(i -> i != loop).toArray();
        }
        return true;
    }
}
