package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A room: a name, its channels, and the position of its room-wide stream. */
final class Room {
    private final Object lock = new Object();
    private final String name;
    private final ConcurrentHashMap<String, BusChannel> channels = new ConcurrentHashMap<>();
    private final ChannelKey streamKey;
    private final String epoch;
    private long lastOffset;

    Room(String name, ChannelKey streamKey, StreamPosition head) {
        this.name = name;
        this.streamKey = streamKey;
        this.epoch = head.epoch();
        this.lastOffset = head.offset();
    }

    String name() {
        return name;
    }

    /** The room's channels now (a live view). */
    Collection<BusChannel> channels() {
        return channels.values();
    }

    /** The channel with this name, or {@code null}. */
    BusChannel channel(String channelName) {
        return channels.get(channelName);
    }

    ConcurrentHashMap<String, BusChannel> channelMap() {
        return channels;
    }

    /** Whether any channel of the room has members on this node. */
    boolean hasMembers() {
        for (BusChannel channel : channels.values()) {
            if (channel.memberCount() > 0) {
                return true;
            }
        }
        return false;
    }

        /** The key of the room-wide stream that room broadcasts are stored in. */
    ChannelKey streamKey() {
        return streamKey;
    }

    /**
     * Gives a broadcast the next position in the room-wide stream and appends it, in position
     * order; a failed append is counted. Returns the position.
     */
    StreamPosition append(ByteBuf frame, ChannelSupport support) {
        StreamPosition position;
        CompletableFuture<Void> appended;
        synchronized (lock) {
            position = new StreamPosition(++lastOffset, epoch);
            appended = support.append(streamKey, position, frame, support.clock().instant());
        }
        appended.whenComplete((v, e) -> {
            if (e != null) {
                support.metrics().storeAppendFailed();
            }
        });
        return position;
    }

    /** A copy of the room and its channels as they are now. */
    RoomInfo info() {
        List<ChannelInfo> list = new ArrayList<>();
        for (BusChannel channel : channels.values()) {
            list.add(channel.info());
        }
        return new RoomInfo(name, list);
    }
}
