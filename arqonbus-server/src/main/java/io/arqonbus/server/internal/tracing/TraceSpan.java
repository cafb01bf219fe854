package io.arqonbus.server.internal.tracing;

import java.util.concurrent.CompletionStage;

/**
 * One span of a trace as the bus's code sees it: attributes, a failure, an end. {@link #NONE}
 * (what every call answers while tracing is off) does nothing and is shared.
 */
public interface TraceSpan {
    /** The span of nothing: tracing is off, or what it would belong to is not traced. */
    TraceSpan NONE = NoSpan.INSTANCE;

    /** Sets an attribute; returns this span. */
    TraceSpan attribute(String key, String value);

    /** Sets an attribute; returns this span. */
    TraceSpan attribute(String key, long value);

    /** Marks the span failed with the error code ({@code error.type}) and a sentence. */
    void fail(String code, String sentence);

    /** Ends the span; a second call does nothing. */
    void end();

    /**
     * Makes this span the current one on this thread until the scope closes: what a library
     * instrumented on its own (the Redis client) records meanwhile becomes its child.
     */
    default TraceScope makeCurrent() {
        return TraceScope.NONE;
    }

    /** Ends the span when {@code stage} completes, failed ({@code error.type}) when it failed. */
    default void endWhenDone(CompletionStage<?> stage) {
        stage.whenComplete((ignored, error) -> {
            if (error != null) {
                fail("FAILED", String.valueOf(error.getMessage()));
            }
            end();
        });
    }

    /** The span of nothing. */
    enum NoSpan implements TraceSpan {
        INSTANCE;

        @Override
        public TraceSpan attribute(String key, String value) {
            return this;
        }

        @Override
        public TraceSpan attribute(String key, long value) {
            return this;
        }

        @Override
        public void fail(String code, String sentence) {
        }

        @Override
        public void end() {
        }

        @Override
        public void endWhenDone(CompletionStage<?> stage) {
        }
    }
}
