package io.arqonbus.server.internal.kv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import io.arqonbus.server.internal.command.CommandSpec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code op.store.set {key, value, namespace?}} → {@code {namespace, key, updated}}: stores any
 * non-null JSON value; {@code updated} is {@code true} when the key held a value before.
 */
final class StoreSetCommand implements AsyncCommand {
    private static final CommandSpec SPEC = CommandSpec.of("op.store.set",
            "Stores a JSON value in the tenant-scoped key-value store; args {key, value, namespace?}");

    private final KeyValueStore store;
    private final StoreArgs args;

    StoreSetCommand(KeyValueStore store, StoreArgs args) {
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
        String json = args.value(context);
        StoreArgs.Namespace named = args.namespace(context);
        String namespace = named.shown();
        return store.set(named.stored(), key, json)
                .handle((existed, error) -> {
                    if (error != null) {
                        Throwable cause = Failures.unwrap(error);
                        if (cause instanceof NamespaceFullException full) {
                            throw new CompletionException(new CommandException(ErrorCode.CONFLICT, full.getMessage()));
                        }
                        throw error instanceof CompletionException ce ? ce : new CompletionException(error);
                    }
                    ObjectNode data = context.object();
                    data.put("namespace", namespace);
                    data.put("key", key);
                    data.put("updated", existed);
                    return new CommandResult("Stored " + namespace + "/" + key, data);
                });
    }
}
