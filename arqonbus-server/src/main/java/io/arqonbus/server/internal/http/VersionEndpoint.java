package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.status.ServerInfo;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /version}: 200
 * {@code {"service":"arqonbus","version","protocol_version":"1.0","build","transport","timestamp"}}.
 */
public final class VersionEndpoint implements HttpEndpoint {
    /** The service name every JSON endpoint reports. */
    public static final String SERVICE = "arqonbus";

    private final BusView view;

    public VersionEndpoint(BusView view) {
        this.view = view;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        ServerInfo info = view.info();
        ObjectNode body = HttpAnswer.object();
        body.put("service", SERVICE);
        body.put("version", info.version());
        body.put("protocol_version", ServerInfo.PROTOCOL_VERSION);
        body.put("build", info.build());
        body.put("transport", info.transport());
        body.put("timestamp", Timestamps.format(view.now()));
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }
}
