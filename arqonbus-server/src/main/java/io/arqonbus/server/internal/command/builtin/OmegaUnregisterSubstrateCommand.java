package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.omega.OmegaException;
import io.arqonbus.server.internal.omega.OmegaLab;

/** {@code op.omega.unregister_substrate {substrate_id}} (admin) → {@code {substrate_id}}; unknown → {@code NOT_FOUND}. */
final class OmegaUnregisterSubstrateCommand extends OmegaCommand {
    OmegaUnregisterSubstrateCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public String name() {
        return "op.omega.unregister_substrate";
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public String description() {
        return "Unregisters an omega substrate (admin); its events stay; args {substrate_id}";
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
