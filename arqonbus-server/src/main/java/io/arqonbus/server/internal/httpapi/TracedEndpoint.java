package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.internal.http.HttpAnswer;
import io.arqonbus.server.internal.http.HttpCall;
import io.arqonbus.server.internal.http.HttpEndpoint;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceSpan;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.CompletionStage;

/**
 * A span for each call of the HTTP API ({@code POST /api/publish}, the child of the request's
 * {@code traceparent} header when it has one), ended when the answer is ready, with its status. The
 * handlers see the span's own context in the call's {@code traceparent} header: a publication made
 * by the call carries it in {@code metadata}, so its hub spans and its subscribers follow the call.
 */
final class TracedEndpoint implements HttpEndpoint {
    private final HttpEndpoint api;
    private final BusTracing tracing;

    TracedEndpoint(HttpEndpoint api, BusTracing tracing) {
        this.api = api;
        this.tracing = tracing;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        TraceSpan span = tracing.request(call.method().name(), call.path(), call.headers()::get);
        HttpHeaders headers = call.headers().copy();
        headers.remove(BusTracing.TRACEPARENT).remove(BusTracing.TRACESTATE);
        tracing.inject(span, headers::set);
        CompletionStage<HttpAnswer> answer;
        try {
            answer = api.handle(new HttpCall(call.method(), call.path(), call.query(), headers, call.body()));
        } catch (RuntimeException e) {
            span.fail("INTERNAL_ERROR", e.toString());
            span.end();
            throw e;
        }
        return answer.whenComplete((done, error) -> {
            if (done != null) {
                span.attribute("http.response.status_code", done.status().code());
                if (done.status().code() >= 500) {
                    span.fail(String.valueOf(done.status().code()), done.status().reasonPhrase());
                }
            } else if (error != null) {
                span.fail("INTERNAL_ERROR", error.toString());
            }
            span.end();
        });
    }
}
