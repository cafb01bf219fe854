package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.StoredIdempotencyKey;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.config.ChannelLimits;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.config.ConnectionLimits;
import io.arqonbus.server.config.SlowConsumerChannels;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The rooms and channels of one node: create, look up, delete and list them, with the room index
 * (a room's channels by name). A new channel or room continues the stream position the store
 * already holds for it. On one node it subscribes its stream at the {@link Broker} when it is made
 * and unsubscribes it when it is deleted; in a cluster (a broker that sequences publications) the
 * subscription follows the local members instead ({@link StreamInterest}).
 */
final class ChannelRegistry {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    /** Every channel by its key: one lookup on the publish path (the rooms hold them by name too). */
    private final ConcurrentHashMap<ChannelKey, BusChannel> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<ChannelKey, StreamPosition> heads;
    private final ConcurrentHashMap<ChannelKey, IdempotencyWindow> rememberedKeys = new ConcurrentHashMap<>();
    /** The tenant each channel a client created was charged to ({@link ChannelQuota#NO_TENANT} for none). */
    private final ConcurrentHashMap<ChannelKey, String> charged = new ConcurrentHashMap<>();
    /** The channels made implicitly (publish, join), in the order the idle sweep visits them. */
    private final ConcurrentLinkedQueue<BusChannel> implicit = new ConcurrentLinkedQueue<>();
    private final ChannelSupport support;
    private final LocalDelivery delivery;
    /** In a cluster, which streams are subscribed; {@code null} on one node (every stream is). */
    private final StreamInterest interest;
    private volatile ChannelQuota quota;
    private volatile ChannelSlowConsumers slowConsumers;
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
            IdGenerator ids, int loops, StreamInterest interest) {
        this.heads = new ConcurrentHashMap<>(heads);
        this.interest = interest;
        this.support = support;
        this.delivery = delivery;
        this.ids = ids;
        this.loops = loops;
        this.quota = new ChannelQuota(ChannelLimits.defaults(), support.metrics());
        this.slowConsumers = new ChannelSlowConsumers(SlowConsumerChannels.defaults(),
                ConnectionLimits.DEFAULT_MAX_PENDING_BYTES, support, new Replies(ids, support.clock()));
    }

    /** Sets how new channels choose their slow-consumer policy; call before traffic starts. */
    void slowConsumers(SlowConsumerChannels settings, long maxBacklogBytes) {
        this.slowConsumers = new ChannelSlowConsumers(settings, maxBacklogBytes, support,
                new Replies(ids, support.clock()));
    }

    /** Sets the bounds on channels clients create; call before traffic starts. */
    void limits(ChannelLimits limits) {
        this.quota = new ChannelQuota(limits, support.metrics());
    }

    ChannelLimits limits() {
        return quota.limits();
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

    /** Whether the channel admits this client id or token subject (a caller without a session). */
    boolean admits(String clientId, String subject, ChannelKey key) {
        if (!anyPrivate) {
            return true;
        }
        BusChannel channel = channel(key);
        return channel == null || channel.admits(clientId, subject);
    }

    /** The channel and whether {@link #create} made it. */
    record Created(BusChannel channel, boolean created) {
    }

    /** Who asks for a channel, which decides the bounds that apply. */
    enum Origin {
        /** The server (configuration, restore): no bound, never reclaimed. */
        SERVER,
        /** {@code create_channel}: counted and rate-limited, never reclaimed. */
        EXPLICIT,
        /** A publication or a join: counted and rate-limited, reclaimed when idle. */
        IMPLICIT
    }

    /** The channel, made when missing, like {@link #create(ChannelKey, String, String, boolean, Set, Session, Origin)} by the server. */
    Created create(ChannelKey key, String createdBy, String type, boolean hardcoded, Set<String> admitted) {
        return create(key, createdBy, type, hardcoded, admitted, null, Origin.SERVER);
    }

    /**
     * The channel, made when missing: private to {@code admitted} when that is not {@code null},
     * with the idempotency keys remembered from the store. A channel a client makes counts against
     * the bounds of {@link ChannelLimits} ({@code requester}'s rate when not {@code null}).
     *
     * @throws ChannelRefusedException when a bound refuses a new channel
     */
    Created create(ChannelKey key, String createdBy, String type, boolean hardcoded, Set<String> admitted,
            Session requester, Origin origin) {
        return create(key, createdBy, type, hardcoded, admitted, requester, origin, null);
    }

    /**
     * Like {@link #create(ChannelKey, String, String, boolean, Set, Session, Origin)}, a new channel
     * taking {@code slowConsumer} ({@code null}: the configured patterns') as its slow-consumer policy.
     */
    Created create(ChannelKey key, String createdBy, String type, boolean hardcoded, Set<String> admitted,
            Session requester, Origin origin, ChannelSlowConsumerPolicy slowConsumer) {
        BusChannel existing = channels.get(key);
        if (existing != null) {
            return new Created(existing, false);
        }
        // Only what a connection makes is counted: the server's own publications (cron, host) are not.
        ChannelQuota taken = origin == Origin.SERVER || requester == null ? null : quota;
        String tenant = taken == null ? null : taken.take(requester);
        boolean[] created = {false};
        try {
            Room room = roomFor(key.room());
            BusChannel channel = room.channelMap().computeIfAbsent(key.channel(), name -> {
                created[0] = true;
                BusChannel made = new BusChannel(key, support.clock().instant(), createdBy, type, hardcoded,
                        startPosition(key), loops, support);
                slowConsumers.apply(made, slowConsumer);
                IdempotencyWindow remembered = rememberedKeys.remove(key);
                if (remembered != null) {
                    made.idempotency(remembered);
                }
                if (admitted != null) {
                    made.admitOnly(admitted);
                    anyPrivate = true;
                }
                if (tenant != null) {
                    charged.put(key, tenant);
                }
                if (interest == null) {
                    support.broker().subscribe(key, delivery.of(made, false));
                } else {
                    interest.register(key, delivery.of(made, true), made::hasMembers, made::resync);
                }
                channels.put(key, made);
                if (origin == Origin.IMPLICIT && !hardcoded) {
                    implicit.add(made);
                }
                return made;
            });
            return new Created(channel, created[0]);
        } finally {
            if (tenant != null && !created[0]) {
                taken.giveBack(tenant);
            }
        }
    }

    /** Gives an existing channel another slow-consumer policy (a cluster's control plane says so). */
    void slowConsumer(BusChannel channel, ChannelSlowConsumerPolicy policy) {
        slowConsumers.apply(channel, policy);
    }

    /**
     * In a cluster, subscribes the channel's stream and its room's when they are not: a join is
     * coming. Does nothing on one node (every stream is subscribed).
     */
    void want(ChannelKey key) {
        if (interest != null) {
            interest.want(ChannelKey.roomWide(key.room()));
            interest.want(key);
        }
    }

    /** In a cluster, a publication this node accepts keeps the stream's subscription for the linger. */
    void touch(ChannelKey key) {
        if (interest != null) {
            interest.touch(key);
        }
    }

    /** In a cluster, the channel's last local member left: its stream and its room's may be unsubscribed. */
    void lost(ChannelKey key) {
        if (interest != null) {
            interest.lost(key);
            interest.lost(ChannelKey.roomWide(key.room()));
        }
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
            if (interest == null) {
                support.broker().subscribe(stream, delivery.of(made));
            } else {
                interest.register(stream, delivery.of(made), made::hasMembers, () -> { });
            }
            return made;
        });
    }

    /** Where a new stream starts: the stored head when the store holds it, else offset 0 in a new epoch. */
    private StreamPosition startPosition(ChannelKey stream) {
        StreamPosition head = heads.remove(stream);
        return head != null ? head : new StreamPosition(0, ids.nextToken("", 8));
    }

    /** Remembers the idempotency keys of stored publications, for the channel made for {@code key} later. */
    void rememberStored(ChannelKey key, List<StoredIdempotencyKey> recent) {
        for (StoredIdempotencyKey stored : recent) {
            rememberedKeys.computeIfAbsent(key, k -> support.newIdempotencyWindow())
                    .remember(stored.key(), CompletableFuture.completedFuture(stored.position()), stored.storedAt());
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
        boolean deleted = channel.deleteIfEmpty(() -> unregister(room, channel));
        return deleted ? Deleted.DELETED : Deleted.NOT_EMPTY;
    }

    /** Runs under the channel's lock, once it is marked deleted. */
    private void unregister(Room room, BusChannel channel) {
        ChannelKey key = channel.key();
        // Before the channel leaves the map: a channel made again for the key subscribes after this.
        if (interest == null) {
            support.broker().unsubscribe(key);
        } else {
            interest.remove(key);
        }
        room.channelMap().remove(key.channel(), channel);
        channels.remove(key, channel);
        String tenant = charged.remove(key);
        if (tenant != null) {
            quota.giveBack(tenant);
        }
    }

    /** A channel the idle sweep removed, with its stream head at that moment. */
    record Reclaimed(ChannelKey key, StreamPosition head) {
    }

    /**
     * Visits at most {@code budget} channels made implicitly, in turn, and removes those that have
     * been empty and without publications since {@code cutoff}; the others wait for a later visit.
     * When {@code keepHead}, a channel made again for a removed key continues its stream position.
     */
    List<Reclaimed> reclaimIdle(Instant cutoff, int budget, boolean keepHead) {
        List<Reclaimed> out = new ArrayList<>();
        for (int i = 0; i < budget; i++) {
            BusChannel channel = implicit.poll();
            if (channel == null) {
                break;
            }
            ChannelKey key = channel.key();
            Room room = rooms.get(key.room());
            if (room == null || channels.get(key) != channel) {
                continue; // deleted meanwhile; a channel made again for the key queued itself
            }
            StreamPosition head = channel.deleteIfIdle(cutoff, () -> {
                unregister(room, channel);
            });
            if (head == null) {
                implicit.add(channel);
            } else {
                if (keepHead) {
                    heads.put(key, head);
                }
                out.add(new Reclaimed(key, head));
            }
        }
        return out;
    }

    /** How many channels made implicitly wait for the idle sweep. */
    int implicitCount() {
        return implicit.size();
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
