package io.arqonbus.server.internal.omega;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;

/**
 * What the {@code op.omega.*} commands share: the lab, the {@code FEATURE_DISABLED} answer while
 * the lane is off, and the lab's refusals as coded errors. The admin check of the mutations is the
 * dispatcher's (it comes first, so a non-admin learns nothing about the lane).
 */
abstract class OmegaCommand implements Command {
    /** Longest name, kind or signal: {@value}. */
    static final int MAX_TEXT = 128;
    final OmegaLab lab;

    OmegaCommand(OmegaLab lab) {
        this.lab = lab;
    }

    @Override
    public final CommandResult execute(CommandContext context) throws CommandException {
        if (!lab.enabled()) {
            throw new CommandException(ErrorCode.FEATURE_DISABLED,
                    "The omega lane is disabled on this server (ARQONBUS_OMEGA_ENABLED=false)");
        }
        try {
            return run(context);
        } catch (OmegaException e) {
            throw new CommandException(e.reason() == OmegaException.Reason.NOT_FOUND ? ErrorCode.NOT_FOUND
                    : ErrorCode.CONFLICT, e.getMessage());
        }
    }

    /** Runs the command with the lane on. */
    abstract CommandResult run(CommandContext context) throws CommandException, OmegaException;

    /** A substrate on the wire: {@code {substrate_id, name, kind, metadata, created_at, created_by, event_count}}. */
    static ObjectNode json(OmegaSubstrate substrate) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("substrate_id", substrate.substrateId());
        out.put("name", substrate.name());
        out.put("kind", substrate.kind());
        out.set("metadata", substrate.metadata());
        out.put("created_at", Timestamps.format(substrate.createdAt()));
        out.put("created_by", substrate.createdBy());
        out.put("event_count", substrate.eventCount());
        return out;
    }

    /**
     * An event on the wire: {@code {event_id, substrate_id, substrate_name, kind, signal, payload,
     * emitted_by, created_at}}.
     */
    static ObjectNode json(OmegaEvent event) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("event_id", event.eventId());
        out.put("substrate_id", event.substrateId());
        out.put("substrate_name", event.substrateName());
        out.put("kind", event.kind());
        out.put("signal", event.signal());
        out.set("payload", event.payload());
        out.put("emitted_by", event.emittedBy());
        out.put("created_at", Timestamps.format(event.createdAt()));
        return out;
    }
}
