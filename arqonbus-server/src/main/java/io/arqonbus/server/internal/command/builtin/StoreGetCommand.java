package io.arqonbus.server.internal.command.builtin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.internal.command.AsyncCommand;
import io.arqonbus.server.internal.command.CommandContext;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.command.CommandResult;
import java.util.concurrent.CompletableFuture;

/** {@code op.store.get {key, namespace?}} → {@code {namespace, key, found, value}} ({@code value} null when not found). */
final class StoreGetCommand implements AsyncCommand {
    @Override
    public String name() {
        return "op.store.get";
    }

    @Override
    public String description() {
        return "Reads a value from the tenant-scoped key-value store; args {key, namespace?}";
    }

    @Override
    public CompletableFuture<CommandResult> executeAsync(CommandContext context) throws CommandException {
        String namespace = StoreArgs.namespace(context);
        String key = StoreArgs.key(context);
        return context.services().kv().get(namespace, key).thenApply(found -> {
            ObjectNode data = context.object();
            data.put("namespace", namespace);
            data.put("key", key);
            data.put("found", found.isPresent());
            if (found.isPresent()) {
                data.set("value", StoreArgs.parse(context, found.get()));
            } else {
                data.putNull("value");
            }
            return new CommandResult(found.isPresent() ? "Found " + namespace + "/" + key
                    : "No value for " + namespace + "/" + key, data);
        });
    }
}
