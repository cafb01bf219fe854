package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.omega.OmegaLab;

/** {@code op.omega.clear_events} (admin): drops every event held → {@code {cleared}}. */
final class OmegaClearEventsCommand extends OmegaCommand {
    OmegaClearEventsCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public String name() {
        return "op.omega.clear_events";
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public String description() {
        return "Drops every omega event held (admin); substrates stay";
    }

    @Override
    CommandResult run(CommandContext context) {
        int cleared = lab.clearEvents();
        ObjectNode data = context.object();
        data.put("cleared", cleared);
        return new CommandResult(cleared + " event(s) cleared", data);
    }
}
