package io.arqonbus.server.internal.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.telemetry.TelemetryEvent;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code create_channel {room, channel}} (admin): creates an empty channel; exists → {@code CONFLICT}. */
final class CreateChannelCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("create_channel",
            "Creates room:channel without joining it (admin); args {room, channel} or {room:\"r:c\"}, "
                    + "optional slow_consumer: disconnect|drop-oldest|conflate")
            .forAdmins();

    private static final Logger log = LoggerFactory.getLogger(CreateChannelCommand.class);

    private final Hub hub;
    private final TelemetryHub telemetry;

    CreateChannelCommand(Hub hub, TelemetryHub telemetry) {
        this.hub = hub;
        this.telemetry = telemetry;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) throws CommandException {
        ChannelKey key = context.requiredChannel();
        String creator = context.session().clientId();
        Set<String> admitted = admittedArg(context);
        ChannelSlowConsumerPolicy slowConsumer = slowConsumerArg(context);
        JoinResult result;
        try {
            result = hub.createFor(context.session(), key, admitted, slowConsumer);
        } catch (ChannelRefusedException e) {
            throw new CommandException(e.code(), e.getMessage());
        }
        if (!result.created()) {
            throw CommandException.conflict("Channel '" + key.channel() + "' already exists in room '"
                    + key.room() + "'");
        }
        String createdAt = Timestamps.format(result.createdAt());
        telemetry.emit(new TelemetryEvent.ChannelCreated(key.room(), key.channel(), creator));
        log.atInfo()
                .addKeyValue("event", "channel_created")
                .addKeyValue("room", key.room())
                .addKeyValue("channel", key.channel())
                .addKeyValue("by", creator)
                .log("channel_created");

        ObjectNode data = ChannelViews.address(context.object(), key);
        data.put("created_at", createdAt);
        data.put("private", admitted != null);
        ChannelSlowConsumerPolicy chosen = hub.slowConsumerPolicy(key);
        data.put("slow_consumer", (chosen != null ? chosen : ChannelSlowConsumerPolicy.DISCONNECT).wireName());
        if (admitted != null) {
            ArrayNode list = data.putArray("allowed_members");
            result.admitted().forEach(list::add);
        }
        return new CommandResult("Channel " + key + " created", data);
    }

    /**
     * {@code slow_consumer}: the channel's slow-consumer policy, or {@code null} when not given
     * (the configured patterns decide).
     */
    private static ChannelSlowConsumerPolicy slowConsumerArg(CommandContext context) throws CommandException {
        JsonNode value = context.args().get("slow_consumer");
        if (value == null || value.isNull()) {
            return null;
        }
        ChannelSlowConsumerPolicy policy = value.isTextual() ? ChannelSlowConsumerPolicy.ofWireName(value.asText())
                : null;
        if (policy == null) {
            throw CommandException.validation("'slow_consumer' must be one of " + ChannelSlowConsumerPolicy.names());
        }
        return policy;
    }

    /** How many clients a private channel may list at most: {@value}. */
    static final int MAX_ALLOWED_MEMBERS = 1_000;

    /**
     * {@code private: true} with {@code members: [client ids or token subjects]} makes the channel
     * private; {@code null} for a public channel.
     */
    private static Set<String> admittedArg(CommandContext context) throws CommandException {
        boolean isPrivate = context.optionalBoolean("private", false);
        JsonNode members = context.args().get("members");
        if (!isPrivate) {
            if (members != null && !members.isNull()) {
                throw CommandException.validation("'members' needs 'private': true");
            }
            return null;
        }
        if (members == null || members.isNull()) {
            return Set.of();
        }
        if (!members.isArray() || members.size() > MAX_ALLOWED_MEMBERS) {
            throw CommandException.validation("'members' must be an array of at most " + MAX_ALLOWED_MEMBERS
                    + " client ids or subjects");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode member : members) {
            if (!member.isTextual() || member.asText().isBlank() || member.asText().length() > 256) {
                throw CommandException.validation("'members' must hold client ids or subjects (1-256 characters)");
            }
            out.add(member.asText());
        }
        return out;
    }
}
