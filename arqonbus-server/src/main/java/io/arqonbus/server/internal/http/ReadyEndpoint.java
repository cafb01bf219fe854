package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.status.Readiness;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /ready}: 200 {@code {"status":"ready","ready":true,"timestamp"}} while the server
 * accepts traffic; 503 with {@code "status":"starting"} or {@code "draining"} and
 * {@code "ready":false} otherwise. A server that accepts traffic while a part is down (history
 * served from memory because Redis is unreachable) is still ready — taking it out of a load
 * balancer would not bring Redis back — and says so with {@code "degraded":true} and
 * {@code "reasons":[…]}, as {@code /health} does with its 503.
 */
public final class ReadyEndpoint implements HttpEndpoint {
    private final BusView view;
    private final HealthCheck check;

    public ReadyEndpoint(BusView view) {
        this(view, List::of);
    }

    public ReadyEndpoint(BusView view, HealthCheck check) {
        this.view = view;
        this.check = check;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        Readiness readiness = view.readiness();
        boolean ready = readiness == Readiness.READY;
        ObjectNode body = HttpAnswer.object();
        body.put("status", readiness.wireName());
        body.put("ready", ready);
        body.put("timestamp", Timestamps.format(view.now()));
        List<String> problems = check.problems();
        if (!problems.isEmpty()) {
            body.put("degraded", true);
            problems.forEach(body.putArray("reasons")::add);
        }
        return CompletableFuture.completedFuture(
                HttpAnswer.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body));
    }
}
