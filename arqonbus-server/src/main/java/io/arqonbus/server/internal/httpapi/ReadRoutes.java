package io.arqonbus.server.internal.httpapi;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.ApiScope;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryEntries;
import io.arqonbus.server.internal.history.HistoryQuery;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.http.BusView;
import io.arqonbus.server.internal.http.HttpAnswer;
import io.arqonbus.server.internal.http.StatusSections;
import io.arqonbus.server.internal.hub.ChannelInfo;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.RoomInfo;
import io.arqonbus.server.internal.presence.Presence;
import io.arqonbus.server.internal.presence.PresenceException;
import io.arqonbus.server.internal.presence.PresenceJson;
import io.arqonbus.server.internal.presence.Viewer;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** {@code GET /api/history}, {@code /api/presence}, {@code /api/channels} and {@code /api/info} (scope {@code read}). */
final class ReadRoutes {
    /** The default {@code limit} of a history read: {@value}. */
    static final int DEFAULT_LIMIT = 50;

    private final Hub hub;
    private final HistoryStore history;
    private final Presence presence;
    private final BusView view;
    private final int maxLimit;
    private final long replyBudget;
    private final ChannelRates rates = new ChannelRates();

    ReadRoutes(Hub hub, HistoryStore history, Presence presence, BusView view, int maxLimit, long replyBudget) {
        this.hub = hub;
        this.history = history;
        this.presence = presence;
        this.view = view;
        this.maxLimit = maxLimit;
        this.replyBudget = replyBudget;
    }

    List<ApiRoute> routes() {
        return List.of(
                ApiRoute.get("/api/history", ApiScope.READ, this::history),
                ApiRoute.get("/api/presence", ApiScope.READ, this::presence),
                ApiRoute.get("/api/channels", ApiScope.READ, this::channels),
                ApiRoute.get("/api/info", ApiScope.READ, this::info));
    }

    /**
     * The history of a channel or a room, as the {@code history} command answers it: {@code room, channel,
     * history, count, limit, truncated?}. A private channel's history (or a room holding one) is for admins.
     */
    private CompletionStage<HttpAnswer> history(ApiRequest request) throws ApiException {
        String room = request.queryName("room");
        String channel = request.optionalQueryName("channel");
        request.caller().checkReaches(room);
        int limit = (int) request.queryLong("limit", DEFAULT_LIMIT, 1, maxLimit);
        long since = request.queryLong("since", -1, 0, Long.MAX_VALUE);
        boolean reverse = request.queryFlag("reverse");
        if (since >= 0 && channel == null) {
            throw ApiException.validation("'since' needs a channel");
        }
        checkReadable(request.caller(), room, channel);
        CompletableFuture<List<StoredMessage>> read = since >= 0
                ? history.read(ChannelKey.of(room, channel), since, limit, reverse)
                : history.query(new HistoryQuery(room, channel, null, null, limit, HistoryQuery.Window.LATEST,
                        reverse));
        boolean keepNewest = since < 0 && !reverse;
        return read.handle((messages, error) -> {
            if (error != null) {
                throw new CompletionException(ApiException.of(ErrorCode.STORAGE_UNAVAILABLE,
                        "History could not be read: " + Failures.unwrap(error).getMessage()));
            }
            HistoryEntries.Bounded bounded = HistoryEntries.bounded(messages, replyBudget, keepNewest);
            ObjectNode body = HttpAnswer.object();
            body.put("room", room);
            body.put("channel", channel);
            ArrayNode entries = HistoryEntries.builtin(bounded.messages());
            body.set("history", entries);
            body.put("count", entries.size());
            body.put("limit", limit);
            if (bounded.truncated()) {
                body.put("truncated", true);
            }
            return HttpAnswer.json(HttpResponseStatus.OK, body);
        });
    }

