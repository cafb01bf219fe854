package io.arqonbus.server.internal.inspect;

import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code op.casil.get}: the CASIL policy in force (protocol §5), for anyone. */
final class CasilGetCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.casil.get",
            "Shows the content-inspection (CASIL) policy in force");

    private final CasilPolicyHolder casil;

    CasilGetCommand(CasilPolicyHolder casil) {
        this.casil = casil;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        return new CommandResult("CASIL policy", casil.current().snapshot());
    }
}
