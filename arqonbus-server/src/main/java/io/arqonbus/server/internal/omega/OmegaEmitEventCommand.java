package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import io.arqonbus.server.internal.command.OperatorArgs;

/**
 * {@code op.omega.emit_event {substrate_id, signal, payload?}} (admin): records the event and
 * broadcasts {@code {"type":"telemetry","sender":"op-omega","payload":{"omega_event":{…}}}} to the lab
 * channel → the event, with the broadcast's {@code offset}.
 */
final class OmegaEmitEventCommand extends OmegaCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.omega.emit_event",
            "Emits an omega event and broadcasts it to the lab channel (admin); args {substrate_id, signal, payload?}")
            .forAdmins();

    OmegaEmitEventCommand(OmegaLab lab) {
        super(lab);
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    CommandResult run(CommandContext context) throws CommandException, OmegaException {
        String id = OperatorArgs.requiredText(context, "substrate_id", MAX_TEXT);
        String signal = OperatorArgs.requiredText(context, "signal", MAX_TEXT);
        ObjectNode payload = OperatorArgs.optionalObject(context, "payload", null);
        OmegaEmission emitted = lab.emit(id, signal, payload, context.session().clientId(),
                OmegaEmitEventCommand::broadcast);
        ObjectNode data = json(emitted.event());
        if (emitted.offset() != null) {
            data.put("offset", emitted.offset());
        }
        return new CommandResult("Event " + emitted.event().eventId() + " emitted", data);
    }

    /** The payload of the lab channel's broadcast: {@code {omega_event:{…}}}. */
    static ObjectNode broadcast(OmegaEvent event) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("omega_event", json(event));
        return out;
    }
}
