package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;

/** {@code op.omega.unregister_substrate {substrate_id}} (admin) → {@code {substrate_id}}; unknown → {@code NOT_FOUND}. */
final class OmegaUnregisterSubstrateCommand extends OmegaCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.unregister_substrate",
            "Unregisters an omega substrate (admin); its events stay; args {substrate_id}")
            .forAdmins();

    OmegaUnregisterSubstrateCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    CommandResult run(CommandContext context) throws CommandException, OmegaException {
        String id = OperatorArgs.requiredText(context, "substrate_id", MAX_TEXT);
        lab.unregister(id);
        ObjectNode data = context.object();
        data.put("substrate_id", id);
        return new CommandResult("Substrate " + id + " unregistered", data);
    }
}
