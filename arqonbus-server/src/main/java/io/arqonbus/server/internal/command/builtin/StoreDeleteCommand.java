package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import java.util.concurrent.CompletableFuture;

/** {@code op.store.delete {key, namespace?}} → {@code {namespace, key, deleted}} ({@code false} when there was no such key). */
final class StoreDeleteCommand implements AsyncCommand {
    @Override
    public String name() {
        return "op.store.delete";
    }

    @Override
    public String description() {
        return "Deletes a key from the tenant-scoped key-value store; args {key, namespace?}";
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        String namespace = StoreArgs.namespace(context);
        String key = StoreArgs.key(context);
        return context.services().kv().delete(namespace, key).thenApply(deleted -> {
            ObjectNode data = context.object();
            data.put("namespace", namespace);
            data.put("key", key);
            data.put("deleted", deleted);
            return new CommandResult(deleted ? "Deleted " + namespace + "/" + key
                    : "No value for " + namespace + "/" + key, data);
        });
    }
}
