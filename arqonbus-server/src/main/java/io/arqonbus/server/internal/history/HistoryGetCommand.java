package io.arqonbus.server.internal.history;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * The original's {@code history.get} (alias {@code op.history.get}) {@code {room?, channel?,
 * limit=100, since?, until?}}: stored envelopes, most recent first. The room may be left out by
 * admins only.
 */
final class HistoryGetCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("history.get",
            "Stored envelopes, newest first; args {room (admins may omit), channel?, limit=100, since?, until?}")
            .alsoNamed("op.history.get");

    /** The default {@code limit}: {@value}. */
    static final int DEFAULT_LIMIT = 100;

    private final HistoryStore store;
    private final HistoryAccess access;
    private final HistoryReaders readers;
    private final EnvelopeCodec codec;
    private final int maxLimit;
    private final long replyBudget;

    HistoryGetCommand(HistoryStore store, HistoryAccess access, HistoryReaders readers, EnvelopeCodec codec,
            int maxLimit, long replyBudget) {
        this.store = store;
        this.access = access;
        this.readers = readers;
        this.codec = codec;
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
        int limit = context.optionalInt("limit", DEFAULT_LIMIT, 1, maxLimit);
        Instant since = context.optionalInstant("since");
        Instant until = context.optionalInstant("until");
        if (since != null && until != null && until.isBefore(since)) {
            throw CommandException.validation("'until' must not be before 'since'");
        }
        HistoryScope scope = HistoryScope.ofRoomUnlessAdmin(context, access);
        readers.admit(context.session());
        return readers.run(() -> store.query(new HistoryQuery(
                scope.room(), scope.channel(), since, until, limit, HistoryQuery.Window.LATEST, true)),
                messages -> {
                    HistoryEntries.Bounded bounded = HistoryEntries.bounded(messages,
                            replyBudget, false);
                    readers.charge(context.session(), HistoryReaders.bytes(bounded.messages()));
                    ArrayNode entries = HistoryEntries.operator(bounded.messages(), codec,
                            store.backend());
                    ObjectNode data = context.object();
                    data.set("entries", entries);
                    data.put("count", entries.size());
                    if (bounded.truncated()) {
                        data.put("truncated", true);
                    }
                    putScope(data, scope);
                    putInstant(data, "since", since);
                    putInstant(data, "until", until);
                    data.put("limit", limit);
                    return new CommandResult("History retrieved", data);
                });
    }

    static void putScope(ObjectNode data, HistoryScope scope) {
        if (scope.room() != null) {
            data.put("room", scope.room());
        } else {
            data.putNull("room");
        }
        if (scope.channel() != null) {
            data.put("channel", scope.channel());
        } else {
            data.putNull("channel");
        }
    }

    static void putInstant(ObjectNode data, String field, Instant value) {
        if (value != null) {
            data.put(field, Timestamps.format(value));
        } else {
            data.putNull(field);
        }
    }
}
