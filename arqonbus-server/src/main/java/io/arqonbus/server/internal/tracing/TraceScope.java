package io.arqonbus.server.internal.tracing;

/** While open, a span is the current one on this thread ({@link TraceSpan#makeCurrent}). */
@FunctionalInterface
public interface TraceScope extends AutoCloseable {
    /** The scope of nothing: shared, does nothing. */
    TraceScope NONE = () -> { };

    @Override
    void close();
}
