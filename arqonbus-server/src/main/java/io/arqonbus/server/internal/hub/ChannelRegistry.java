package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rooms and channels of one node: create, look up, delete and list them, with the room index
 * (a room's channels by name). A new channel or room continues the stream position the store
 * already holds for it, and subscribes its stream at the {@link Broker}; a deleted channel
 * unsubscribes it.
 */
final class ChannelRegistry {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Every channel by its key: one lookup on the publish path (the rooms hold them by name too). */
    private final ConcurrentHashMap<ChannelKey, BusChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ChannelKey, StreamPosition> heads;
    private final ConcurrentHashMap<ChannelKey, IdempotencyWindow> rememberedKeys = new ConcurrentHashMap<>();
    private final ChannelSupport support;
    private final LocalDelivery delivery;
    private final IdGenerator ids;
    private final int loops;
    /** Set once a private channel was made: until then no publication needs the private check. */
    private volatile boolean anyPrivate;

    /**
     * @param heads the positions of the streams the store already holds
     * @param delivery gives each channel's and room's stream its handler at the broker
     * @param loops    how many event loops serve members
     */
    ChannelRegistry(Map<ChannelKey, StreamPosition> heads, ChannelSupport support, LocalDelivery delivery,
            IdGenerator ids, int loops) {
        this.heads = new ConcurrentHashMap<>(heads);
        this.support = support;
        this.delivery = delivery;
        this.ids = ids;
        this.loops = loops;
    }

    /** The channel, or {@code null} when it does not exist. */
    BusChannel channel(ChannelKey key) {
        return channels.get(key);
    }

    /** The room, or {@code null}. */
    Room room(String name) {
        return rooms.get(name);
    }

    /** Whether the channel admits the session: a single volatile read until a private channel exists. */
    boolean admits(Session session, ChannelKey key) {
        if (!anyPrivate) {
            return true;
        }
        BusChannel channel = channel(key);
        return channel == null || channel.admits(session);
    }

    /** The channel and whether {@link #create} made it. */
    record Created(BusChannel channel, boolean created) {
    }

    /**
     * The channel, made when missing: private to {@code admitted} when that is not {@code null},
     * with the idempotency keys remembered from the store.
     */
    Created create(ChannelKey key, String createdBy, String type, boolean hardcoded, Set<String> admitted) {
        BusChannel existing = channels.get(key);
        if (existing != null) {
            return new Created(existing, false);
        }
        Room room = roomFor(key.room());
        boolean[] created = {false};
        BusChannel channel = room.channelMap().computeIfAbsent(key.channel(), name -> {
            created[0] = true;
            BusChannel made = new BusChannel(key, support.clock().instant(), createdBy, type, hardcoded,
                    startPosition(key), loops, support);
            IdempotencyWindow remembered = rememberedKeys.remove(key);
            if (remembered != null) {
                made.idempotency(remembered);
            }
            if (admitted != null) {
                made.admitOnly(admitted);
                anyPrivate = true;
            }
            support.broker().subscribe(key, delivery.of(made));
            channels.put(key, made);
            return made;
        });
        return new Created(channel, created[0]);
    }

    /** The room, made when missing (its room-wide stream continuing a stored one). */
    Room roomFor(String name) {
        Room room = rooms.get(name);
        if (room != null) {
            return room;
        }
        return rooms.computeIfAbsent(name, n -> {
            ChannelKey stream = ChannelKey.roomWide(n);
            Room made = new Room(n, stream, startPosition(stream));
            support.broker().subscribe(stream, delivery.of(made));
            return made;
        });
    }

    /** Where a new stream starts: the stored head when the store holds it, else offset 0 in a new epoch. */
    private StreamPosition startPosition(ChannelKey stream) {
        StreamPosition head = heads.remove(stream);
        return head != null ? head : new StreamPosition(0, ids.nextToken("", 8));
    }

    /** Remembers the idempotency keys of stored publications, for the channel made for {@code key} later. */
    void rememberStored(ChannelKey key, List<StoredMessage> recent) {
        for (StoredMessage message : recent) {
            Envelope stored = message.envelope();
            String idempotencyKey = BusChannel.idempotencyKey(stored);
            if (idempotencyKey != null) {
                rememberedKeys.computeIfAbsent(key, k -> support.newIdempotencyWindow())
                        .remember(idempotencyKey, CompletableFuture.completedFuture(stored.position()),
                                message.storedAt());
            }
        }
    }

    /** Outcome of {@link #delete}. */
    enum Deleted { DELETED, NOT_FOUND, NOT_EMPTY }

    /** Removes an empty channel and unsubscribes its stream (its history is the caller's). */
    Deleted delete(ChannelKey key) {
        Room room = rooms.get(key.room());
        BusChannel channel = room == null ? null : room.channel(key.channel());
        if (channel == null) {
            return Deleted.NOT_FOUND;
        }
        boolean deleted = channel.deleteIfEmpty(() -> {
            // Before the channel leaves the map: a channel made again for the key subscribes after this.
            support.broker().unsubscribe(key);
            room.channelMap().remove(key.channel(), channel);
            channels.remove(key, channel);
        });
        return deleted ? Deleted.DELETED : Deleted.NOT_EMPTY;
    }

    /** Every room that has at least one channel, as it is now. */
    List<RoomInfo> rooms() {
        List<RoomInfo> out = new ArrayList<>();
        for (Room room : rooms.values()) {
            if (!room.channelMap().isEmpty()) {
                out.add(room.info());
            }
        }
        return out;
    }

    /** How many rooms have at least one channel. */
    int roomCount() {
        int n = 0;
        for (Room room : rooms.values()) {
            if (!room.channelMap().isEmpty()) {
                n++;
            }
        }
        return n;
    }

    /** How many channels exist. */
    int channelCount() {
        int n = 0;
        for (Room room : rooms.values()) {
            n += room.channelMap().size();
        }
        return n;
    }
}
