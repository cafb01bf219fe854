package io.arqonbus.server.internal.kv;

/** A new key was refused because its namespace holds the maximum number of keys. */
public final class NamespaceFullException extends RuntimeException {
    public NamespaceFullException(String namespace, int max) {
        super("Namespace '" + namespace + "' holds the maximum of " + max
                + " keys (ARQONBUS_KV_MAX_KEYS_PER_NAMESPACE); delete keys first", null, false, false);
    }
}
