package io.arqonbus.server.internal.omega;

import io.arqonbus.protocol.ErrorCode;
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
}
