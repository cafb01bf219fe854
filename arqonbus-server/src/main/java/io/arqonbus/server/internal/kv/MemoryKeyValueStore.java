package io.arqonbus.server.internal.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The key-value store in this process's memory (the default): one sorted map per namespace, each
 * guarded by its own monitor, so calls complete at once and namespaces never wait for each other.
 * A namespace whose last key is deleted is dropped. Nothing survives a restart.
 */
public final class MemoryKeyValueStore implements KeyValueStore {
    private final int maxKeysPerNamespace;
    private final ConcurrentHashMap<String, TreeMap<String, String>> namespaces = new ConcurrentHashMap<>();

    public MemoryKeyValueStore(int maxKeysPerNamespace) {
        this.maxKeysPerNamespace = maxKeysPerNamespace;
    }

    @Override
    public CompletableFuture<Boolean> set(String namespace, String key, String json) {
        boolean[] existed = new boolean[1];
        try {
            namespaces.compute(namespace, (ns, map) -> {
                TreeMap<String, String> target = map == null ? new TreeMap<>() : map;
                if (!target.containsKey(key) && target.size() >= maxKeysPerNamespace) {
                    throw new NamespaceFullException(namespace, maxKeysPerNamespace);
                }
                existed[0] = target.put(key, json) != null;
                return target;
            });
        } catch (NamespaceFullException e) {
            return CompletableFuture.failedFuture(e);
        }
        return CompletableFuture.completedFuture(existed[0]);
    }

    @Override
    public CompletableFuture<Optional<String>> get(String namespace, String key) {
        String[] found = new String[1];
        namespaces.computeIfPresent(namespace, (ns, map) -> {
            found[0] = map.get(key);
            return map;
        });
        return CompletableFuture.completedFuture(Optional.ofNullable(found[0]));
    }

    @Override
    public CompletableFuture<Boolean> delete(String namespace, String key) {
        boolean[] existed = new boolean[1];
        namespaces.computeIfPresent(namespace, (ns, map) -> {
            existed[0] = map.remove(key) != null;
            return map.isEmpty() ? null : map;
        });
        return CompletableFuture.completedFuture(existed[0]);
    }

    @Override
    public CompletableFuture<List<String>> keys(String namespace) {
        List<String> keys = new ArrayList<>();
        namespaces.computeIfPresent(namespace, (ns, map) -> {
            keys.addAll(map.keySet());
            return map;
        });
        return CompletableFuture.completedFuture(List.copyOf(keys));
    }

    @Override
    public String backend() {
        return "memory";
    }

    @Override
    public void close() {
        namespaces.clear();
    }
}
