package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code GET /status}: 200 with the shape of protocol §9 —
 * <pre>{@code
 * {"status":"running"|"starting"|"draining","service":"arqonbus","version","uptime_seconds","timestamp",
 *  "endpoints":{"websocket","telemetry","http"},
 *  "connections":{"active","websocket","telemetry","by_type":{…}},
 *  "rooms","channels",
 *  "messages":{"total_published","received","delivered"},
 *  "storage":{"backend","history_size","history_bytes"},
 *  "cluster":{"node","nodes":[{"node","clients","last_heartbeat"}]}}   (cluster mode only)
 * }</pre>
 */
public final class StatusEndpoint implements HttpEndpoint {
    private final BusView view;

    public StatusEndpoint(BusView view) {
        this.view = view;
    }

    @Override
    public CompletionStage<HttpAnswer> handle(HttpCall call) {
        ObjectNode body = HttpAnswer.object();
        body.put("status", switch (view.readiness()) {
            case READY -> "running";
            case STARTING -> "starting";
            case DRAINING -> "draining";
        });
        body.put("service", VersionEndpoint.SERVICE);
        body.put("version", view.info().version());
        body.put("uptime_seconds", view.uptimeSeconds());
        body.put("timestamp", Timestamps.format(view.now()));

        ObjectNode endpoints = body.putObject("endpoints");
        endpoints.put("websocket", view.websocketUrl());
        endpoints.put("telemetry", view.telemetryUrl());
        endpoints.put("http", view.httpUrl());

        ObjectNode connections = body.putObject("connections");
        connections.put("active", view.activeClients());
        connections.put("websocket", view.websocketConnections());
        connections.put("telemetry", view.telemetryConnections());
        ObjectNode byType = connections.putObject("by_type");
        for (Map.Entry<String, Integer> entry : view.clientsByType().entrySet()) {
            byType.put(entry.getKey(), entry.getValue());
        }

        body.put("rooms", view.rooms());
        body.put("channels", view.channels());

        ObjectNode messages = body.putObject("messages");
        messages.put("total_published", view.publishedTotal());
        messages.put("received", view.receivedTotal());
        messages.put("delivered", view.deliveredTotal());

        ObjectNode storage = body.putObject("storage");
        storage.put("backend", view.storageBackend());
        storage.put("history_size", view.historySize());
        storage.put("history_bytes", view.historyBytes());
        CompletionStage<ObjectNode> cluster = view.cluster();
        if (cluster == null) {
            return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
        }
        return cluster.handle((nodes, error) -> {
            if (nodes != null) {
                body.set("cluster", nodes);
            } else {
                body.putObject("cluster").put("error", "the cluster's registry could not be read: "
                        + error.getMessage());
            }
            return HttpAnswer.json(HttpResponseStatus.OK, body);
        });
    }
}
