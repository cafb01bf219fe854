package io.arqonbus.server.internal.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.status.ServerInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code status}: server, clients, rooms, channels, messages and storage. Reads counters and
 * walks the live sessions once (bounded by the connection limit). In cluster mode it adds the
 * cluster's nodes as {@code GET /status} shows them ({@code "cluster":{"node","nodes":[…],"clients"}}),
 * read from Redis in one step.
 */
final class StatusCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("status",
            "Server status: uptime, version, clients by type, rooms, channels, messages, storage");

    private final Clock clock;
    private final ServerInfo info;
    private final SessionRegistry sessions;
    private final Hub hub;
    private final HistoryStore history;
    private final Supplier<CompletionStage<ObjectNode>> cluster;

    StatusCommand(Clock clock, ServerInfo info, SessionRegistry sessions, Hub hub, HistoryStore history,
            Supplier<CompletionStage<ObjectNode>> cluster) {
        this.cluster = cluster;
        this.clock = clock;
        this.info = info;
        this.sessions = sessions;
        this.hub = hub;
        this.history = history;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) {
        Instant now = clock.instant();
        ObjectNode data = context.object();

        ObjectNode server = data.putObject("server");
        server.put("status", "running");
        server.put("uptime_seconds", info.uptimeSeconds(clock));
        server.put("version", info.version());

        ObjectNode clients = data.putObject("clients");
        int total = 0;
        int active = 0;
        for (Session session : sessions.all()) {
            total++;
            if (session.isOpen()) {
                active++;
            }
        }
        clients.put("total", total);
        clients.put("active", active);
        ObjectNode byType = clients.putObject("by_type");
        for (Map.Entry<String, Integer> entry : sessions.countByType().entrySet()) {
            byType.put(entry.getKey(), entry.getValue());
        }

        data.put("rooms", hub.roomCount());
        data.put("channels", hub.channelCount());
        data.put("total_messages", hub.publicationCount());
        ObjectNode storage = data.putObject("storage");
        storage.put("backend", history.backend());
        storage.put("messages", history.size());
        data.put("timestamp", Timestamps.format(now));
        CommandResult result = new CommandResult("Server status retrieved", data);
        CompletionStage<ObjectNode> nodes = cluster.get();
        if (nodes == null) {
            return CompletableFuture.completedFuture(result);
        }
        return nodes.handle((found, error) -> {
            if (found != null) {
                data.set("cluster", withClientTotal(found));
            } else {
                data.putObject("cluster").put("error", "the cluster's registry could not be read: "
                        + error.getMessage());
            }
            return result;
        }).toCompletableFuture();
    }

    /** Adds {@code "clients"}: the clients of every live node. */
    static ObjectNode withClientTotal(ObjectNode cluster) {
        long total = 0;
        for (com.fasterxml.jackson.databind.JsonNode node : cluster.path("nodes")) {
            total += node.path("clients").asLong();
        }
        cluster.put("clients", total);
        return cluster;
    }
}
