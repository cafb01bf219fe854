package io.arqonbus.server.internal.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.arqonbus.server.internal.runtime.ShutdownHooks.Priority;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Shutdown hooks run once, by priority, newest first within a priority, past a failing hook. */
class ShutdownHooksTest {
    @Test
    void hooksRunByPriorityThenNewestFirstAndOnlyOnce() {
        List<String> ran = new CopyOnWriteArrayList<>();
        ShutdownHooks hooks = new ShutdownHooks();
        hooks.add(Priority.STORAGE, "store", () -> ran.add("store"));
        hooks.add(Priority.EVENT_LOOPS, "accept loop", () -> ran.add("accept loop"));
        hooks.add(Priority.EVENT_LOOPS, "I/O loops", () -> ran.add("I/O loops"));
        hooks.add(Priority.LISTENERS, "bus port", () -> ran.add("bus port"));
        hooks.add(Priority.CLIENTS, "clients", () -> {
            throw new IllegalStateException("a client would not close");
        });
        hooks.add(Priority.HTTP, "http port", () -> ran.add("http port"));

        hooks.runAll();
        hooks.runAll();

        assertThat(ran).containsExactly("bus port", "http port", "I/O loops", "accept loop", "store");
        assertThatThrownBy(() -> hooks.add(Priority.LANES, "late", () -> { }))
                .isInstanceOf(IllegalStateException.class);
    }
}
