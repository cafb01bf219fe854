package io.arqonbus.server.internal.tracing;

import io.opentelemetry.context.Context;
import java.util.function.Supplier;

/**
 * Carries the current span to work that runs on another thread (the Redis pipeline's sender), so
 * what that work records stays in the trace. Nothing is wrapped while no span is current. Call it
 * only while tracing is on: its first use initializes OpenTelemetry's context storage.
 */
public final class TraceContexts {
    private TraceContexts() {
    }

    /** {@code task} running under this thread's current context; {@code task} itself when there is none. */
    public static <T> Supplier<T> carry(Supplier<T> task) {
        Context current = Context.current();
        return current == Context.root() ? task : current.wrapSupplier(task);
    }
}
