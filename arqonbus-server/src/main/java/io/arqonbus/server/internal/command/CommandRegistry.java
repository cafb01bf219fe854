package io.arqonbus.server.internal.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The commands by name and alias; built once at start-up, read-only afterwards. */
public final class CommandRegistry {
    private final Map<String, Command> byName = new LinkedHashMap<>();
    private final List<Command> commands = new ArrayList<>();

    /** Adds a command under its name and aliases. */
    public CommandRegistry register(Command command) {
        add(command.spec().name(), command);
        for (String alias : command.spec().aliases()) {
            add(alias, command);
        }
        commands.add(command);
        return this;
    }

    private void add(String name, Command command) {
        if (byName.putIfAbsent(name, command) != null) {
            throw new IllegalStateException("two commands named " + name);
        }
    }

    /** The command with this name or alias, or {@code null}. */
    public Command find(String name) {
        return byName.get(name);
    }

    /** Every command once, in registration order. */
    public Collection<Command> all() {
        return List.copyOf(commands);
    }
}
