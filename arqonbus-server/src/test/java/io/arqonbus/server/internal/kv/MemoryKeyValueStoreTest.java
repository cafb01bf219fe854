package io.arqonbus.server.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The in-memory store passes the contract. */
class MemoryKeyValueStoreTest extends KeyValueStoreContract {
    @Override
    protected KeyValueStore create(int maxKeys) {
        return new MemoryKeyValueStore(maxKeys);
    }

    @Test
    void isCalledMemory() {
        assertThat(store().backend()).isEqualTo("memory");
    }
}
