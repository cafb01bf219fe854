package io.arqonbus.server.internal.tracing;

import io.arqonbus.protocol.Envelope;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Tracing off: every answer is shared and nothing is allocated, so the hot path pays one call. */
enum NoTracing implements BusTracing {
    INSTANCE;

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public TraceSpan receive(Envelope envelope, String clientId) {
        return TraceSpan.NONE;
    }

    @Override
    public TraceSpan step(TraceSpan parent, String name) {
        return TraceSpan.NONE;
    }

    @Override
    public TraceSpan step(Envelope envelope, String name) {
        return TraceSpan.NONE;
    }

    @Override
    public TraceSpan request(String method, String route, Function<String, String> header) {
        return TraceSpan.NONE;
    }

    @Override
    public Envelope carry(Envelope envelope, TraceSpan span) {
        return envelope;
    }

    @Override
    public void inject(TraceSpan span, BiConsumer<String, String> headers) {
    }

    @Override
    public void close() {
    }
}
