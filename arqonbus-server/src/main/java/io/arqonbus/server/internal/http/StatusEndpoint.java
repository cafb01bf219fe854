package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
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

        StatusSections.putConnections(view, body);

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
        return StatusSections.okWithCluster(view, body);
    }
}
