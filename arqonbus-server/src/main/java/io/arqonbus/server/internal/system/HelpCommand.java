package io.arqonbus.server.internal.system;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;

/** {@code help}: every command with its aliases, whether it needs admin, and one line. */
final class HelpCommand implements Command {
    private static final CommandSpec SPEC = CommandSpec.of("help",
            "Lists the commands with one line each");

    private final CommandRegistry registry;

    HelpCommand(CommandRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CommandResult execute(CommandContext context) {
        ObjectNode data = context.object();
        ArrayNode commands = data.putArray("commands");
        for (Command command : registry.all()) {
            CommandSpec spec = command.spec();
            ObjectNode row = commands.addObject();
            row.put("name", spec.name());
            ArrayNode aliases = row.putArray("aliases");
            spec.aliases().forEach(aliases::add);
            row.put("admin", spec.adminOnly());
            row.put("description", spec.description());
        }
        data.put("count", commands.size());
        return new CommandResult("Available commands", data);
    }
}
