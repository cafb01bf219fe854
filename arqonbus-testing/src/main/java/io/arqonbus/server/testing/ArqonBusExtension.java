package io.arqonbus.server.testing;

import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.BusInternals;
import io.arqonbus.server.internal.runtime.BusComponents;
import io.arqonbus.server.config.ServerConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real ArqonBus on loopback with every port on 0 (free ports) before the test class and
 * stops it after; hands out URIs and connected real WebSocket clients, closing them after each
 * test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxConnections(10));
 * }</pre>
 */
public class ArqonBusExtension implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** How long tests wait for anything. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Consumer<ServerConfig.Builder> configurer;
    private final Consumer<ArqonBus.Builder> busConfigurer;
    private final List<TestClient> clients = new CopyOnWriteArrayList<>();
    private ArqonBus bus;

    public ArqonBusExtension() {
        this(b -> { });
    }

    /** @param configurer changes to the test configuration (ports are already 0, stats off) */
    public ArqonBusExtension(Consumer<ServerConfig.Builder> configurer) {
        this(configurer, b -> { });
    }

    /**
     * @param configurer    changes to the test configuration (ports are already 0, stats off)
     * @param busConfigurer what else the bus is built with (its allocator, its halt hook)
     */
    public ArqonBusExtension(Consumer<ServerConfig.Builder> configurer, Consumer<ArqonBus.Builder> busConfigurer) {
        this.configurer = configurer;
        this.busConfigurer = busConfigurer;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    /**
     * The test configuration this extension starts its server with: loopback, every port on 0,
     * two I/O threads, no stats log, a short shutdown grace, then {@code configurer}'s changes.
     * For tests that must start the bus themselves (an example's own start method).
     */
    public static ServerConfig testConfig(Consumer<ServerConfig.Builder> configurer) {
        ServerConfig.Builder builder = ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .telemetryPort(0)
                .httpPort(0)
                .ioThreads(2)
                .statsInterval(Duration.ZERO)
                .shutdownGrace(Duration.ofSeconds(2));
        configurer.accept(builder);
        return builder.build();
    }

    /** Starts the server (done before all tests; call again after {@link #stop()} to restart). */
    public void start() {
        ArqonBus.Builder busBuilder = ArqonBus.builder().config(testConfig(configurer));
        busConfigurer.accept(busBuilder);
        bus = busBuilder.build();
        bus.start().orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (TestClient client : clients) {
            client.abort();
        }
        clients.clear();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** Stops the server. */
    public void stop() {
        if (bus != null) {
            bus.stop().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** The running server. */
    public ArqonBus bus() {
        return bus;
    }

    /** The running server's parts (hub, sessions, history, metrics), for assertions; not API. */
    public BusComponents components() {
        return BusInternals.of(bus);
    }

    /** {@code ws://127.0.0.1:<bus port>/}. */
    public URI wsUri() {
        return wsUri("/");
    }

    /** The bus URI with this path and query. */
    public URI wsUri(String pathAndQuery) {
        return URI.create("ws://" + hostPort(bus.busAddress()) + pathAndQuery);
    }

    /** The telemetry URI. */
    public URI telemetryUri() {
        return URI.create("ws://" + hostPort(bus.telemetryAddress()) + "/");
    }

    /** The HTTP URI of this path. */
    public URI httpUri(String path) {
        return URI.create("http://" + hostPort(bus.httpAddress()) + path);
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** A connected client (welcome received), closed after the test. */
    public TestClient connect() {
        return connect(Map.of());
    }

    /** A connected client with extra handshake headers, closed after the test. */
    public TestClient connect(Map<String, String> headers) {
        TestClient client = TestClient.connect(wsUri(), headers)
                .orTimeout(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).join();
        clients.add(client);
        return client;
    }
}
