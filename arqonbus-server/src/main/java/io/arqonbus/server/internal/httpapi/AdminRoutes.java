package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.arqonbus.server.internal.hub.ChannelInfo;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.JoinResult;
import io.arqonbus.server.internal.inspect.CasilCommands;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryEvent;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scope {@code admin}: {@code POST /api/disconnect}, {@code POST /api/channels} (create),
 * {@code DELETE /api/channels} (delete) and {@code POST /api/casil/reload}.
 */
final class AdminRoutes {
    private static final Logger log = LoggerFactory.getLogger(AdminRoutes.class);
    private static final int MAX_REASON_BYTES = 123;
    private static final int MAX_ADMITTED = 1_000;
    private static final java.util.regex.Pattern MEMBER = java.util.regex.Pattern.compile("[^\\s\\p{Cntrl}]{1,128}");

    private final Hub hub;
    private final SessionRegistry sessions;
    private final Disconnector disconnector;
    private final CasilPolicyHolder casil;
    private final TelemetryHub telemetry;

    AdminRoutes(Hub hub, SessionRegistry sessions, Disconnector disconnector, CasilPolicyHolder casil,
            TelemetryHub telemetry) {
        this.hub = hub;
        this.sessions = sessions;
        this.disconnector = disconnector;
        this.casil = casil;
        this.telemetry = telemetry;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.post("/api/disconnect", ApiScope.ADMIN, this::disconnect),
                ApiRoute.post("/api/channels", ApiScope.ADMIN, this::create),
                ApiRoute.delete("/api/channels", ApiScope.ADMIN, this::delete),
                ApiRoute.post("/api/casil/reload", ApiScope.ADMIN, this::reloadCasil));
    }

    /**
     * Closes the connection of {@code client_id}, or every connection of the token subject {@code subject},
     * with {@code code} (4000-4999, default {@value CloseCodes#DISCONNECTED}) and {@code reason}; a tenant key
     * reaches its tenant's clients only. 404 when nobody matched.
     */
    private CompletionStage<HttpAnswer> disconnect(ApiRequest request) throws ApiException {
        String clientId = request.optionalText("client_id");
        String subject = request.optionalText("subject");
        if ((clientId == null) == (subject == null)) {
            throw ApiException.validation("give exactly one of 'client_id' and 'subject'");
        }
        JsonNode codeNode = request.requireBody().get("code");
        int code = CloseCodes.DISCONNECTED;
        if (codeNode != null && !codeNode.isNull()) {
            if (!codeNode.isInt() || codeNode.asInt() < 4000 || codeNode.asInt() > 4999) {
                throw ApiException.validation("'code' must be an integer from 4000 to 4999");
            }
            code = codeNode.asInt();
        }
        String reason = request.optionalText("reason");
        if (reason == null) {
            reason = "disconnected by an administrator";
        }
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_REASON_BYTES) {
            throw ApiException.validation("'reason' must be at most " + MAX_REASON_BYTES + " bytes of UTF-8");
        }
        List<Session> matched = new ArrayList<>();
        if (clientId != null) {
            Session one = sessions.find(clientId);
            if (one != null && request.caller().sees(one.principal())) {
                matched.add(one);
            }
        } else {
            for (Session each : sessions.all()) {
                if (subject.equals(each.principal().subject()) && request.caller().sees(each.principal())) {
                    matched.add(each);
                }
            }
        }
        if (matched.isEmpty()) {
            throw ApiException.of(ErrorCode.NOT_FOUND, clientId != null ? "No connected client '" + clientId + "'"
                    : "No connected client of subject '" + subject + "'");
        }
        ObjectNode body = HttpAnswer.object();
        ArrayNode ids = body.putArray("client_ids");
        for (Session session : matched) {
            disconnector.close(session.channel(), code, reason);
            ids.add(session.clientId());
            log.atInfo()
                    .addKeyValue("event", "api_disconnect")
                    .addKeyValue("client", session.clientId())
                    .addKeyValue("code", code)
                    .addKeyValue("by", request.caller().senderId())
                    .log("api_disconnect");
        }
        body.put("disconnected", matched.size());
        body.put("code", code);
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }

    /** Creates {@code room:channel}, private when {@code private: true} (admitting {@code members}); 201, or 409. */
    private CompletionStage<HttpAnswer> create(ApiRequest request) throws ApiException {
        String room = request.name("room");
        String channel = request.name("channel");
        request.caller().checkReaches(room);
        JsonNode isPrivate = request.requireBody().get("private");
        JsonNode members = request.requireBody().get("members");
        Set<String> admitted = null;
        if (isPrivate != null && isPrivate.asBoolean(false)) {
            admitted = new TreeSet<>();
            if (members != null && !members.isNull()) {
                if (!members.isArray() || members.size() > MAX_ADMITTED) {
                    throw ApiException.validation("'members' must be an array of at most " + MAX_ADMITTED
                            + " client ids or subjects");
                }
                for (JsonNode member : members) {
                    if (!member.isTextual() || !MEMBER.matcher(member.asText()).matches()) {
                        throw ApiException.validation("'members' must hold client ids or subjects: 1-128 printable "
                                + "characters without white space");
                    }
                    admitted.add(member.asText());
                }
            }
        } else if (members != null && !members.isNull()) {
            throw ApiException.validation("'members' needs 'private': true");
        }
        ChannelKey key = ChannelKey.of(room, channel);
        String by = request.caller().senderId();
        JoinResult result = hub.createByAdmin(key, by, admitted);
        if (!result.created()) {
            throw ApiException.of(ErrorCode.CONFLICT, "Channel '" + channel + "' already exists in room '" + room + "'");
        }
        telemetry.emit(new TelemetryEvent.ChannelCreated(room, channel, by));
        log.atInfo()
                .addKeyValue("event", "channel_created")
                .addKeyValue("room", room)
                .addKeyValue("channel", channel)
                .addKeyValue("by", by)
                .log("channel_created");
        ObjectNode body = HttpAnswer.object();
        body.put("room", room);
        body.put("channel", channel);
        body.put("created_at", Timestamps.format(result.createdAt()));
        body.put("private", admitted != null);
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.CREATED, body));
    }

    /** Deletes an empty channel ({@code ?room=&channel=}): 200, 404, or 409 with members or bootstrapped. */
    private CompletionStage<HttpAnswer> delete(ApiRequest request) throws ApiException {
        String room = request.queryName("room");
        String channel = request.queryName("channel");
        request.caller().checkReaches(room);
        ChannelKey key = ChannelKey.of(room, channel);
        ChannelInfo info = hub.channel(key);
        if (info == null) {
            throw ApiException.of(ErrorCode.NOT_FOUND, "Channel '" + channel + "' not found in room '" + room + "'");
        }
        if (info.hardcoded()) {
            throw ApiException.of(ErrorCode.CONFLICT, "Channel " + key + " is bootstrapped and cannot be deleted");
        }
        switch (hub.delete(key)) {
            case NOT_FOUND -> throw ApiException.of(ErrorCode.NOT_FOUND,
                    "Channel '" + channel + "' not found in room '" + room + "'");
            case NOT_EMPTY -> throw ApiException.of(ErrorCode.CONFLICT,
                    "Channel " + key + " has members; it can be deleted only when empty");
            case DELETED -> {
                // answered below
            }
        }
        String by = request.caller().senderId();
        telemetry.emit(new TelemetryEvent.ChannelDeleted(room, channel, by, TelemetryEvent.ChannelDeleted.DELETED));
        log.atInfo()
                .addKeyValue("event", "channel_deleted")
                .addKeyValue("room", room)
                .addKeyValue("channel", channel)
                .addKeyValue("by", by)
                .log("channel_deleted");
        ObjectNode body = HttpAnswer.object();
        body.put("room", room);
        body.put("channel", channel);
        body.put("deleted", true);
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }

    /** {@code op.casil.reload} over HTTP: the body holds the keys to change; answers the new policy. */
    private CompletionStage<HttpAnswer> reloadCasil(ApiRequest request) throws ApiException {
        ObjectNode changes = request.body() == null ? HttpAnswer.object() : request.body();
        try {
            ObjectNode policy = CasilCommands.reload(casil, telemetry, request.caller().senderId(), changes);
            ObjectNode body = HttpAnswer.object();
            body.set("policy", policy);
            return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
        } catch (CasilPolicyException e) {
            throw ApiException.of(ErrorCode.VALIDATION_ERROR, "Validation error: " + String.join("; ", e.problems()),
                    e.problems(), null);
        }
    }
}
