package io.arqonbus.server.internal.command;

import java.util.List;

/**
 * One built-in command. Implementations are stateless and thread-safe: {@link #execute} runs on
 * the calling connection's event loop and must not block.
 */
public interface Command {

    /** The command's name on the wire, e.g. {@code join_channel}. */
    String name();

    /** Other names that reach this command, e.g. {@code op.history.get}. */
    default List<String> aliases() {
        return List.of();
    }

    /** Whether only admins may run it. */
    default boolean adminOnly() {
        return false;
    }

    /** One line for {@code help}. */
    String description();

    /** Runs the command. */
    CommandResult execute(CommandContext context) throws CommandException;
}
