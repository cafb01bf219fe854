package io.arqonbus.server.internal.system;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** {@code ping}: answers {@code pong} with the latency since the request's timestamp. */
final class PingCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("ping",
            "Answers pong with the round-trip latency since the request's timestamp");

    private final Clock clock;

    PingCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        Instant now = clock.instant();
        Instant sent = Timestamps.parse(context.request().timestamp());
        ObjectNode data = context.object();
        data.put("pong", true);
        data.put("latency_ms", Math.max(0, Duration.between(sent, now).toNanos() / 1_000_000.0));
        data.put("client_id", context.session().clientId());
        data.put("timestamp", Timestamps.format(now));
        return new CommandResult("pong", data);
    }
}
