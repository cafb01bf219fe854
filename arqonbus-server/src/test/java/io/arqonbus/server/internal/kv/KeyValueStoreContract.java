package io.arqonbus.server.internal.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link KeyValueStore} does; a subclass makes the store. */
abstract class KeyValueStoreContract {
    static final int MAX_KEYS = 5;
    private final List<KeyValueStore> stores = new ArrayList<>();

    /** A new, empty store bounded to {@code maxKeys} per namespace. */
    protected abstract KeyValueStore create(int maxKeys);

    protected KeyValueStore store() {
        KeyValueStore store = create(MAX_KEYS);
        stores.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        stores.forEach(KeyValueStore::close);
    }

    static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void setThenGetReturnsTheJsonAndSaysWhetherItReplaced() {
        KeyValueStore store = store();
        assertThat(join(store.set("default", "a", "{\"n\":1}"))).isFalse();
        assertThat(join(store.get("default", "a"))).contains("{\"n\":1}");
        assertThat(join(store.set("default", "a", "[1,2]"))).isTrue();
        assertThat(join(store.get("default", "a"))).contains("[1,2]");
        assertThat(join(store.get("default", "missing"))).isEqualTo(Optional.empty());
        assertThat(join(store.get("nowhere", "a"))).isEmpty();
    }

    @Test
    void namespacesAreSeparate() {
        KeyValueStore store = store();
        join(store.set("tenant:t1", "k", "\"one\""));
        join(store.set("tenant:t2", "k", "\"two\""));
        assertThat(join(store.get("tenant:t1", "k"))).contains("\"one\"");
        assertThat(join(store.get("tenant:t2", "k"))).contains("\"two\"");
        assertThat(join(store.delete("tenant:t1", "k"))).isTrue();
        assertThat(join(store.get("tenant:t2", "k"))).contains("\"two\"");
        assertThat(join(store.keys("tenant:t1"))).isEmpty();
    }

    @Test
    void keysAreSortedAndDeleteSaysWhetherTheKeyExisted() {
        KeyValueStore store = store();
        for (String key : List.of("b", "a", "c:1", "B", "ä")) {
            join(store.set("ns", key, "true"));
        }
        assertThat(join(store.keys("ns"))).containsExactly("B", "a", "b", "c:1", "ä");
        assertThat(join(store.delete("ns", "a"))).isTrue();
        assertThat(join(store.delete("ns", "a"))).isFalse();
        assertThat(join(store.delete("other", "a"))).isFalse();
        assertThat(join(store.keys("ns"))).containsExactly("B", "b", "c:1", "ä");
        assertThat(join(store.keys("empty"))).isEmpty();
    }

    @Test
    void aFullNamespaceRefusesNewKeysButAcceptsReplacementsAndFreedSlots() {
        KeyValueStore store = store();
        for (int i = 0; i < MAX_KEYS; i++) {
            join(store.set("ns", "k" + i, Integer.toString(i)));
        }
        assertThatThrownBy(() -> join(store.set("ns", "one-more", "1")))
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(NamespaceFullException.class);
        assertThat(join(store.set("ns", "k0", "42"))).isTrue();
        assertThat(join(store.set("other", "x", "1"))).isFalse();
        join(store.delete("ns", "k1"));
        assertThat(join(store.set("ns", "one-more", "1"))).isFalse();
        assertThat(join(store.keys("ns"))).hasSize(MAX_KEYS).doesNotContain("k1");
    }

    @Test
    void concurrentWritersCannotPassTheBound() {
        KeyValueStore store = store();
        List<CompletableFuture<Boolean>> writes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            writes.add(store.set("race", "k" + i, "1").exceptionally(e -> null));
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(join(store.keys("race"))).hasSize(MAX_KEYS);
    }

    @Test
    void keysAndValuesKeepUnicodeAndOddCharacters() {
        KeyValueStore store = store();
        String key = "agent/état:{1} *?";
        join(store.set("tenant:t1:agents", key, "{\"s\":\"héllo ✓\"}"));
        assertThat(join(store.get("tenant:t1:agents", key))).contains("{\"s\":\"héllo ✓\"}");
        assertThat(join(store.keys("tenant:t1:agents"))).containsExactly(key);
    }
}
