package io.arqonbus.server.internal.webhook;

import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceSpan;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * The span of one webhook attempt ({@value BusTracing#WEBHOOK}, a CLIENT span): the child of the
 * publication's {@code metadata.traceparent}, its own context sent as the request's
 * {@code traceparent} header, ended with the answer's status. {@link TraceSpan#NONE} for an
 * untraced publication or while tracing is off.
 */
final class WebhookSpans {
    private WebhookSpans() {
    }

    static TraceSpan start(BusTracing tracing, RuleLane.Delivery delivery, WebhookRule rule,
            HttpRequest.Builder request) {
        TraceSpan span = tracing.step(delivery.envelope, BusTracing.WEBHOOK);
        if (span == TraceSpan.NONE) {
            return span;
        }
        span.attribute("http.request.method", "POST")
                .attribute("server.address", rule.url().getHost())
                .attribute("arqonbus.webhook.rule", rule.id())
                .attribute("arqonbus.webhook.attempt", delivery.attempts + 1L);
        tracing.inject(span, request::setHeader);
        return span;
    }

    static void ended(TraceSpan span, HttpResponse<Void> response, Throwable error) {
        if (response != null) {
            span.attribute("http.response.status_code", response.statusCode());
            if (response.statusCode() >= 300) {
                span.fail(Integer.toString(response.statusCode()), "HTTP " + response.statusCode());
            }
        } else if (error != null) {
            span.fail(error.getClass().getSimpleName(), WebhookDispatcher.describe(error));
        }
        span.end();
    }
}
