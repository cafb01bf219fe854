package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.Command;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandResult;

/** {@code help}: every command with its aliases, whether it needs admin, and one line. */
final class HelpCommand implements Command {
    @Override
    public String name() {
        return "help";
    }

    @Override
    public String description() {
        return "Lists the commands with one line each";
    }

    @Override
    public CommandResult execute(CommandContext context) {
        ObjectNode data = context.object();
        ArrayNode commands = data.putArray("commands");
        for (Command command : context.services().registry().all()) {
            ObjectNode row = commands.addObject();
            row.put("name", command.name());
            ArrayNode aliases = row.putArray("aliases");
            command.aliases().forEach(aliases::add);
            row.put("admin", command.adminOnly());
            row.put("description", command.description());
        }
        data.put("count", commands.size());
        return new CommandResult("Available commands", data);
    }
}
