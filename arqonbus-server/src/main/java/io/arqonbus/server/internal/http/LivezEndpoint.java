package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /livez}: 200 {@code {"status":"alive","timestamp"}} whenever the HTTP port answers —
 * the process runs and its event loops serve requests. It checks no dependency on purpose: it is
 * the Kubernetes liveness probe, and a liveness probe that failed while Redis is down would restart
 * every pod of the cluster at once without bringing Redis back ({@code /health} reports such a
 * part; {@code /ready} decides whether traffic is taken).
 */
public final class LivezEndpoint implements HttpEndpoint {
    private final BusView view;

    public LivezEndpoint(BusView view) {
        this.view = view;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        ObjectNode body = HttpAnswer.object();
        body.put("status", "alive");
        body.put("timestamp", Timestamps.format(view.now()));
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }
}
