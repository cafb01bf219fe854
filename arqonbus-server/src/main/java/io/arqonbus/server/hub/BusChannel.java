package io.arqonbus.server.hub;

import io.arqonbus.server.session.Session;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One {@code room:channel}: its metadata, its members, and its stream position.
 *
 * <p>Members are kept twice: a concurrent set for the registry ({@code channel_info}, counts)
 * and one {@link LocalMembers} per event loop for fan-out. {@code activeLoops} lists the loops
 * that have members; a publication is handed to each of them once. Offsets, the active-loop
 * set and membership changes are guarded by this object's monitor; fan-out reads are lock-free.
 */
public final class BusChannel {
    private static final int[] NO_LOOPS = new int[0];

    private final ChannelKey key;
    private final Instant createdAt;
    private final String createdBy;
    private final String type;
    private final boolean hardcoded;
    private final String epoch;
    private final Set<Session> members = ConcurrentHashMap.newKeySet();
    private final LocalMembers[] byLoop;
    private volatile int[] activeLoops = NO_LOOPS;
    private long lastOffset;
    private boolean deleted;

    BusChannel(ChannelKey key, Instant createdAt, String createdBy, String type, boolean hardcoded, String epoch,
            int loops) {
        this.key = key;
        this.createdAt = createdAt;
        this.createdBy = createdBy;
        this.type = type;
        this.hardcoded = hardcoded;
        this.epoch = epoch;
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
        return List.copyOf(members);
    }

    /** How many members there are. */
    public int memberCount() {
        return members.size();
    }

    /** Whether the session is a member. */
    public boolean hasMember(Session session) {
        return members.contains(session);
    }

    /** The offset of the latest publication, 0 before the first. */
    public synchronized long lastOffset() {
        return lastOffset;
    }

    long nextOffset() {
        return ++lastOffset;
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

    /** Adds a member; call on the session's loop, holding this monitor. */
    boolean addMember(Session session) {
        if (!members.add(session)) {
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
        if (!members.remove(session)) {
            return false;
        }
        int loop = session.loop().index();
        if (byLoop[loop].remove(session) == 0) {
            activeLoops = Arrays.stream(activeLoops).filter(i -> i != loop).toArray();
        }
        return true;
    }
}
