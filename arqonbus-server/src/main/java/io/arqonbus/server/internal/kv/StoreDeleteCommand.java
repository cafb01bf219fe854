package io.arqonbus.server.internal.kv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.concurrent.CompletableFuture;

/** {@code op.store.delete {key, namespace?}} → {@code {namespace, key, deleted}} ({@code false} when there was no such key). */
final class StoreDeleteCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.store.delete",
            "Deletes a key from the tenant-scoped key-value store; args {key, namespace?}");

    private final KeyValueStore store;
    private final StoreArgs args;

    StoreDeleteCommand(KeyValueStore store, StoreArgs args) {
        this.store = store;
        this.args = args;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        String key = args.key(context);
        StoreArgs.Namespace named = args.namespace(context);
        String namespace = named.shown();
        return store.delete(named.stored(), key).thenApply(deleted -> {
            ObjectNode data = context.object();
            data.put("namespace", namespace);
            data.put("key", key);
            data.put("deleted", deleted);
            return new CommandResult(deleted ? "Deleted " + namespace + "/" + key
                    : "No value for " + namespace + "/" + key, data);
        });
    }
}
