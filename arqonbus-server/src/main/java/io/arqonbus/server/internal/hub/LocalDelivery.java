package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceSpan;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@link Broker} hands publications to this node: each channel and each room subscribes
 * its stream with a handler from here, so a channel publication goes straight to that channel's
 * local members (and filtered receivers), a room broadcast to the members of every channel of that
 * room; then the {@link PublicationListener}s observe it.
 */
final class LocalDelivery {
    private static final Logger log = LoggerFactory.getLogger(LocalDelivery.class);

    private final FanOut fanOut;
    private final BusTracing tracing;
    private final CopyOnWriteArrayList<PublicationListener> listeners = new CopyOnWriteArrayList<>();
    /** Those of {@link #listeners} that observe only the publications this node accepted. */
    private final Set<PublicationListener> acceptedOnly = ConcurrentHashMap.newKeySet();

    LocalDelivery(FanOut fanOut, BusTracing tracing) {
        this.fanOut = fanOut;
        this.tracing = tracing;
    }

    /**
     * The handler of a channel's stream: its local fan-out; when the broker sequences publications
     * (a cluster), each one also moves the channel's position.
     */
    BrokerEventHandler of(BusChannel channel, boolean clustered) {
        if (!clustered) {
            return (stream, position, publication) -> {
                TraceSpan span = tracing.step(publication.envelope(), BusTracing.FAN_OUT);
                fanOut.toChannel(channel, publication.frame(), publication.sender(), position.offset(),
                        publication.envelope());
                observed(publication);
                span.end();
            };
        }
        return new BrokerEventHandler() {
            @Override
            public void handlePublication(ChannelKey stream, StreamPosition position, SequencedPublication publication) {
                TraceSpan span = tracing.step(publication.envelope(), BusTracing.FAN_OUT);
                channel.released(position, () -> fanOut.toChannel(channel, publication.frame(), publication.sender(),
                        position.offset(), publication.envelope()));
                observed(publication);
                span.end();
            }

            @Override
            public void head(ChannelKey stream, StreamPosition head) {
                channel.released(head, null);
            }
        };
    }

    /** The handler of a room's room-wide stream: a broadcast to the members of each of its channels. */
    BrokerEventHandler of(Room room) {
        return (stream, position, publication) -> {
            TraceSpan span = tracing.step(publication.envelope(), BusTracing.FAN_OUT);
            fanOut.toRoom(List.copyOf(room.channels()), publication.frame(), publication.sender(),
                    publication.envelope());
            observed(publication);
            span.end();
        };
    }

    /**
     * Lets {@code listener} observe every publication delivered from now on, or with
     * {@code onlyAccepted} those this node accepted; returns what removes it.
     */
    Runnable addListener(PublicationListener listener, boolean onlyAccepted) {
        if (onlyAccepted) {
            acceptedOnly.add(listener);
        }
        listeners.add(listener);
        return () -> {
            listeners.remove(listener);
            acceptedOnly.remove(listener);
        };
    }

    /**
     * A publication this node accepted that its broker does not deliver back here (a cluster node
     * not subscribed to the stream): only the listeners of accepted publications observe it, as
     * they would have on delivery.
     */
    void acceptedUnheard(Envelope accepted, Session sender) {
        if (acceptedOnly.isEmpty()) {
            return;
        }
        for (PublicationListener listener : acceptedOnly) {
            notifyOne(listener, accepted, sender);
        }
    }

    private void observed(SequencedPublication publication) {
        if (!listeners.isEmpty()) {
            notifyListeners(publication.envelope(), publication.sender(), publication.here());
        }
    }

    private void notifyListeners(Envelope delivered, Session sender, boolean here) {
        for (PublicationListener listener : listeners) {
            if (!here && acceptedOnly.contains(listener)) {
                continue;
            }
            notifyOne(listener, delivered, sender);
        }
    }

    private static void notifyOne(PublicationListener listener, Envelope delivered, Session sender) {
        try {
            listener.published(delivered, sender);
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "listener_failed")
                    .addKeyValue("code", "INTERNAL_ERROR")
                    .addKeyValue("listener", listener.getClass().getSimpleName())
                    .addKeyValue("msg", e.toString())
                    .log("listener_failed");
        }
    }
}
