package io.arqonbus.server.internal.hub;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The broker of a single node: a publication goes straight to its stream's handler, on the
 * publishing thread, with no copy, no queue and no task hop, so the order the caller holds is the
 * order of delivery; the one lookup it costs is the handler's. A publication of a stream nobody
 * subscribed to, or any after {@link #close}, is released and dropped.
 */
public final class InProcessBroker implements Broker {
    private final ConcurrentHashMap<ChannelKey, BrokerEventHandler> handlers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    @Override
    public void subscribe(ChannelKey stream, BrokerEventHandler handler) {
        handlers.put(stream, handler);
        if (closed) {
            handlers.remove(stream, handler);
        }
    }

    @Override
    public void unsubscribe(ChannelKey stream) {
        handlers.remove(stream);
    }

    @Override
    public void publish(ChannelKey stream, StreamPosition position, SequencedPublication publication) {
        BrokerEventHandler handler = handlers.get(stream);
        if (handler == null) {
            publication.frame().release();
            return;
        }
        handler.handlePublication(stream, position, publication);
    }

    @Override
    public void close() {
        closed = true;
        handlers.clear();
    }
}
