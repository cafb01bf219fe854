package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.metrics.MetricsFormat;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * {@code GET /metrics}: every meter in the Prometheus text exposition format 0.0.4
 * ({@code text/plain; version=0.0.4; charset=utf-8}), or in OpenMetrics 1.0
 * ({@code application/openmetrics-text; version=1.0.0; charset=utf-8}) when the {@code Accept}
 * header asks for it ({@link MetricsFormat#fromAccept}). The process meters read {@code /proc},
 * so the scrape runs on {@code scrapes} (the common pool), never on the event loop.
 */
public final class MetricsEndpoint implements HttpEndpoint {
    private final BusView view;
    private final Executor scrapes;

    public MetricsEndpoint(BusView view) {
        this(view, ForkJoinPool.commonPool());
    }

    public MetricsEndpoint(BusView view, Executor scrapes) {
        this.view = view;
        this.scrapes = scrapes;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        MetricsFormat format = MetricsFormat.fromAccept(call.headers().get(HttpHeaderNames.ACCEPT));
        return CompletableFuture.supplyAsync(
                () -> HttpAnswer.text(HttpResponseStatus.OK, format.contentType(), view.scrapeMetrics(format)), scrapes);
    }
}
