package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.omega.OmegaException;
import io.arqonbus.server.internal.omega.OmegaLab;
import io.arqonbus.server.internal.omega.OmegaSubstrate;

/** {@code op.omega.register_substrate {name, kind, metadata?}} (admin) → the substrate. */
final class OmegaRegisterSubstrateCommand extends OmegaCommand {
    OmegaRegisterSubstrateCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public String name() {
        return "op.omega.register_substrate";
    }

    @Override
    public boolean adminOnly() {
        return true;
    }

    @Override
    public String description() {
        return "Registers an omega substrate (admin); args {name, kind, metadata?}";
    }

    @Override
    CommandResult run(CommandContext context) throws CommandException, OmegaException {
        String name = OperatorArgs.requiredText(context, "name", MAX_TEXT);
        String kind = OperatorArgs.requiredText(context, "kind", MAX_TEXT);
        ObjectNode metadata = OperatorArgs.optionalObject(context, "metadata", null);
        OmegaSubstrate substrate = lab.register(name, kind, metadata, context.session().clientId());
        return new CommandResult("Substrate " + substrate.substrateId() + " registered", json(substrate));
    }
}
