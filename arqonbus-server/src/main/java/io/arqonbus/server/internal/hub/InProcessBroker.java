package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker of a single node: a publication of a subscribed stream goes straight to the handler,
 * on the publishing thread, with no copy, no queue and no task hop, so the order the caller holds
 * is the order of delivery. A publication of a stream nobody subscribed to, or any after
 * {@link #close}, is released and dropped.
 */
public final class InProcessBroker implements Broker {
    private final Set<ChannelKey> subscribed = ConcurrentHashMap.newKeySet();
    /** {@code null} before {@link #handler} and after {@link #close}. */
    private volatile BrokerEventHandler handler;
    private volatile boolean closed;

    @Override
    public void handler(BrokerEventHandler handler) {
        if (!closed) {
            this.handler = handler;
        }
    }

    @Override
    public void subscribe(ChannelKey stream) {
        subscribed.add(stream);
    }

    @Override
    public void unsubscribe(ChannelKey stream) {
        subscribed.remove(stream);
    }

    @Override
    public void publish(ChannelKey stream, StreamPosition position, SequencedPublication publication) {
        BrokerEventHandler to = handler;
        if (to == null || !subscribed.contains(stream)) {
            publication.frame().release();
            return;
        }
        to.handlePublication(stream, position, publication);
    }

    @Override
    public void close() {
        closed = true;
        handler = null;
        subscribed.clear();
    }
}
