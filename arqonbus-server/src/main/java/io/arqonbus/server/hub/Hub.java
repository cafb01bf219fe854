package io.arqonbus.server.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.history.HistoryStore;
import io.arqonbus.server.metrics.BusMetrics;
import io.arqonbus.server.session.LoopContexts;
import io.arqonbus.server.session.Session;
import io.arqonbus.server.transport.FrameEncoder;
import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Rooms, channels, memberships and fan-out.
 *
 * <p>A publication is stamped with its channel's next offset, stored, encoded once into a
 * complete WebSocket frame, and handed once to every event loop that serves members of the
 * channel; that loop writes a {@code retainedDuplicate()} to each of its local members. Offset,
 * store and hand-off happen under the channel's monitor so every loop sees a channel's
 * publications in offset order. Joins and leaves run on the member's own loop.
 */
public final class Hub {
    /** The sender name the server stamps on its own frames. */
    public static final String SERVER_SENDER = "arqonbus";

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final LoopContexts loops;
    private final HistoryStore history;
    private final FrameEncoder encoder;
    private final BusMetrics metrics;
    private final IdGenerator ids;
    private final Clock clock;
    private final AtomicLong stamps = new AtomicLong();
    private final AtomicLong publications = new AtomicLong();

    public Hub(LoopContexts loops, HistoryStore history, FrameEncoder encoder, BusMetrics metrics, IdGenerator ids,
            Clock clock) {
        this.loops = loops;
        this.history = history;
        this.encoder = encoder;
        this.metrics = metrics;
        this.ids = ids;
        this.clock = clock;
    }

    // ---- channels -------------------------------------------------------------------------

    /** The channel, or {@code null} when it does not exist. */
    public BusChannel channel(ChannelKey key) {
        Room room = rooms.get(key.room());
        return room == null || key.channel() == null ? null : room.channel(key.channel());
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
     * Creates a channel if it does not exist.
     *
     * @return the channel and whether this call created it
     */
    public JoinResult create(ChannelKey key, String createdBy, String type, boolean hardcoded) {
        Room room = rooms.computeIfAbsent(key.room(), Room::new);
        boolean[] created = {false};
        BusChannel channel = room.channelMap().computeIfAbsent(key.channel(), name -> {
            created[0] = true;
            return new BusChannel(key, clock.instant(), createdBy, type, hardcoded, newEpoch(), loops.size());
        });
        return new JoinResult(channel, created[0], false);
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
        history.delete(key);
        return DeleteOutcome.DELETED;
    }

    private String newEpoch() {
        return ids.nextToken("", 8);
    }

    // ---- membership -----------------------------------------------------------------------

    /** Joins the session to the channel, creating it if needed. Call on the session's loop. */
    public JoinResult join(Session session, ChannelKey key) {
        while (true) {
            JoinResult created = create(key, session.clientId(), "dynamic", false);
            BusChannel channel = created.channel();
            synchronized (channel) {
                if (channel.isDeleted()) {
                    continue;
                }
                boolean joined = channel.addMember(session);
                if (joined) {
                    session.memberships().add(key);
                }
                return new JoinResult(channel, created.created(), joined);
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
     * delivers to every member but the sender. Creates the channel if needed.
     *
     * @return the envelope as delivered
     */
    public Envelope publish(Session sender, Envelope envelope) {
        ChannelKey key = ChannelKey.of(envelope.room(), envelope.channel());
        while (true) {
            BusChannel channel = create(key, sender == null ? SERVER_SENDER : sender.clientId(), "dynamic", false)
                    .channel();
            synchronized (channel) {
                if (channel.isDeleted()) {
                    continue;
                }
                Envelope stamped = envelope.toBuilder()
                        .sender(sender == null ? envelope.sender() : sender.clientId())
                        .position(new StreamPosition(channel.nextOffset(), channel.epoch()))
                        .build();
                ByteBuf frame = encodeAndStore(key, stamped);
                fanOut(channel, frame, sender);
                return stamped;
            }
        }
    }

    /**
     * Encodes a publication once into its frame and appends the frame's JSON to the stream's
     * history; the caller owns the returned frame.
     */
    private ByteBuf encodeAndStore(ChannelKey stream, Envelope stamped) {
        ByteBuf frame = encoder.encode(stamped);
        try {
            history.append(stream, FrameEncoder.jsonOf(frame), clock.instant());
        } catch (RuntimeException e) {
            frame.release();
            throw e;
        }
        publications.incrementAndGet();
        return frame;
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
            fanOut(channel, frame, exclude);
        }
    }

    private void fanOut(BusChannel channel, ByteBuf frame, Session exclude) {
        try {
            for (int loop : channel.activeLoops()) {
                frame.retain();
                loops.get(loop).enqueue(
                        Deliveries.toChannel(frame, channel.local(loop), exclude, metrics));
            }
        } finally {
            frame.release();
        }
    }

    /**
     * Broadcasts to every member of any channel of the room, each once, except the sender, and
     * stores the message in the room's own stream.
     *
     * @return the envelope as delivered
     */
    public Envelope broadcastToRoom(Session sender, Envelope envelope) {
        Room room = rooms.computeIfAbsent(envelope.room(), Room::new);
        Envelope stamped = envelope.withSender(sender == null ? envelope.sender() : sender.clientId());
        ByteBuf frame = encodeAndStore(ChannelKey.roomWide(envelope.room()), stamped);
        long stamp = stamps.incrementAndGet();
        Collection<BusChannel> channels = List.copyOf(room.channels());
        try {
            for (int i = 0; i < loops.size(); i++) {
                frame.retain();
                loops.get(i).enqueue(Deliveries.toRoom(frame, channels, i, stamp, sender, metrics));
            }
        } finally {
            frame.release();
        }
        return stamped;
    }

    /** Sends one envelope to one session, on that session's loop. */
    public void sendTo(Session target, Envelope envelope) {
        ByteBuf frame = encoder.encode(envelope);
        target.loop().enqueue(Deliveries.toSession(frame, target, metrics));
    }

    /** Sends one envelope to several sessions, encoded once. */
    public void sendTo(Collection<Session> targets, Envelope envelope) {
        ByteBuf frame = encoder.encode(envelope);
        try {
            for (Session target : targets) {
                target.loop().enqueue(Deliveries.toSession(frame.retainedDuplicate(), target, metrics));
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
