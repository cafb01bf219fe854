package io.arqonbus.server.internal.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.subscribe.InvalidFilterException;
import io.arqonbus.server.subscribe.SubscriptionFilter;

/**
 * {@code subscribe {filter?: {room?, channel?, sender?, types?}}} → {@code {subscriber_id, filter}}:
 * from now on the caller also receives every publication the filter matches and it may see
 * (protocol §11). {@code INVALID_FILTER} for a filter that cannot be used, {@code MAX_SUBSCRIBERS}
 * past the per-connection limit.
 */
final class SubscribeCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("subscribe",
            "Receive every publication matching a filter; args {filter: {room?, channel? (glob), sender?, "
                    + "types?: [...]}}; answers {subscriber_id}");

    private final Subscriptions subscriptions;

    SubscribeCommand(Subscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        SubscriptionFilter filter;
        try {
            filter = SubscriptionFilter.parse(context.args().get("filter"));
        } catch (InvalidFilterException e) {
            throw new CommandException(ErrorCode.INVALID_FILTER, "Invalid filter: " + e.getMessage());
        }
        Session session = context.session();
        int max = subscriptions.maxPerConnection();
        if (subscriptions.countOf(session) >= max) {
            throw new CommandException(ErrorCode.MAX_SUBSCRIBERS, "This connection already holds " + max
                    + " filtered subscriptions (ARQONBUS_MAX_SUBSCRIPTIONS_PER_CONNECTION); unsubscribe one first");
        }
        String id = subscriptions.add(session, filter);
        ObjectNode data = context.object();
        data.put("subscriber_id", id);
        data.set("filter", view(context, filter));
        return new CommandResult("Subscribed " + id, data);
    }

    /** The filter as understood: {@code {room, channel, sender, types}} with {@code null} for any. */
    private static ObjectNode view(CommandContext context, SubscriptionFilter filter) {
        ObjectNode out = context.object();
        out.put("room", filter.room());
        out.put("channel", filter.channel());
        out.put("sender", filter.sender());
        var types = out.putArray("types");
        filter.types().forEach(types::add);
        return out;
    }
}
