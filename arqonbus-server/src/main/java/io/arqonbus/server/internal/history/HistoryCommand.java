package io.arqonbus.server.internal.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * {@code history {room, channel?, limit=50, since?, reverse=false}}: the last {@code limit} messages
 * of a channel, or of every stream of a room, oldest first ({@code reverse}: newest first). With
 * {@code since} (an offset; needs a channel) the messages after that offset instead: the oldest
 * {@code limit} of them, or with {@code reverse} the newest {@code limit}.
 */
final class HistoryCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("history",
            "Recent messages of a room or room:channel, oldest first; args {room, channel?, limit=50, since? (offset), "
                    + "reverse=false}");

    /** The default {@code limit}: {@value}. */
    static final int DEFAULT_LIMIT = 50;

    private final HistoryStore store;
    private final HistoryAccess access;
    private final HistoryReaders readers;
    private final int maxLimit;
    private final long replyBudget;

    HistoryCommand(HistoryStore store, HistoryAccess access, HistoryReaders readers, int maxLimit, long replyBudget) {
        this.store = store;
        this.access = access;
        this.readers = readers;
        this.maxLimit = maxLimit;
        this.replyBudget = replyBudget;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public boolean answersOffLoop() {
        return true;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        // Arguments first, then the lookup: a bad argument is VALIDATION_ERROR even for an unknown room.
        context.requiredRoom();
        int limit = context.optionalInt("limit", DEFAULT_LIMIT, 1, maxLimit);
        boolean reverse = context.optionalBoolean("reverse", false);
        long since = context.optionalLong("since", -1, 0, Long.MAX_VALUE);
        if (since >= 0 && context.optionalChannel() == null) {
            throw CommandException.validation("'since' needs a channel");
        }
        HistoryScope scope = HistoryScope.ofRoom(context, access);
        readers.admit(context.session());
        Supplier<CompletableFuture<List<StoredMessage>>> read = since >= 0
                ? () -> store.read(ChannelKey.of(scope.room(), scope.channel()), since, limit, reverse)
                : () -> store.query(new HistoryQuery(
                        scope.room(), scope.channel(), null, null, limit, HistoryQuery.Window.LATEST, reverse));
        // The latest window ends with the newest (oldest first): a reply cut for size keeps the newest.
        boolean keepNewest = since < 0 && !reverse;
        return readers.run(read, messages -> {
            HistoryEntries.Bounded bounded = HistoryEntries.bounded(messages, replyBudget, keepNewest);
            readers.charge(context.session(), HistoryReaders.bytes(bounded.messages()));
            return answer(context, scope, limit, bounded);
        });
    }

    private static CommandResult answer(CommandContext context, HistoryScope scope, int limit,
            HistoryEntries.Bounded bounded) {
        List<StoredMessage> messages = bounded.messages();
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
        if (bounded.truncated()) {
            data.put("truncated", true);
        }
        String where = scope.channel() == null ? scope.room() : scope.room() + ":" + scope.channel();
        return new CommandResult(history.size() + " message(s) from " + where, data);
    }
}
