package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;
import java.util.List;

/** {@code op.omega.list_substrates {kind?}} → {@code {substrates[…], count}}, in registration order. */
final class OmegaListSubstratesCommand extends OmegaCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.list_substrates",
            "Lists the omega substrates; args {kind?}");

    OmegaListSubstratesCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    CommandResult run(CommandContext context) throws CommandException {
        List<OmegaSubstrate> substrates = lab.substrates(OperatorArgs.optionalText(context, "kind", MAX_TEXT));
        ObjectNode data = context.object();
        ArrayNode array = data.putArray("substrates");
        substrates.forEach(substrate -> array.add(json(substrate)));
        data.put("count", substrates.size());
        return new CommandResult(substrates.size() + " substrate(s)", data);
    }
}
