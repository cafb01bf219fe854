package io.arqonbus.server.command.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.command.Command;
import io.arqonbus.server.command.CommandContext;
import io.arqonbus.server.command.CommandException;
import io.arqonbus.server.command.CommandResult;
import io.arqonbus.server.history.HistoryQuery;
import io.arqonbus.server.history.StoredMessage;
import java.util.List;

/**
 * {@code history {room, channel?, limit=50}}: the last {@code limit} messages of a channel, or of
 * every stream of a room, oldest first.
 */
final class HistoryCommand implements Command {
    /** The default {@code limit}: {@value}. */
    static final int DEFAULT_LIMIT = 50;

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String description() {
        return "Recent messages of a room or room:channel, oldest first; args {room, channel?, limit=50}";
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        HistoryScope scope = HistoryScope.ofRoom(context);
        int limit = context.optionalInt("limit", DEFAULT_LIMIT, 1, context.services().config().maxHistoryLimit());
        List<StoredMessage> messages = context.services().history().query(new HistoryQuery(
                scope.room(), scope.channel(), null, null, limit, HistoryQuery.Window.LATEST, false));
        ObjectNode data = context.object();
        data.put("room", scope.room());
        if (scope.channel() != null) {
            data.put("channel", scope.channel());
        } else {
            data.putNull("channel");
        }
        ArrayNode history = HistoryEntries.builtin(messages);
        data.set("history", history);
        data.put("count", history.size());
        data.put("limit", limit);
        String where = scope.channel() == null ? scope.room() : scope.room() + ":" + scope.channel();
        return new CommandResult(history.size() + " message(s) from " + where, data);
    }
}
