package io.arqonbus.server.internal.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.Command;
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

/**
 * {@code status}: server, clients, rooms, channels, messages and storage. Reads counters and
 * walks the live sessions once (bounded by the connection limit).
 */
final class StatusCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("status",
            "Server status: uptime, version, clients by type, rooms, channels, messages, storage");

    private final Clock clock;
    private final ServerInfo info;
    private final SessionRegistry sessions;
    private final Hub hub;
    private final HistoryStore history;

    StatusCommand(Clock clock, ServerInfo info, SessionRegistry sessions, Hub hub, HistoryStore history) {
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
    public CommandResult execute(CommandContext context) {
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
        return new CommandResult("Server status retrieved", data);
    }
}
