package io.arqonbus.server.internal.tracing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Tracing with OpenTelemetry. The trace context is read and written as W3C Trace Context
 * whatever propagators the SDK was given: the metadata convention of protocol §12 is
 * {@code traceparent}. Span kinds: {@value BusTracing#RECEIVE} and HTTP requests are SERVER,
 * {@value BusTracing#FAN_OUT} PRODUCER, {@value BusTracing#WEBHOOK} CLIENT, the others INTERNAL.
 */
public final class OtelTracing implements BusTracing {
    /** The instrumentation scope of the server's spans. */
    public static final String SCOPE = "io.arqonbus.server";
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private final Tracer tracer;
    private final Runnable onClose;

    /**
     * @param onClose what {@link #close()} does: shut down an SDK this server built, nothing for an
     *                embedder's
     */
    public OtelTracing(OpenTelemetry openTelemetry, Runnable onClose) {
        this.tracer = openTelemetry.getTracer(SCOPE);
        this.onClose = onClose;
        warmUp();
    }

    /**
     * Initializes, on the starting thread, the classes whose first use reads files (the context
     * storage is found with a {@code ServiceLoader}): the event loops must not.
     */
    private void warmUp() {
        Context parent = W3C.extract(Context.root(), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                .objectNode().put(TRACEPARENT, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                MetadataCarrier.METADATA);
        tracer.spanBuilder(RECEIVE).setParent(parent).setSpanKind(SpanKind.INTERNAL);
        W3C.inject(parent, new java.util.HashMap<String, String>(), java.util.Map::put);
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public TraceSpan receive(Envelope envelope, String clientId) {
        SpanBuilder builder = tracer.spanBuilder(RECEIVE).setSpanKind(SpanKind.SERVER)
                .setParent(W3C.extract(Context.root(), envelope.metadata(), MetadataCarrier.METADATA))
                .setAttribute("messaging.system", "arqonbus")
                .setAttribute("arqonbus.type", envelope.type().wireName());
        if (clientId != null) {
            builder.setAttribute("arqonbus.client_id", clientId);
        }
        if (envelope.id() != null) {
            builder.setAttribute("messaging.message.id", envelope.id());
        }
        String destination = destination(envelope);
        if (destination != null) {
            builder.setAttribute("messaging.destination.name", destination);
        }
        if (envelope.command() != null) {
            builder.setAttribute("arqonbus.command", envelope.command());
        }
        return new OtelSpan(builder.startSpan());
    }

    @Override
    public TraceSpan step(TraceSpan parent, String name) {
        if (!(parent instanceof OtelSpan span)) {
            return TraceSpan.NONE;
        }
        return new OtelSpan(tracer.spanBuilder(name).setSpanKind(kindOf(name)).setParent(span.context()).startSpan());
    }

    @Override
    public TraceSpan step(Envelope envelope, String name) {
        Context parent = W3C.extract(Context.root(), envelope.metadata(), MetadataCarrier.METADATA);
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            return TraceSpan.NONE;
        }
        SpanBuilder builder = tracer.spanBuilder(name).setSpanKind(kindOf(name)).setParent(parent)
                .setAttribute("messaging.system", "arqonbus");
        String destination = destination(envelope);
        if (destination != null) {
            builder.setAttribute("messaging.destination.name", destination);
        }
        if (envelope.position() != null) {
            builder.setAttribute("arqonbus.offset", envelope.position().offset());
        }
        return new OtelSpan(builder.startSpan());
    }

    @Override
    public TraceSpan request(String method, String route, Function<String, String> header) {
        Context parent = W3C.extract(Context.root(), header, MetadataCarrier.HEADERS);
        return new OtelSpan(tracer.spanBuilder(method + " " + route).setSpanKind(SpanKind.SERVER).setParent(parent)
                .setAttribute("http.request.method", method)
                .setAttribute("http.route", route)
                .startSpan());
    }

    @Override
    public Envelope carry(Envelope envelope, TraceSpan span) {
        if (!(span instanceof OtelSpan otel)) {
            return envelope;
        }
        ObjectNode metadata = envelope.metadata().deepCopy();
        metadata.remove(TRACEPARENT);
        metadata.remove(TRACESTATE);
        W3C.inject(otel.context(), metadata, MetadataCarrier.METADATA_SETTER);
        return envelope.withMetadata(metadata);
    }

    @Override
    public void inject(TraceSpan span, BiConsumer<String, String> headers) {
        if (span instanceof OtelSpan otel) {
            W3C.inject(otel.context(), headers, BiConsumer::accept);
        }
    }

    @Override
    public io.lettuce.core.tracing.Tracing redisCommands() {
        return new RedisCommandTracing(tracer);
    }

    @Override
    public void close() {
        onClose.run();
    }

    private static SpanKind kindOf(String name) {
        return switch (name) {
            case FAN_OUT -> SpanKind.PRODUCER;
            case WEBHOOK -> SpanKind.CLIENT;
            default -> SpanKind.INTERNAL;
        };
    }

    private static String destination(Envelope envelope) {
        if (envelope.room() == null) {
            return null;
        }
        return envelope.channel() == null ? envelope.room() : envelope.room() + ":" + envelope.channel();
    }
}
