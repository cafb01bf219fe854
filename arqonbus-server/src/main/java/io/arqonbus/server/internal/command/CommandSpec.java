package io.arqonbus.server.internal.command;

import java.util.List;
import java.util.Objects;

/**
 * What a command is called and how {@code help} shows it.
 *
 * @param name        the name on the wire, e.g. {@code join_channel}
 * @param aliases     other names that reach the command, e.g. {@code op.history.get}
 * @param adminOnly   whether only admins may run it (the dispatcher refuses others first)
 * @param description one line for {@code help}
 */
public record CommandSpec(String name, List<String> aliases, boolean adminOnly, String description) {

    public CommandSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        aliases = List.copyOf(aliases);
    }

    /** A command anyone may run, with no other name. */
    public static CommandSpec of(String name, String description) {
        return new CommandSpec(name, List.of(), false, description);
    }

    /** The same command, for admins only. */
    public CommandSpec forAdmins() {
        return new CommandSpec(name, aliases, true, description);
    }

    /** The same command, also reached under {@code other} names. */
    public CommandSpec alsoNamed(String... other) {
        return new CommandSpec(name, List.of(other), adminOnly, description);
    }
}
