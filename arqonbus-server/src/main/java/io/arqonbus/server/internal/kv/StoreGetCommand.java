package io.arqonbus.server.internal.kv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.concurrent.CompletableFuture;

/** {@code op.store.get {key, namespace?}} → {@code {namespace, key, found, value}} ({@code value} null when not found). */
final class StoreGetCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.store.get",
            "Reads a value from the tenant-scoped key-value store; args {key, namespace?}");

    private final KeyValueStore store;
    private final StoreArgs args;

    StoreGetCommand(KeyValueStore store, StoreArgs args) {
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
        return store.get(named.stored(), key).thenApply(found -> {
            ObjectNode data = context.object();
            data.put("namespace", namespace);
            data.put("key", key);
            data.put("found", found.isPresent());
            if (found.isPresent()) {
                data.set("value", args.parse(found.get()));
            } else {
                data.putNull("value");
            }
            return new CommandResult(found.isPresent() ? "Found " + namespace + "/" + key
                    : "No value for " + namespace + "/" + key, data);
        });
    }
}
