package io.arqonbus.examples.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.client.ClientState;
import io.arqonbus.client.ConnectionEvent;
import io.arqonbus.examples.HostApp;
import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host application ({@link HostApp}, file store) is stopped and started again on the same
 * port and data directory while the feed is away; once the feed reconnects it has every event the
 * host emitted, in offset order, none twice, and no gap.
 */
class DashboardFeedTest {
    private static final Duration T = Duration.ofSeconds(30);

    @TempDir
    Path data;

    /** Holds the feed's reconnect while closed (the SDK asks for a token before each attempt). */
    private static final class Gate implements Supplier<String> {
        private boolean open = true;

        @Override
        public synchronized String get() {
            while (!open) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return null;
        }

        synchronized void set(boolean value) {
            open = value;
            notifyAll();
        }
    }

    private HostApp host(int port) {
        return HostApp.start(ArqonBus.builder().config(ArqonBusExtension.testConfig(b -> b.port(port).telemetryPort(-1)
                        .httpPort(-1).shutdownGrace(Duration.ofMillis(200)).store(StoreLocation.file(data.resolve("store"))))),
                Duration.ofMillis(50), command -> { });
    }

    private static List<Long> offsets(List<DashboardFeed.Item> items) {
        return items.stream().map(i -> ((DashboardFeed.Event) i).offset()).toList();
    }

    @Test
    void theFeedRecoversTheEventsEmittedWhileItWasAway() throws Exception {
        HostApp host = host(0);
        int port = host.bus().busAddress().getPort();
        Gate gate = new Gate();
        List<DashboardFeed.Item> items = new CopyOnWriteArrayList<>();
        List<ConnectionEvent> states = new CopyOnWriteArrayList<>();
        try (DashboardFeed feed = DashboardFeed.start(URI.create("ws://127.0.0.1:" + port + "/"), gate, states::add,
                items::add).get(10, TimeUnit.SECONDS)) {
            await().atMost(T).until(() -> items.size() >= 3);
            gate.set(false);
            host.close();
            await().atMost(T).until(() -> states.stream().anyMatch(e -> e.state() == ClientState.DISCONNECTED));
            int before = items.size();
            host = host(port);
            HostApp restarted = host;
            long lastBeforeRestart = ((DashboardFeed.Event) items.get(before - 1)).offset();
            // The restarted host emits while the feed is still away.
            await().atMost(T).until(() -> restarted.emitted() >= 5);
            gate.set(true);
            await().atMost(T).until(() -> items.size() >= before + 5);

            assertThat(items).allMatch(i -> i instanceof DashboardFeed.Event);
            List<Long> offsets = offsets(items);
            long first = offsets.get(0);
            for (int i = 0; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).as("offset #%d of %s", i, offsets).isEqualTo(first + i);
            }
            assertThat(offsets.get(offsets.size() - 1)).isGreaterThan(lastBeforeRestart + 4);
        } finally {
            host.close();
        }
    }
}
