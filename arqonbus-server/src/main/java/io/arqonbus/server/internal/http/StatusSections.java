package io.arqonbus.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Parts of a status answer that {@code /status} and {@code /api/info} write alike. */
public final class StatusSections {
    private StatusSections() {
    }

    /** {@code "connections":{"active","websocket","telemetry","by_type":{…}}} under {@code parent}. */
    public static void putConnections(BusView view, ObjectNode parent) {
        ObjectNode connections = parent.putObject("connections");
        connections.put("active", view.activeClients());
        connections.put("websocket", view.websocketConnections());
        connections.put("telemetry", view.telemetryConnections());
        ObjectNode byType = connections.putObject("by_type");
        for (Map.Entry<String, Integer> entry : view.clientsByType().entrySet()) {
            byType.put(entry.getKey(), entry.getValue());
        }
    }

    /**
     * 200 with {@code body}; in cluster mode once the cluster's registry is read, with its nodes and
     * their clients' total under {@code "cluster"} (or the reason it could not be read there).
     */
    public static CompletionStage<HttpAnswer> okWithCluster(BusView view, ObjectNode body) {
        CompletionStage<ObjectNode> cluster = view.cluster();
        if (cluster == null) {
            return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
        }
        return cluster.handle((nodes, error) -> {
            if (nodes != null) {
                long clients = 0;
                for (com.fasterxml.jackson.databind.JsonNode node : nodes.path("nodes")) {
                    clients += node.path("clients").asLong();
                }
                nodes.put("clients", clients);
                body.set("cluster", nodes);
            } else {
                body.putObject("cluster").put("error", "the cluster's registry could not be read: "
                        + error.getMessage());
            }
            return HttpAnswer.json(HttpResponseStatus.OK, body);
        });
    }
}
