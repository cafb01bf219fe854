package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;
import java.util.List;

/**
 * {@code op.omega.list_events {substrate_id?, signal?, limit=100}} → {@code {events[…], count, total}}:
 * the last {@code limit} matching events, oldest first; {@code total} is every event held.
 */
final class OmegaListEventsCommand extends OmegaCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.list_events",
            "Lists recent omega events, oldest first; args {substrate_id?, signal?, limit?}");

    /** Default {@code limit}: {@value}. */
    static final int DEFAULT_LIMIT = 100;

    OmegaListEventsCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    CommandResult run(CommandContext context) throws CommandException {
        String substrateId = OperatorArgs.optionalText(context, "substrate_id", MAX_TEXT);
        String signal = OperatorArgs.optionalText(context, "signal", MAX_TEXT);
        int max = lab.settings().maxEvents();
        int limit = context.optionalInt("limit", Math.min(DEFAULT_LIMIT, max), 1, max);
        List<OmegaEvent> events = lab.events(substrateId, signal, limit);
        ObjectNode data = context.object();
        ArrayNode array = data.putArray("events");
        events.forEach(event -> array.add(json(event)));
        data.put("count", events.size());
        data.put("total", lab.eventCount());
        return new CommandResult(events.size() + " event(s)", data);
    }
}
