package io.arqonbus.server.internal.kv;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.concurrent.CompletableFuture;

/** {@code op.store.list {namespace?}} → {@code {namespace, count, keys[] sorted}}. */
final class StoreListCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.store.list",
            "Lists the keys of a namespace of the tenant-scoped key-value store, sorted; args {namespace?}");

    private final KeyValueStore store;
    private final StoreArgs args;

    StoreListCommand(KeyValueStore store, StoreArgs args) {
        this.store = store;
        this.args = args;
    }

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        StoreArgs.Namespace named = args.namespace(context);
        String namespace = named.shown();
        return store.keys(named.stored()).thenApply(keys -> {
            ObjectNode data = context.object();
            data.put("namespace", namespace);
            data.put("count", keys.size());
            ArrayNode array = data.putArray("keys");
            keys.forEach(array::add);
            return new CommandResult(keys.size() + " keys in " + namespace, data);
        });
    }
}
