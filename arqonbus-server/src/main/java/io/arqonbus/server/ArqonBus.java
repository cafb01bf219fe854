package io.arqonbus.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.embed.HostSubscriptions;
import io.arqonbus.server.internal.runtime.BusComponents;
import io.arqonbus.server.internal.runtime.ScienceRoom;
import io.arqonbus.server.status.BusStats;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.status.ServerInfo;
import io.arqonbus.server.subscribe.Subscription;
import io.arqonbus.server.subscribe.SubscriptionFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * An ArqonBus server: the bus WebSocket port, the telemetry WebSocket port and the HTTP port,
 * in one process, embeddable in a host application (seed 002; {@code docs/embedding.md}).
 *
 * <pre>{@code
 * try (ArqonBus bus = ArqonBus.builder().port(9100).httpPort(8080).build().start().join()) {
 *     bus.publish("dashboard", "events", Map.of("spell_name", "summon", "success", true));
 *     try (Subscription commands = bus.subscribe(
 *             new SubscriptionFilter("dashboard", "commands", null, Set.of()),
 *             envelope -> log.info("client said {}", envelope.payload()))) {
 *         ...
 *     }
 * }
 * }</pre>
 *
 * <ul>
 * <li>Lifecycle: {@code IDLE → STARTING → STARTED → STOPPING → STOPPED → STARTING …}.
 *     {@link #start()} binds every port and completes once the bus accepts traffic; {@link #stop()}
 *     drains clients (close 1001) and completes when every thread is gone; both are idempotent,
 *     {@link #close()} is {@code stop().join()}. Each start builds every part anew; a failed start
 *     undoes what it built (docs/embedding.md, Lifecycle). The wiring is in {@code internal.runtime}.</li>
 * <li>Publishing: {@link #publish(String, String, Object)} and {@link #emit(String, String, Object)}
 *     store and deliver like a client publication, as sender {@code arqonbus}; may be called from
 *     any thread, never blocks on I/O.</li>
 * <li>Subscribing: {@link #subscribe(SubscriptionFilter, Consumer)} receives the clients'
 *     publications in process, off the event loops, with a bounded queue (see {@link Subscription}).</li>
 * <li>Reading: {@link #stats()} and {@link #recentEvents(int)} are read-only snapshots; no accessor
 *     hands out the bus's mutable parts.</li>
 * </ul>
 *
 * <p>Over 400 lines: the builder is the one place an embedder sets every option (ports, limits,
 * meters, tracing…); splitting it would scatter the embedding API over several types.
 */
public final class ArqonBus implements AutoCloseable {
    /** The workflow channels of the bootstrapped {@code science} room. */
    public static final List<String> SCIENCE_CHANNELS = ScienceRoom.CHANNELS;
    /** Default queue capacity of each in-process subscription: {@value} envelopes. */
    public static final int DEFAULT_SUBSCRIBER_QUEUE_CAPACITY = HostSubscriptions.DEFAULT_QUEUE_CAPACITY;

    private enum State { IDLE, STARTING, STARTED, STOPPING, STOPPED }

    private final ServerConfig config;
    private final Clock clock;
    private final int subscriberQueueCapacity;
    private final ByteBufAllocator allocator;
    private final IntConsumer halt;
    private final MeterRegistry meters;
    private final OpenTelemetry openTelemetry;
    private final Object lock = new Object();
    private volatile State state = State.IDLE;
    private CompletableFuture<ArqonBus> startFuture;
    private CompletableFuture<Void> stopFuture;
    /** The parts of the current (or last) run; {@code null} before the first start completes. */
    private volatile BusComponents components;

    private ArqonBus(Builder builder) {
        this.config = builder.resolve();
        this.clock = builder.clock;
        this.subscriberQueueCapacity = builder.subscriberQueueCapacity;
        this.allocator = builder.allocator;
        this.halt = builder.halt;
        this.meters = builder.meters;
        this.openTelemetry = builder.openTelemetry;
    }

    /** A builder with the default configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an {@link ArqonBus}. Start from {@link #config(ServerConfig)} (default:
     * {@link ServerConfig#defaults()}: loopback, ports 9100 / 8081 / 8080) and adjust with the
     * shortcuts; a shortcut called before {@code config(…)} is overwritten by it. {@link #build()}
     * validates the result ({@link io.arqonbus.server.config.ConfigException} when it is not valid).
     */
    public static final class Builder {
        private ServerConfig base = ServerConfig.defaults();
        private final List<Consumer<ServerConfig.Builder>> changes = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private int subscriberQueueCapacity = DEFAULT_SUBSCRIBER_QUEUE_CAPACITY;
        private ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        private IntConsumer halt = status -> Runtime.getRuntime().halt(status);
        private MeterRegistry meters;
        private OpenTelemetry openTelemetry;

        private Builder() {
        }

        /** The whole configuration (default: {@link ServerConfig#defaults()}). */
        public Builder config(ServerConfig value) {
            base = Objects.requireNonNull(value, "config");
            changes.clear();
            return this;
        }

        /** Changes any setting of the configuration, e.g. {@code b -> b.authEnabled(true).jwtSecret(s)}. */
        public Builder configure(Consumer<ServerConfig.Builder> change) {
            changes.add(Objects.requireNonNull(change, "change"));
            return this;
        }

        /** The address every port binds to (default {@code 127.0.0.1}). */
        public Builder host(String value) {
            Objects.requireNonNull(value, "host");
            return configure(b -> b.host(value).telemetryHost(value).httpHost(value));
        }

        /** The bus WebSocket port (default 9100; 0 picks a free port, see {@link ArqonBus#busAddress()}). */
        public Builder port(int value) {
            return configure(b -> b.port(value));
        }

        /** The HTTP port (default 8080; 0 picks a free port; -1 turns HTTP off). */
        public Builder httpPort(int value) {
            return configure(b -> b.httpPort(value));
        }

        /** The telemetry WebSocket port (default 8081; 0 picks a free port; -1 turns it off). */
        public Builder telemetryPort(int value) {
            return configure(b -> b.telemetryPort(value));
        }

        /** Every port 0: the system picks free ones (tests, several buses in one host). */
        public Builder ephemeralPorts() {
            return port(0).httpPort(0).telemetryPort(0);
        }

        /** How many recent publications the bus keeps for {@code ?welcome=recent} and {@code /events/recent} (default 100; 0 = off). */
        public Builder recentEvents(int size) {
            return configure(b -> b.recentEventsSize(size));
        }

        /** Queue capacity of each in-process subscription (default {@value #DEFAULT_SUBSCRIBER_QUEUE_CAPACITY}); past it, dropped. */
        public Builder subscriberQueueCapacity(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("subscriber queue capacity: " + value + " (expected: >= 1)");
            }
            subscriberQueueCapacity = value;
            return this;
        }

        /** The allocator of connections' buffers and encoded frames (default: Netty's pooled direct one). */
        public Builder allocator(ByteBufAllocator value) {
            allocator = Objects.requireNonNull(value, "allocator");
            return this;
        }

        /** Ends the process out of memory under {@code ON_OUT_OF_MEMORY=exit} (default {@link Runtime#halt}(3)). */
        public Builder onHalt(IntConsumer value) {
            halt = Objects.requireNonNull(value, "halt");
            return this;
        }

        /** The clock for timestamps and ages (default: the system UTC clock). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** Also registers the bus's meters in this registry (a Prometheus one is then what {@code /metrics} serves). */
        public Builder meterRegistry(MeterRegistry value) { meters = Objects.requireNonNull(value, "meterRegistry"); return this; }

        /** Records the bus's spans with this OpenTelemetry (not closed by the bus) instead of the {@code OTEL_*} variables'. */
        public Builder openTelemetry(OpenTelemetry value) {
            openTelemetry = Objects.requireNonNull(value, "openTelemetry");
            return this;
        }

        /** Builds the bus (not started); validates the configuration. */
        public ArqonBus build() {
            return new ArqonBus(this);
        }

        private ServerConfig resolve() {
            if (changes.isEmpty()) {
                return base;
            }
            ServerConfig.Builder settings = base.toBuilder();
            for (Consumer<ServerConfig.Builder> change : changes) {
                change.accept(settings);
            }
            return settings.build();
        }
    }

    /**
     * Binds every port; completes with this bus when it accepts traffic, or exceptionally (e.g. a
     * port in use) after undoing what it built. Idempotent while starting or started.
     */
    public CompletableFuture<ArqonBus> start() {
        CompletableFuture<ArqonBus> future;
        synchronized (lock) {
            switch (state) {
                case STARTING, STARTED -> {
                    return startFuture;
                }
                case STOPPING -> {
                    return stopFuture.handle((ignored, e) -> null).thenCompose(ignored -> start());
                }
                default -> {
                    state = State.STARTING;
                    components = null;
                    stopFuture = null;
                    future = startFuture = new CompletableFuture<>();
                }
            }
        }
        try {
            BusComponents started = BusComponents.start(config, clock, subscriberQueueCapacity, this::readiness, allocator,
                    halt, meters, openTelemetry);
            synchronized (lock) {
                components = started;
                if (state == State.STARTING) {
                    state = State.STARTED;
                }
            }
            future.complete(this);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            synchronized (lock) {
                if (state == State.STARTING) {
                    state = State.IDLE;
                }
            }
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * Stops gracefully on a thread of its own: refuses new connections, closes every client with
     * 1001, waits up to the shutdown grace for them to leave, then stops the event loops and the
     * stores; completes when every thread is gone. Idempotent; while starting, it stops once the
     * start completed.
     */
    public CompletableFuture<Void> stop() {
        synchronized (lock) {
            switch (state) {
                case STOPPING, STOPPED -> {
                    return stopFuture;
                }
                case IDLE -> {
                    state = State.STOPPED;
                    return stopFuture = CompletableFuture.completedFuture(null);
                }
                case STARTING -> {
                    state = State.STOPPING;
                    return stopFuture = startFuture.handle((bus, e) -> null).thenCompose(ignored -> shutdown());
                }
                default -> {
                    state = State.STOPPING;
                    return stopFuture = shutdown();
                }
            }
        }
    }

    private CompletableFuture<Void> shutdown() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        BusComponents running = components;
        Thread.ofPlatform().name("arqonbus-shutdown").start(() -> {
            try {
                if (running != null) {
                    running.stop();
                }
            } finally {
                synchronized (lock) {
                    state = State.STOPPED;
                }
                done.complete(null);
            }
        });
        return done;
    }

    /** Same as {@code stop().join()}. */
    @Override
    public void close() {
        stop().join();
    }

    /**
     * Publishes from the host application to {@code room:channel}, as sender {@code arqonbus}:
     * stored in history, delivered to every member (and to {@code ?welcome=recent} readers,
     * webhooks and in-process subscribers that ask for the host's publications), exactly like a
     * client's {@code message}. Creates the channel if needed. Thread-safe; never blocks on I/O.
     *
     * @param payload a JSON object, or {@code null} for an empty one
     * @return the envelope as delivered, with its offset and epoch
     * @throws IllegalArgumentException when the room or channel is not a valid name, or the
     *                                  payload is not a JSON object
     * @throws IllegalStateException    when the bus is not started, or stopping or stopped
     */
    public Envelope publish(String room, String channel, JsonNode payload) {
        return publish(MessageType.MESSAGE, room, channel, payload);
    }

    /** {@link #publish(String, String, JsonNode)} with any value Jackson turns into a JSON object (Map, record, bean). */
    public Envelope publish(String room, String channel, Object payload) {
        return publish(MessageType.MESSAGE, room, channel, payload);
    }

    /** Like {@link #publish(String, String, Object)}, with envelope type {@code event} (the seeds' name for a
     *  message; routed identically, the type stays {@code event} on the wire). */
    public Envelope emit(String room, String channel, Object payload) {
        return publish(MessageType.EVENT, room, channel, payload);
    }

    private Envelope publish(MessageType type, String room, String channel, Object payload) {
        return serving().hostPublisher().publish(type, room, channel, payload);
    }

    /**
     * Receives, in process, every publication that passes {@code filter} (clients' and the
     * server's own; this host's own only when the filter names sender {@code arqonbus}), from the
     * next one on. Threads, order and overflow: {@link Subscription}.
     *
     * @return the subscription; close it to stop (stopping the bus closes it too)
     * @throws IllegalStateException when the bus is not started or is stopping
     */
    public Subscription subscribe(SubscriptionFilter filter, Consumer<Envelope> handler) {
        return serving().hostSubscriptions().subscribe(filter, handler);
    }

    /** {@link #subscribe(SubscriptionFilter, Consumer)} with its own queue capacity. */
    public Subscription subscribe(SubscriptionFilter filter, Consumer<Envelope> handler, int queueCapacity) {
        return serving().hostSubscriptions().subscribe(filter, handler, queueCapacity);
    }

    /** The newest publications the recent-events ring holds ({@code GET /events/recent}, {@code ?welcome=recent}),
     *  at most {@code max}, oldest first; empty when recent events are off. */
    public List<Envelope> recentEvents(int max) {
        return running().recentEvents(max);
    }

    /** A read-only snapshot of the bus's counts (connections, channels, publications, deliveries, …). */
    public BusStats stats() {
        return running().stats();
    }

    /** The parts while publishing and subscribing are allowed: started, and stop() not called. */
    private BusComponents serving() {
        BusComponents running = running();
        if (state != State.STARTED) {
            throw new IllegalStateException("the server is stopping or stopped");
        }
        return running;
    }

    private BusComponents running() {
        BusComponents running = components;
        if (running == null) {
            throw new IllegalStateException("the server is not started");
        }
        return running;
    }

    /** The running parts, for tests in this package's test tree; not API. */
    BusComponents components() {
        return running();
    }

    /** The configuration. */
    public ServerConfig config() { return config; }
    /** Whether the server accepts traffic (started and not stopping). */
    public boolean isReady() { return state == State.STARTED; }
    /** Starting, ready, or draining after {@link #stop()}; what {@code GET /ready} reports. */
    public Readiness readiness() {
        return switch (state) {
            case STARTED -> Readiness.READY;
            case STOPPING, STOPPED -> Readiness.DRAINING;
            case IDLE, STARTING -> Readiness.STARTING;
        };
    }
    /** Facts about the running server (of the last run, once stopped). */
    public ServerInfo info() { return running().info(); }
    /** Where the bus WebSocket port is bound (of the last run, once stopped). */
    public InetSocketAddress busAddress() { return running().busAddress(); }
    /** Where the telemetry port is bound, or {@code null} when disabled. */
    public InetSocketAddress telemetryAddress() { return running().telemetryAddress(); }
    /** Where the HTTP port is bound, or {@code null} when disabled. */
    public InetSocketAddress httpAddress() { return running().httpAddress(); }
}
