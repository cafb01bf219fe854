package io.arqonbus.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.status.BusStats;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The facade's lifecycle: start and stop are idempotent futures, a stopped bus starts again on
 * fresh parts, a failed start releases its threads, ports and store, and start and stop called
 * at once end in a consistent state.
 */
class ArqonBusLifecycleTest {
    private static final Duration T = ArqonBusExtension.TIMEOUT;

    private static ArqonBus bus(Consumer<ServerConfig.Builder> change) {
        ServerConfig.Builder config = ServerConfig.builder().host("127.0.0.1").port(0).telemetryPort(0).httpPort(0)
                .ioThreads(2).statsInterval(Duration.ZERO).shutdownGrace(Duration.ofSeconds(1));
        change.accept(config);
        return ArqonBus.builder().config(config.build()).build();
    }

    /** The names of the bus's live threads ({@code arqonbus-accept-…}, {@code arqonbus-io-…}, …). */
    private static Set<String> busThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("arqonbus"))
                .collect(Collectors.toSet());
    }

    private static void awaitThreadsGone(Set<String> before) {
        await().atMost(T).untilAsserted(() -> assertThat(busThreads()).isSubsetOf(before));
    }

    private static boolean canBind(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void startWhileStartingOrStartedReturnsTheSameFuture() throws Exception {
        ArqonBus bus = bus(b -> { });
        int callers = 4;
        CyclicBarrier barrier = new CyclicBarrier(callers);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<CompletableFuture<ArqonBus>>> calls = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                calls.add(pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return bus.start();
                }));
            }
            CompletableFuture<ArqonBus> first = calls.get(0).get(30, TimeUnit.SECONDS);
            for (Future<CompletableFuture<ArqonBus>> call : calls) {
                assertThat(call.get(30, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(first.get(30, TimeUnit.SECONDS)).isSameAs(bus);
            assertThat(bus.start()).isSameAs(first);
            assertThat(bus.readiness()).isEqualTo(Readiness.READY);
        } finally {
            pool.shutdownNow();
            bus.close();
        }
    }

    @Test
    void stopIsIdempotentAndCompletesAtOnceBeforeAnyStart() throws Exception {
        ArqonBus never = bus(b -> { });
        CompletableFuture<Void> stop = never.stop();
        assertThat(stop).isDone();
        assertThat(never.stop()).isSameAs(stop);
        assertThatThrownBy(never::busAddress).isInstanceOf(IllegalStateException.class);

        ArqonBus bus = bus(b -> { }).start().get(30, TimeUnit.SECONDS);
        CompletableFuture<Void> stopping = bus.stop();
        assertThat(bus.stop()).isSameAs(stopping);
        stopping.get(30, TimeUnit.SECONDS);
        assertThat(bus.stop()).isSameAs(stopping);
        assertThat(bus.readiness()).isEqualTo(Readiness.DRAINING);
        assertThatThrownBy(() -> bus.publish("a", "b", Map.of())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopping or stopped");
    }

    @Test
    void aStoppedBusStartsAgainOnFreshPartsAndStopsAgain() throws Exception {
        Set<String> before = busThreads();
        ArqonBus bus = bus(b -> { }).start().get(30, TimeUnit.SECONDS);
        int firstPort = bus.busAddress().getPort();
        bus.publish("again", "news", Map.of("n", 1));
        bus.stop().get(30, TimeUnit.SECONDS);
        assertThat(canBind(firstPort)).as("the bus port is released").isTrue();
        awaitThreadsGone(before);

        assertThat(bus.start().get(30, TimeUnit.SECONDS)).isSameAs(bus);
        assertThat(bus.isReady()).isTrue();
        try (TestClient client = TestClient.connect(
                URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/")).get(10, TimeUnit.SECONDS)) {
            client.joinChannel("again", "news").get(10, TimeUnit.SECONDS);
            Envelope sent = bus.publish("again", "news", Map.of("n", 2));
            assertThat(sent.position().offset()).as("a fresh in-memory history").isEqualTo(1);
            assertThat(client.await(f -> "again".equals(f.path("room").asText()), T)
                    .path("payload").path("n").asInt()).isEqualTo(2);
        }
        bus.stop().get(30, TimeUnit.SECONDS);
        assertThat(bus.readiness()).isEqualTo(Readiness.DRAINING);
        awaitThreadsGone(before);
    }

    @Test
    void aFailedStartReleasesThreadsPortsAndStoreAndALaterStartWorks(@TempDir Path data) throws Exception {
        Set<String> before = busThreads();
        int busPort = freePort();
        ServerSocket blocker = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        int httpPort = blocker.getLocalPort();
        ArqonBus bus = bus(b -> b.port(busPort).httpPort(httpPort).store(StoreLocation.file(data.resolve("h"))));
        try {
            assertThatThrownBy(() -> bus.start().join()).isInstanceOf(CompletionException.class)
                    .hasMessageContaining("Cannot listen on 127.0.0.1:" + httpPort);
            assertThat(bus.readiness()).isEqualTo(Readiness.STARTING);
            assertThat(canBind(busPort)).as("the bus port bound before the failure is released").isTrue();
            awaitThreadsGone(before);
        } finally {
            blocker.close();
        }
        // The same bus starts on the ports now free, on the same store directory (its lock was released).
        assertThat(bus.start().get(30, TimeUnit.SECONDS)).isSameAs(bus);
        assertThat(bus.busAddress().getPort()).isEqualTo(busPort);
        assertThat(bus.httpAddress().getPort()).isEqualTo(httpPort);
        assertThat(BusInternals.of(bus).history().backend()).isEqualTo("file");
        bus.stop().get(30, TimeUnit.SECONDS);
        awaitThreadsGone(before);
    }

    @Test
    void startAndStopCalledAtOnceEndInAConsistentState() throws Exception {
        Set<String> before = busThreads();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 4; round++) {
                ArqonBus bus = bus(b -> { });
                CyclicBarrier barrier = new CyclicBarrier(2);
                Future<CompletableFuture<ArqonBus>> start = pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return bus.start();
                });
                Future<CompletableFuture<Void>> stop = pool.submit(() -> {
                    barrier.await(10, TimeUnit.SECONDS);
                    return bus.stop();
                });
                start.get(30, TimeUnit.SECONDS).handle((b, e) -> null).get(30, TimeUnit.SECONDS);
                stop.get(30, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
                // Whichever came first, one more stop leaves the bus stopped with nothing running.
                bus.stop().get(30, TimeUnit.SECONDS);
                assertThat(bus.isReady()).isFalse();
                assertThat(bus.readiness()).isEqualTo(Readiness.DRAINING);
                assertThatThrownBy(() -> bus.publish("a", "b", Map.of())).isInstanceOf(IllegalStateException.class);
                awaitThreadsGone(before);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void statsAndRecentEventsAreReadOnlySnapshots() throws Exception {
        try (ArqonBus bus = bus(b -> b.recentEventsSize(10)).start().get(30, TimeUnit.SECONDS);
                TestClient client = TestClient.connect(
                        URI.create("ws://127.0.0.1:" + bus.busAddress().getPort() + "/")).get(10, TimeUnit.SECONDS)) {
            for (int i = 1; i <= 3; i++) {
                bus.publish("stats", "news", Map.of("n", i));
            }
            await().atMost(T).until(() -> bus.stats().clients() == 1);
            BusStats stats = bus.stats();
            assertThat(stats.connections()).isEqualTo(1);
            assertThat(stats.publications()).isGreaterThanOrEqualTo(3);
            assertThat(stats.channels()).isEqualTo(ArqonBus.SCIENCE_CHANNELS.size() + 1);
            assertThat(stats.rooms()).isEqualTo(2);
            assertThat(stats.inProcessSubscriptions()).isZero();
            List<Envelope> recent = bus.recentEvents(2);
            assertThat(recent).extracting(e -> e.payload().path("n").asInt()).containsExactly(2, 3);
            assertThatThrownBy(() -> recent.add(recent.get(0))).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
