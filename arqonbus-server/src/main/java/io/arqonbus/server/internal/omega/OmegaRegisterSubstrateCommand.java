package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;

/** {@code op.omega.register_substrate {name, kind, metadata?}} (admin) → the substrate. */
final class OmegaRegisterSubstrateCommand extends OmegaCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.register_substrate",
            "Registers an omega substrate (admin); args {name, kind, metadata?}")
            .forAdmins();

    OmegaRegisterSubstrateCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
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
