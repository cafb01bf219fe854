package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@link Broker} hands publications to this node: a channel publication goes to the
 * channel's local members (and filtered receivers), a room broadcast (a room-wide stream) to the
 * members of every channel of the room; then the {@link PublicationListener}s observe it.
 */
final class LocalDelivery implements BrokerEventHandler {
    private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

    private final ChannelRegistry registry;
    private final FanOut fanOut;
    private final CopyOnWriteArrayList<PublicationListener> listeners = new CopyOnWriteArrayList<>();

    LocalDelivery(ChannelRegistry registry, FanOut fanOut) {
        this.registry = registry;
        this.fanOut = fanOut;
    }

    @Override
    public void handlePublication(ChannelKey stream, StreamPosition position, SequencedPublication publication) {
        Envelope delivered = publication.envelope();
        if (stream.channel() == null) {
            Room room = registry.room(stream.room());
            fanOut.toRoom(room == null ? List.of() : List.copyOf(room.channels()), publication.frame(),
                    publication.sender(), delivered);
        } else {
            BusChannel channel = registry.channel(stream);
            if (channel == null) {
                publication.frame().release();
                return;
            }
            fanOut.toChannel(channel, publication.frame(), publication.sender(), position.offset(), delivered);
        }
        if (!listeners.isEmpty()) {
            notifyListeners(delivered, publication.sender());
        }
    }

    /** Lets {@code listener} observe every publication delivered from now on; returns what removes it. */
    Runnable addListener(PublicationListener listener) {
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
}
