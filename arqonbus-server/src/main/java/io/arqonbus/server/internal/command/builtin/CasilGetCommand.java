package io.arqonbus.server.internal.command.builtin;

import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;

/** {@code op.casil.get}: the CASIL policy in force (protocol §5), for anyone. */
final class CasilGetCommand implements Command {
    @Override
    public String name() {
        return "op.casil.get";
    }

    @Override
    public String description() {
        return "Shows the content-inspection (CASIL) policy in force";
    }

    @Override
    public CommandResult execute(CommandContext context) {
        return new CommandResult("CASIL policy", context.services().casil().current().snapshot());
    }
}
