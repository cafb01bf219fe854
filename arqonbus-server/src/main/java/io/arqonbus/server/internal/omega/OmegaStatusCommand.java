package io.arqonbus.server.internal.omega;

import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code op.omega.status}: the lane's settings and counts; answers even while the lane is off. */
final class OmegaStatusCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.status",
            "The omega lab lane: enabled, lab room/channel, bounds, substrate and event counts");

    private final OmegaLab lab;

    OmegaStatusCommand(OmegaLab lab) {
        this.lab = lab;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        return new CommandResult(lab.enabled() ? "Omega lane enabled" : "Omega lane disabled", lab.status());
    }
}
