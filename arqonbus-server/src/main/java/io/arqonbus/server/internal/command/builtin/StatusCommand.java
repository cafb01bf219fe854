package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandServices;
import io.arqonbus.server.internal.session.Session;
import java.time.Instant;
import java.util.Map;

/**
 * {@code status}: server, clients, rooms, channels, messages and storage. Reads counters and
 * walks the live sessions once (bounded by the connection limit).
 */
final class StatusCommand implements Command {
    @Override
    public String name() {
        return "status";
    }

    @Override
    public String description() {
        return "Server status: uptime, version, clients by type, rooms, channels, messages, storage";
    }

    @Override
    public CommandResult execute(CommandContext context) {
        CommandServices services = context.services();
        Instant now = services.clock().instant();
        ObjectNode data = context.object();

        ObjectNode server = data.putObject("server");
        server.put("status", "running");
        server.put("uptime_seconds", services.info().uptimeSeconds(services.clock()));
        server.put("version", services.info().version());

        ObjectNode clients = data.putObject("clients");
        int total = 0;
        int active = 0;
        for (Session session : services.sessions().all()) {
            total++;
            if (session.isOpen()) {
                active++;
            }
        }
        clients.put("total", total);
        clients.put("active", active);
        ObjectNode byType = clients.putObject("by_type");
        for (Map.Entry<String, Integer> entry : services.sessions().countByType().entrySet()) {
            byType.put(entry.getKey(), entry.getValue());
        }

        data.put("rooms", services.hub().roomCount());
        data.put("channels", services.hub().channelCount());
        data.put("total_messages", services.hub().publicationCount());
        ObjectNode storage = data.putObject("storage");
        storage.put("backend", services.history().backend());
        storage.put("messages", services.history().size());
        data.put("timestamp", Timestamps.format(now));
        return new CommandResult("Server status retrieved", data);
    }
}
