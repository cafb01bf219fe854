package io.arqonbus.server.internal.command;

/**
 * One command. Implementations are stateless and thread-safe: {@link #execute} runs on the calling
 * connection's event loop and must not block. A command gets the parts it works with through its
 * constructor; the feature that owns it registers it ({@code XCommands.register}).
 */
public interface Command {

    /** Its name on the wire, other names, whether only admins may run it, and its line in {@code help}. */
    CommandSpec spec();

    /** Runs the command. */
    CommandResult execute(CommandContext context) throws CommandException;
}
