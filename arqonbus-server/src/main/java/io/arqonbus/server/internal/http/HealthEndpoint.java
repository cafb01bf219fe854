package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /health}: 200 {@code {"status":"healthy","service":"arqonbus","version","uptime_seconds","timestamp"}},
 * or 503 with {@code "status":"degraded"} and {@code "reasons":[…]} when a {@link HealthCheck} reports a problem.
 */
public final class HealthEndpoint implements HttpEndpoint {
    private final BusView view;
    private final HealthCheck check;

    public HealthEndpoint(BusView view, HealthCheck check) {
        this.view = view;
        this.check = check;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        List<String> problems = check.problems();
        ObjectNode body = HttpAnswer.object();
        body.put("status", problems.isEmpty() ? "healthy" : "degraded");
        body.put("service", VersionEndpoint.SERVICE);
        body.put("version", view.info().version());
        body.put("uptime_seconds", view.uptimeSeconds());
        body.put("timestamp", Timestamps.format(view.now()));
        if (!problems.isEmpty()) {
            problems.forEach(body.putArray("reasons")::add);
        }
        HttpResponseStatus status = problems.isEmpty() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return CompletableFuture.completedFuture(HttpAnswer.json(status, body));
    }
}
