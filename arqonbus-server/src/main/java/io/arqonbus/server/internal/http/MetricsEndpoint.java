package io.arqonbus.server.internal.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /metrics}: the Prometheus text exposition format 0.0.4
 * ({@code text/plain; version=0.0.4; charset=utf-8}) of every meter. The scrape reads in-memory
 * meters and gauges only, so it runs on the event loop.
 */
public final class MetricsEndpoint implements HttpEndpoint {
    private final BusView view;

    public MetricsEndpoint(BusView view) {
        this.view = view;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        return CompletableFuture.completedFuture(
                HttpAnswer.text(HttpResponseStatus.OK, HttpAnswer.PROMETHEUS_TEXT, view.scrapeMetrics()));
    }
}
