package io.arqonbus.server.internal.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/** A {@link TraceSpan} that is an OpenTelemetry span. */
record OtelSpan(Span span) implements TraceSpan {
    private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    @Override
    public TraceSpan attribute(String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
        return this;
    }

    @Override
    public TraceSpan attribute(String key, long value) {
        span.setAttribute(key, value);
        return this;
    }

    @Override
    public void fail(String code, String sentence) {
        span.setAttribute(ERROR_TYPE, code);
        span.setStatus(StatusCode.ERROR, sentence == null ? code : sentence);
    }

    @Override
    public void end() {
        span.end();
    }

    @Override
    public TraceScope makeCurrent() {
        return span.makeCurrent()::close;
    }

    /** The context whose current span is this one. */
    Context context() {
        return Context.root().with(span);
    }
}
