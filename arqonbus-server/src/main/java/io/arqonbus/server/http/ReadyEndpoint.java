package io.arqonbus.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.Readiness;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /ready}: 200 {@code {"status":"ready","ready":true,"timestamp"}} while the server
 * accepts traffic; 503 with {@code "status":"starting"} or {@code "draining"} and
 * {@code "ready":false} otherwise.
 */
public final class ReadyEndpoint implements HttpEndpoint {
    private final BusView view;

    public ReadyEndpoint(BusView view) {
        this.view = view;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        Readiness readiness = view.readiness();
        boolean ready = readiness == Readiness.READY;
        ObjectNode body = HttpAnswer.object();
        body.put("status", readiness.wireName());
        body.put("ready", ready);
        body.put("timestamp", Timestamps.format(view.now()));
        return CompletableFuture.completedFuture(
                HttpAnswer.json(ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body));
    }
}
