package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.StoredMessage;
import io.arqonbus.server.internal.session.Session;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;

/**
 * {@code join_channel {room, channel, recover?: {offset, epoch}}}: joins, creating the channel when
 * it does not exist. With {@code recover}, the publications missed since that position follow the
 * reply, in order, before any live one — or the reply says {@code recovered: false} and nothing
 * partial is sent (protocol §12).
 */
final class JoinChannelCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("join_channel",
            "Join room:channel (created if it does not exist); args {room, channel} or {room:\"r:c\"}, "
                    + "recover? {offset, epoch}");

    /** How long a join with a position waits for a channel new to this node to learn the cluster's head. */
    private static final Duration SYNC_WAIT = Duration.ofSeconds(5);

    private final Hub hub;
    private final ConnectionLifecycle lifecycle;
    private final SharedRecoveryReads recoveryReads;
    private final int maxChannels;
    private final int recoveryMaxMessages;
    private final long recoveryMaxBytes;

    /**
     * @param maxChannels         how many channels a connection may be a member of
     * @param recoveryMaxMessages the most publications one recovery sends
     * @param recoveryMaxBytes    the most bytes of stored JSON one recovery sends
     */
    JoinChannelCommand(Hub hub, ConnectionLifecycle lifecycle, HistoryStore history, int maxChannels,
            int recoveryMaxMessages, long recoveryMaxBytes) {
        this.hub = hub;
        this.lifecycle = lifecycle;
        this.recoveryReads = new SharedRecoveryReads(history);
        this.maxChannels = maxChannels;
        this.recoveryMaxMessages = recoveryMaxMessages;
        this.recoveryMaxBytes = recoveryMaxBytes;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        StreamPosition recover = recoverArg(context);
        Session session = context.session();
        if (!session.grants().allows(ChannelAction.SUBSCRIBE, key)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Not allowed to subscribe to " + key);
        }
        if (!hub.admits(session, key)) {
            throw new CommandException(ErrorCode.AUTHORIZATION_ERROR, "Channel " + key
                    + " is private and does not list this client");
        }
        if (!session.memberships().contains(key) && session.memberships().size() >= maxChannels) {
            throw new CommandException(ErrorCode.MAX_SUBSCRIBERS, "This connection is already a member of "
                    + maxChannels + " channels (ARQONBUS_MAX_CHANNELS_PER_CONNECTION); leave one first");
        }
        Hub.Synced synced;
        try {
            synced = hub.synced(session, key);
        } catch (ChannelRefusedException e) {
            throw new CommandException(e.code(), e.getMessage());
        }
        boolean made = synced.created();
        if (synced.ready().isDone()) {
            return join(context, key, recover, session, made);
        }
        // In a cluster, a channel new to this node first subscribes to the shared stream and learns
        // its head (bounded wait): the reply's position is then one from which this node delivers
        // every later publication, whichever node accepts it.
        return synced.ready().copy().completeOnTimeout(null, SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> null)
                .thenComposeAsync(v -> {
                    try {
                        return join(context, key, recover, session, made);
                    } catch (CommandException e) {
                        return CompletableFuture.failedFuture(e);
                    }
                }, session.loop().loop());
    }

    /** @param made whether the channel was made for this join before it (in a cluster, while syncing) */
    private CompletableFuture<CommandResult> join(CommandContext context, ChannelKey key, StreamPosition recover,
            Session session, boolean made) throws CommandException {
        ConnectionLifecycle.Joined joined;
        try {
            joined = lifecycle.joinCounted(session, key, recover, recoveryMaxMessages, made);
        } catch (ChannelRefusedException e) {
            throw new CommandException(e.code(), e.getMessage());
        }
        // member_count is the channel's on every node: a cluster's directory answers it
        return joined.memberCount().thenCombine(answer(context, key, recover, session, joined.result(), made),
                (count, reply) -> {
                    reply.data().put("member_count", count);
                    return reply;
                });
    }

    private CompletableFuture<CommandResult> answer(CommandContext context, ChannelKey key, StreamPosition recover,
            Session session, JoinResult result, boolean made) {
        StreamPosition now = result.position();
        ObjectNode data = context.object();
        data.put("room", key.room());
        data.put("channel", key.channel());
        data.put("member_count", result.memberCount());
        data.put("created", result.created() || made);
        data.put("offset", now.offset());
        data.put("epoch", now.epoch());
        if (recover == null) {
            return CompletableFuture.completedFuture(new CommandResult("Joined " + key, data));
        }
        long missed = now.offset() - recover.offset();
        data.put("missed", missed);
        if (!result.recovering()) {
            boolean upToDate = missed == 0 && recover.epoch().equals(now.epoch());
            data.put("recovered", upToDate);
            return CompletableFuture.completedFuture(new CommandResult("Joined " + key, data));
        }
        return recoveryReads.read(key, recover.offset(), (int) missed)
                .handle((messages, error) -> {
                    // Whole or not at all: a recovery past half the output budget would close the
                    // connection as a slow consumer, so it is refused like one past the count bound.
                    boolean complete = error == null && covers(messages, recover.offset(), now.offset())
                            && bytes(messages) <= recoveryMaxBytes;
                    data.put("recovered", complete);
                    List<byte[]> replay = complete ? messages.stream().map(StoredMessage::json).toList() : List.of();
                    String message = complete ? "Joined " + key + ", recovered " + missed
                            : "Joined " + key + ", could not recover";
                    return new CommandResult(message, data, () -> hub.finishRecovery(session, key, replay));
                });
    }

    private static long bytes(List<StoredMessage> messages) {
        long total = 0;
        for (StoredMessage m : messages) {
            total += m.json().length;
        }
        return total;
    }

    /** Whether the read holds exactly the offsets {@code after + 1 … upTo}. */
    private static boolean covers(List<StoredMessage> messages, long after, long upTo) {
        if (messages.size() != upTo - after) {
            return false;
        }
        long expected = after + 1;
        for (StoredMessage m : messages) {
            if (m.offset() != expected++) {
                return false;
            }
        }
        return true;
    }

    private static StreamPosition recoverArg(CommandContext context) throws CommandException {
        JsonNode recover = context.args().get("recover");
        if (recover == null || recover.isNull()) {
            return null;
        }
        if (!recover.isObject()) {
            throw CommandException.validation("'recover' must be an object {offset, epoch}");
        }
        JsonNode offset = recover.get("offset");
        JsonNode epoch = recover.get("epoch");
        if (offset == null || !offset.isIntegralNumber() || !offset.canConvertToLong() || offset.asLong() < 0) {
            throw CommandException.validation("'recover.offset' must be a whole number >= 0");
        }
        if (epoch == null || !epoch.isTextual()) {
            throw CommandException.validation("'recover.epoch' must be a string");
        }
        return new StreamPosition(offset.asLong(), epoch.asText());
    }
}
