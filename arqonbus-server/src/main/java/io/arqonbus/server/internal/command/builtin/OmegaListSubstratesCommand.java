package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.omega.OmegaLab;
import io.arqonbus.server.internal.omega.OmegaSubstrate;
import java.util.List;

/** {@code op.omega.list_substrates {kind?}} → {@code {substrates[…], count}}, in registration order. */
final class OmegaListSubstratesCommand extends OmegaCommand {
    OmegaListSubstratesCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public String name() {
        return "op.omega.list_substrates";
    }

    @Override
    public String description() {
        return "Lists the omega substrates; args {kind?}";
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
