package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import java.util.concurrent.CompletableFuture;

/** {@code op.store.list {namespace?}} → {@code {namespace, count, keys[] sorted}}. */
final class StoreListCommand implements AsyncCommand {
    @Override
    public String name() {
        return "op.store.list";
    }

    @Override
    public String description() {
        return "Lists the keys of a namespace of the tenant-scoped key-value store, sorted; args {namespace?}";
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        String namespace = StoreArgs.namespace(context);
        return context.services().kv().keys(namespace).thenApply(keys -> {
            ObjectNode data = context.object();
            data.put("namespace", namespace);
            data.put("count", keys.size());
            ArrayNode array = data.putArray("keys");
            keys.forEach(array::add);
            return new CommandResult(keys.size() + " keys in " + namespace, data);
        });
    }
}
