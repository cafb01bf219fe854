package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@code POST /api/publish}, {@code POST /api/broadcast} and {@code POST /api/send} (scope {@code publish}). */
final class PublishRoutes {
    /** The most client ids one send may name: {@value}. */
    static final int MAX_TARGETS = 1_000;

    private final ApiPublisher publisher;
    private final Hub hub;
    private final SessionRegistry sessions;

    PublishRoutes(ApiPublisher publisher, Hub hub, SessionRegistry sessions) {
        this.publisher = publisher;
        this.hub = hub;
        this.sessions = sessions;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/publish", ApiScope.PUBLISH, this::publish),
                ApiRoute.post("/api/broadcast", ApiScope.PUBLISH, this::broadcast),
                ApiRoute.post("/api/send", ApiScope.PUBLISH, this::send));
    }

    private CompletionStage<HttpAnswer> publish(ApiRequest request) throws ApiException {
        return publisher.publish(request.caller(), request.name("room"), request.name("channel"), request.requireBody(),
                        request.call().headers())
                .thenApply(result -> HttpAnswer.json(HttpResponseStatus.OK, result));
    }

    /** One publication per channel; each result is the publish answer or an {@code error}, in the order asked. */
    private CompletionStage<HttpAnswer> broadcast(ApiRequest request) throws ApiException {
        String room = request.name("room");
        List<String> channels = ApiPublisher.channels(request.requireBody());
        List<CompletableFuture<ObjectNode>> results = new ArrayList<>();
        for (String channel : channels) {
            CompletableFuture<ObjectNode> one;
            try {
                one = publisher.publish(request.caller(), room, channel, request.body(), request.call().headers());
            } catch (ApiException e) {
                one = CompletableFuture.failedFuture(e);
            }
            results.add(one.handle((ok, error) -> {
                ObjectNode row = HttpAnswer.object();
                row.put("channel", channel);
                if (error == null) {
                    row.setAll(ok);
                } else {
                    Throwable cause = Failures.unwrap(error);
                    row.set("error", cause instanceof ApiException refused ? refused.errorJson()
                            : ApiException.of(ErrorCode.INTERNAL_ERROR, String.valueOf(cause.getMessage())).errorJson());
                }
                return row;
            }));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(done -> {
            ObjectNode body = HttpAnswer.object();
            body.put("room", room);
            ArrayNode rows = body.putArray("results");
            results.forEach(r -> rows.add(r.join()));
            return HttpAnswer.json(HttpResponseStatus.OK, body);
        });
    }

    /**
     * A private message ({@code type: private}) to the listed client ids, inspected by CASIL as on the bus
     * port; a tenant key reaches its tenant's clients only (another tenant's client is reported missing, as
     * on the bus port). 200 with {@code delivered} and {@code missing}; 404 when nobody was reached.
     */
    private CompletionStage<HttpAnswer> send(ApiRequest request) throws ApiException {
        ObjectNode body = request.requireBody();
        JsonNode to = body.get("to");
        if (to == null || !to.isArray() || to.isEmpty() || to.size() > MAX_TARGETS) {
            throw ApiException.validation("'to' must be a list of 1 to " + MAX_TARGETS + " client ids");
        }
        ObjectNode frame = HttpAnswer.object();
        frame.put("type", "private");
        frame.set("to", to);
        ApiPublisher.copy(body, "payload", frame, "payload");
        Envelope envelope = publisher.inspect(request.caller(),
                publisher.decode(frame).withSender(request.caller().senderId()));
        List<Session> found = new ArrayList<>();
        ArrayNode delivered = HttpAnswer.object().arrayNode();
        ArrayNode missing = HttpAnswer.object().arrayNode();
        for (String id : new LinkedHashSet<>(envelope.to())) {
            Session target = sessions.find(id);
            if (target == null || !target.isOpen() || !request.caller().sees(target.principal())) {
                missing.add(id);
            } else {
                found.add(target);
                delivered.add(id);
            }
        }
        if (found.isEmpty()) {
            ObjectNode extra = HttpAnswer.object();
            extra.set("missing", missing);
            throw ApiException.of(ErrorCode.NOT_FOUND, "Unknown or offline target client"
                    + (missing.size() > 1 ? "s" : ""), List.of(), extra);
        }
        hub.sendTo(found, envelope);
        ObjectNode answer = HttpAnswer.object();
        answer.put("id", envelope.id());
        answer.set("delivered", delivered);
        answer.set("missing", missing);
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, answer));
    }
}