    private void checkReadable(ApiCaller caller, String room, String channel) throws ApiException {
        RoomInfo found = hub.room(room);
        if (found == null) {
            throw ApiException.of(ErrorCode.NOT_FOUND, "Room '" + room + "' not found");
        }
        boolean admin = caller.scope() == ApiScope.ADMIN;
        if (channel != null) {
            ChannelInfo one = found.channel(channel);
            if (one == null) {
                throw ApiException.of(ErrorCode.NOT_FOUND, "Channel '" + channel + "' not found in room '" + room + "'");
            }
            if (one.isPrivate() && !admin) {
                throw ApiException.forbidden("Channel " + room + ":" + channel + " is private: its history is for "
                        + "admin callers");
            }
        } else if (!admin && found.channels().stream().anyMatch(ChannelInfo::isPrivate)) {
            throw ApiException.forbidden("Room '" + room + "' holds a private channel: its whole history is for "
                    + "admin callers");
        }
    }

    /** The {@code presence} command's data for a room or channel, tenant-confined like the bus port's. */
    private CompletionStage<HttpAnswer> presence(ApiRequest request) throws ApiException {
        String room = request.queryName("room");
        String channel = request.optionalQueryName("channel");
        request.caller().checkReaches(room);
        try {
            return presence.of(room, channel, new Viewer(null, request.caller().principal(), Grants.ALL))
                    .thenApply(snapshot -> HttpAnswer.json(HttpResponseStatus.OK, PresenceJson.of(snapshot)));
        } catch (PresenceException e) {
            throw ApiException.of(e.code(), e.getMessage());
        }
    }

    /**
     * Every channel the caller reaches (or those of {@code ?room=}): members, privacy, type, creation,
     * position and publications a second ({@link ChannelRates}), with totals.
     */
    private CompletionStage<HttpAnswer> channels(ApiRequest request) throws ApiException {
        String onlyRoom = request.optionalQueryName("room");
        ObjectNode body = HttpAnswer.object();
        ArrayNode list = body.putArray("channels");
        long now = System.nanoTime();
        int members = 0;
        for (RoomInfo room : hub.rooms()) {
            if (!request.caller().reaches(room.name()) || onlyRoom != null && !onlyRoom.equals(room.name())) {
                continue;
            }
            for (ChannelInfo channel : room.channels()) {
                ObjectNode row = list.addObject();
                row.put("room", room.name());
                row.put("channel", channel.key().channel());
                row.put("members", channel.memberCount());
                row.put("private", channel.isPrivate());
                row.put("type", channel.type());
                row.put("created_at", Timestamps.format(channel.createdAt()));
                row.put("created_by", channel.createdBy());
                row.put("epoch", channel.epoch());
                row.put("last_offset", channel.lastOffset());
                row.put("rate_per_second", rates.rate(channel.key(), channel.lastOffset(), now));
                members += channel.memberCount();
            }
        }
        body.put("count", list.size());
        body.put("members", members);
        body.put("timestamp", Timestamps.format(view.now()));
        return CompletableFuture.completedFuture(HttpAnswer.json(HttpResponseStatus.OK, body));
    }

    /**
     * This node with its connections by client type, rooms, channels and message totals, as
     * {@code /status} counts them, and in cluster mode the cluster's nodes with their client counts
     * and last heartbeats (as {@code /status}'s {@code cluster}). Not for tenant keys: the counts
     * span every tenant.
     */
    private CompletionStage<HttpAnswer> info(ApiRequest request) throws ApiException {
        if (request.caller().tenant() != null) {
            throw ApiException.forbidden("/api/info counts every tenant's connections: it needs a key without a "
                    + "tenant");
        }
        ObjectNode body = HttpAnswer.object();
        ObjectNode node = body.putArray("nodes").addObject();
        node.put("name", view.httpUrl());
        node.put("version", view.info().version());
        node.put("status", view.readiness().name().toLowerCase(java.util.Locale.ROOT));
        node.put("uptime_seconds", view.uptimeSeconds());
        node.put("websocket", view.websocketUrl());
        StatusSections.putConnections(view, node);
        node.put("rooms", view.rooms());
        node.put("channels", view.channels());
        ObjectNode messages = node.putObject("messages");
        messages.put("published", view.publishedTotal());
        messages.put("received", view.receivedTotal());
        messages.put("delivered", view.deliveredTotal());
        ObjectNode storage = node.putObject("storage");
        storage.put("backend", view.storageBackend());
        storage.put("history_size", view.historySize());
        body.put("connections", view.activeClients());
        body.put("scope", request.caller().scope().wireName());
        body.put("timestamp", Timestamps.format(view.now()));
        return StatusSections.okWithCluster(view, body);
    }
}
