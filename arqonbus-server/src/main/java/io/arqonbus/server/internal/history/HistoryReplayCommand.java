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
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The original's {@code history.replay} (alias {@code op.history.replay}) {@code {from_ts, to_ts,
 * room?, channel?, limit=1000, strict_sequence=true}}: the first {@code limit} stored envelopes of
 * {@code [from_ts, to_ts)}, oldest first. With {@code strict_sequence} they come in store order
 * (each channel's offsets ascending); without, by the envelopes' own timestamps.
 */
final class HistoryReplayCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("history.replay",
            "Stored envelopes of [from_ts, to_ts), oldest first; args {from_ts, to_ts, room (admins may omit), "
                    + "channel?, limit=1000, strict_sequence=true}")
            .alsoNamed("op.history.replay");

    /** The default {@code limit}: {@value}. */
    static final int DEFAULT_LIMIT = 1000;
    /** The largest {@code limit}: {@value}. */
    static final int MAX_LIMIT = 5000;

    private final HistoryStore store;
    private final HistoryAccess access;
    private final HistoryReaders readers;
    private final EnvelopeCodec codec;
    private final long replyBudget;

    HistoryReplayCommand(HistoryStore store, HistoryAccess access, HistoryReaders readers, EnvelopeCodec codec,
            long replyBudget) {
        this.store = store;
        this.access = access;
        this.readers = readers;
        this.codec = codec;
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
        long started = System.nanoTime();
        Instant from = requiredInstant(context, "from_ts");
        Instant to = requiredInstant(context, "to_ts");
        if (to.isBefore(from)) {
            throw CommandException.validation("'to_ts' must not be before 'from_ts'");
        }
        int limit = context.optionalInt("limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        boolean strict = context.optionalBoolean("strict_sequence", true);
        // Arguments first, then the lookup: a bad argument is VALIDATION_ERROR even for an unknown room.
        HistoryScope scope = HistoryScope.ofRoomUnlessAdmin(context, access);
        readers.admit(context.session());
        return readers.run(() -> store.query(new HistoryQuery(
                scope.room(), scope.channel(), from, to, limit, HistoryQuery.Window.EARLIEST, false)),
                read -> {
                    List<StoredMessage> messages = strict ? read : byEnvelopeTime(read);
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
                    HistoryGetCommand.putScope(data, scope);
                    HistoryGetCommand.putInstant(data, "since", from);
                    HistoryGetCommand.putInstant(data, "until", to);
                    data.put("limit", limit);
                    data.put("strict_sequence", strict);
                    data.put("latency_ms", (System.nanoTime() - started) / 1_000_000.0);
                    return new CommandResult("History replayed", data);
                });
    }

    private static Instant requiredInstant(CommandContext context, String name) throws CommandException {
        Instant value = context.optionalInstant(name);
        if (value == null) {
            throw CommandException.validation("'" + name + "' is required");
        }
        return value;
    }

    /** Re-orders (at most the limit of) messages by their envelopes' timestamps, stably. */
    private static List<StoredMessage> byEnvelopeTime(List<StoredMessage> messages) {
        record Timed(Instant at, StoredMessage message) {
        }
        List<Timed> timed = new ArrayList<>(messages.size());
        for (StoredMessage m : messages) {
            Instant at;
            try {
                at = Timestamps.parse(m.envelope().timestamp());
            } catch (DateTimeParseException e) {
                at = m.storedAt();
            }
            timed.add(new Timed(at, m));
        }
        timed.sort(Comparator.comparing(Timed::at));
        return timed.stream().map(Timed::message).toList();
    }
}
