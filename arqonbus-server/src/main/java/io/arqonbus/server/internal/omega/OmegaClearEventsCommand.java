package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code op.omega.clear_events} (admin): drops every event held → {@code {cleared}}. */
final class OmegaClearEventsCommand extends OmegaCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.clear_events",
            "Drops every omega event held (admin); substrates stay")
            .forAdmins();

    OmegaClearEventsCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    CommandResult run(CommandContext context) {
        int cleared = lab.clearEvents();
        ObjectNode data = context.object();
        data.put("cleared", cleared);
        return new CommandResult(cleared + " event(s) cleared", data);
    }
}
