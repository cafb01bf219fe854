package io.arqonbus.server.internal.tracing;

import io.arqonbus.protocol.Envelope;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * The tracing seam: what the router, the hub, the HTTP API and the webhook lane ask for. Two
 * implementations: {@link #off()} (no span, nothing allocated: callers need no check of their own)
 * and {@link OtelTracing} (OpenTelemetry). Span names and attributes are listed in
 * docs/operations.md#tracing.
 *
 * <p>A publication's spans: {@value #RECEIVE} (from the frame's arrival until it was routed; the
 * child of the publisher's {@code metadata.traceparent} when it sent one) with the children
 * {@value #INSPECT}, {@value #SEQUENCE}, {@value #STORE} and {@value #FAN_OUT}; the envelope the
 * bus delivers and stores carries the {@value #RECEIVE} span's context in {@code metadata}, and
 * the later steps find their parent there (on another thread or another node alike).
 */
public interface BusTracing extends AutoCloseable {
    /** A client's frame, from its arrival until it was routed. */
    String RECEIVE = "arqonbus.receive";
    /** Content inspection (CASIL). */
    String INSPECT = "arqonbus.inspect";
    /** Idempotency check, the stream position, the encoding of the frame. */
    String SEQUENCE = "arqonbus.sequence";
    /** The history store's append, until the store confirmed it. */
    String STORE = "arqonbus.store";
    /** The hand-off to the event loops of the channel's members, and the publication listeners. */
    String FAN_OUT = "arqonbus.fanout";
    /** A command, until its dispatcher returned. */
    String COMMAND = "arqonbus.command";
    /** One webhook delivery attempt (an HTTP POST). */
    String WEBHOOK = "arqonbus.webhook";
    /** The metadata key (and HTTP header) of the W3C trace context. */
    String TRACEPARENT = "traceparent";
    /** The metadata key (and HTTP header) of the W3C trace state. */
    String TRACESTATE = "tracestate";

    /** No tracing: every span is {@link TraceSpan#NONE}, envelopes pass unchanged. */
    static BusTracing off() {
        return NoTracing.INSTANCE;
    }

    /** Whether spans are recorded; {@code false} for {@link #off()}. */
    boolean enabled();

    /**
     * Starts the span of a client's envelope ({@value #RECEIVE}), the child of its
     * {@code metadata.traceparent} when it has a valid one, else a new trace's root.
     */
    TraceSpan receive(Envelope envelope, String clientId);

    /** Starts a step inside {@code parent} ({@link TraceSpan#NONE} when the parent is). */
    TraceSpan step(TraceSpan parent, String name);

    /**
     * Starts a step of a publication whose context travels in its {@code metadata.traceparent};
     * {@link TraceSpan#NONE} when it carries none (an untraced publication stays untraced).
     */
    TraceSpan step(Envelope envelope, String name);

    /**
     * Starts the span of an HTTP request ({@code METHOD route}), the child of its
     * {@code traceparent} header when it has one.
     *
     * @param header the request's header by name, {@code null} when absent
     */
    TraceSpan request(String method, String route, Function<String, String> header);

    /**
     * The envelope with {@code metadata.traceparent} (and {@code tracestate}) of {@code span}
     * instead of the ones it had; the envelope itself when the span is {@link TraceSpan#NONE}.
     */
    Envelope carry(Envelope envelope, TraceSpan span);

    /** Writes the span's context as W3C headers ({@code traceparent}, {@code tracestate}); nothing for NONE. */
    void inject(TraceSpan span, BiConsumer<String, String> headers);

    /**
     * Lettuce's tracing hook for the Redis client: a span per command issued while a span is
     * current ({@link TraceSpan#makeCurrent}); disabled when tracing is off.
     */
    default io.lettuce.core.tracing.Tracing redisCommands() {
        return io.lettuce.core.tracing.Tracing.disabled();
    }

    /** Flushes and stops what this tracing owns (an SDK it built); an embedder's SDK stays. */
    @Override
    void close();
}
