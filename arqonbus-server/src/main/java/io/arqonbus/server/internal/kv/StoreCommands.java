package io.arqonbus.server.internal.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.server.config.KvLimits;
import io.arqonbus.server.internal.command.CommandRegistry;

/** Registers the key-value store's commands: {@code op.store.set|get|list|delete}. */
public final class StoreCommands {
    private StoreCommands() {
    }

    /**
     * Adds the commands, working on {@code store} within {@code limits}, to the registry and returns
     * it; {@code mapper} writes and reads the values' JSON.
     */
    public static CommandRegistry register(CommandRegistry registry, KeyValueStore store, KvLimits limits,
            ObjectMapper mapper) {
        StoreArgs args = new StoreArgs(limits, mapper);
        return registry
                .register(new StoreSetCommand(store, args))
                .register(new StoreGetCommand(store, args))
                .register(new StoreListCommand(store, args))
                .register(new StoreDeleteCommand(store, args));
    }
}
