package io.arqonbus.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.MessageType;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.server.auth.Authenticator;
import io.arqonbus.server.auth.JwtAuthenticator;
import io.arqonbus.server.auth.JwtSettings;
import io.arqonbus.server.command.CommandDispatcher;
import io.arqonbus.server.command.CommandRegistry;
import io.arqonbus.server.command.CommandServices;
import io.arqonbus.server.command.builtin.BuiltinCommands;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.TlsConfig;
import io.arqonbus.server.cron.CronScheduler;
import io.arqonbus.server.embed.Names;
import io.arqonbus.server.embed.Subscription;
import io.arqonbus.server.embed.HostSubscriptions;
import io.arqonbus.server.events.RecentEvents;
import io.arqonbus.server.events.RecentEventsWelcome;
import io.arqonbus.server.filter.SubscriptionFilter;
import io.arqonbus.server.history.HistoryQuery;
import io.arqonbus.server.history.HistoryStore;
import io.arqonbus.server.history.HistoryStores;
import io.arqonbus.server.http.BusHealthCheck;
import io.arqonbus.server.http.EventsRoutes;
import io.arqonbus.server.http.HttpAuth;
import io.arqonbus.server.inspect.CasilInspector;
import io.arqonbus.server.kv.KeyValueStore;
import io.arqonbus.server.kv.KeyValueStores;
import io.arqonbus.server.inspect.CasilPolicyHolder;
import io.arqonbus.server.inspect.InspectionGate;
import io.arqonbus.server.http.HttpApiServer;
import io.arqonbus.server.http.HttpEndpoints;
import io.arqonbus.server.http.LiveBusView;
import io.arqonbus.server.hub.ChannelKey;
import io.arqonbus.server.hub.Hub;
import io.arqonbus.server.limits.ConnectionsPerSubject;
import io.arqonbus.server.limits.InboundBudget;
import io.arqonbus.server.presence.Presence;
import io.arqonbus.server.presence.PresenceCommands;
import io.arqonbus.server.presence.PresenceEndpoint;
import io.arqonbus.server.presence.Typing;
import io.arqonbus.server.subscription.SubscriptionCommands;
import io.arqonbus.server.subscription.Subscriptions;
import io.arqonbus.server.metrics.BusMetrics;
import io.arqonbus.server.omega.OmegaLab;
import io.arqonbus.server.routing.AgentActivity;
import io.arqonbus.server.routing.ConnectionLifecycle;
import io.arqonbus.server.routing.InboundRouter;
import io.arqonbus.server.routing.Replies;
import io.arqonbus.server.session.LoopContexts;
import io.arqonbus.server.session.Session;
import io.arqonbus.server.session.SessionRegistry;
import io.arqonbus.server.telemetry.TelemetryHub;
import io.arqonbus.server.telemetry.TelemetryServer;
import io.arqonbus.server.tls.ServerTls;
import io.arqonbus.server.transport.BusChannelInitializer;
import io.arqonbus.server.transport.BusDependencies;
import io.arqonbus.server.transport.Disconnector;
import io.arqonbus.server.transport.ExceptionHandler;
import io.arqonbus.server.transport.FrameEncoder;
import io.arqonbus.server.transport.OutOfMemoryGuard;
import io.arqonbus.server.transport.Transports;
import io.arqonbus.server.webhook.Webhooks;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <li>Lifecycle: {@link #start()} binds every port and completes with this bus once it accepts
 *     traffic; {@link #stop()} drains clients (close 1001) and completes when every thread is gone;
 *     both are idempotent; {@link #close()} is {@code stop().join()}. A bus is started once.</li>
 * <li>Publishing: {@link #publish(String, String, Object)} and {@link #emit(String, String, Object)}
 *     store and deliver like a client publication, as sender {@code arqonbus}; may be called from
 *     any thread, never blocks on I/O.</li>
 * <li>Subscribing: {@link #subscribe(SubscriptionFilter, Consumer)} receives the clients'
 *     publications in process, off the event loops, with a bounded queue (see {@link Subscription}).</li>
 * </ul>
 */
public final class ArqonBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ArqonBus.class);
    /** The workflow channels of the bootstrapped {@code science} room. */
    public static final List<String> SCIENCE_CHANNELS =
            List.of("general", "explore", "hypothesize", "design", "execute", "interpret", "share");

    private final ServerConfig config;
    private final Clock clock;
    private final Object lifecycleLock = new Object();
    private CompletableFuture<ArqonBus> started;
    private CompletableFuture<Void> stopped;

    // Set by start().
    private volatile Running running;
    private volatile boolean ready;
    private volatile boolean draining;
    // The cron lane's scheduler thread, stopped in shutdown() (set by boot()).
    private volatile CronScheduler cron;

    private final int subscriberQueueCapacity;
    private final ByteBufAllocator allocator;
    private final IntConsumer halt;

    private ArqonBus(Builder builder) {
        this.config = builder.resolve();
        this.clock = builder.clock;
        this.subscriberQueueCapacity = builder.subscriberQueueCapacity;
        this.allocator = builder.allocator;
        this.halt = builder.halt;
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
        private int subscriberQueueCapacity = HostSubscriptions.DEFAULT_QUEUE_CAPACITY;
        private ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
        private IntConsumer halt = status -> Runtime.getRuntime().halt(status);

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

        /**
         * The queue capacity of each {@link #subscribe(SubscriptionFilter, Consumer) subscription}
         * (default {@value HostSubscriptions#DEFAULT_QUEUE_CAPACITY} envelopes); past it a slow handler's
         * publications are dropped and counted.
         */
        public Builder subscriberQueueCapacity(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("subscriber queue capacity: " + value + " (expected: >= 1)");
            }
            subscriberQueueCapacity = value;
            return this;
        }

        /** The clock for timestamps and ages (default: the system UTC clock). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * The allocator of every connection's buffers and of the frames the bus encodes (default:
         * Netty's pooled direct allocator). Its direct memory in use is what the shed policy of
         * {@code ARQONBUS_ON_OUT_OF_MEMORY} compares with the high-water mark.
         */
        public Builder allocator(ByteBufAllocator value) {
            allocator = Objects.requireNonNull(value, "allocator");
            return this;
        }

        /**
         * What ends the process when it runs out of memory under {@code ARQONBUS_ON_OUT_OF_MEMORY=exit}
         * (default {@link Runtime#halt}, with status {@value OutOfMemoryGuard#EXIT_STATUS}). A host that
         * must do something first (or a test) passes its own; if it returns, the bus goes on and
         * closes the connection that could not get memory, as under {@code shed}.
         */
        public Builder onHalt(IntConsumer value) {
            halt = Objects.requireNonNull(value, "halt");
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

    /** Everything that exists while the server runs. */
    private record Running(
            ServerInfo info,
            EventLoopGroup boss,
            EventLoopGroup workers,
            List<Channel> serverChannels,
            InetSocketAddress busAddress,
            InetSocketAddress telemetryAddress,
            InetSocketAddress httpAddress,
            IdGenerator ids,
            EnvelopeCodec codec,
            Hub hub,
            HistoryStore history,
            SessionRegistry sessions,
            TelemetryHub telemetry,
            BusMetrics metrics,
            Disconnector disconnector,
            Replies replies,
            AtomicInteger openConnections,
            Authenticator authenticator,
            List<AutoCloseable> lanes,
            RecentEvents recentEvents,
            HostSubscriptions hostSubscriptions) {
    }

    /** Binds every port; completes when the server accepts traffic. */
    public CompletableFuture<ArqonBus> start() {
        synchronized (lifecycleLock) {
            if (started != null) {
                return started;
            }
            started = new CompletableFuture<>();
            try {
                running = boot();
                ready = true;
                log.info("event=started transport={} bus={} telemetry={} http={} tls={} auth={} history={} casil={} "
                        + "version={}", running.info().transport(), running.busAddress(), running.telemetryAddress(),
                        running.httpAddress(), config.tls() == null ? "off" : config.tls().portList(),
                        config.authEnabled() ? "jwt-" + config.jwtAlgorithm() : "off",
                        running.history().backend(),
                        config.casil().enabled() ? config.casil().mode().wireName() : "off", running.info().version());
                started.complete(this);
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
            return started;
        }
    }

    private Running boot() throws InterruptedException {
        String[] version = ServerInfo.readVersion();
        Transports transports = Transports.select(config.nativeTransport());
        ServerInfo info = new ServerInfo(version[0], version[1], clock.instant(), transports.name());
        EventLoopGroup boss = transports.newGroup(1, "arqonbus-accept");
        EventLoopGroup workers = transports.newGroup(config.ioThreads(), "arqonbus-io");
        List<Channel> serverChannels = new ArrayList<>();
        HistoryStore history = null;
        Authenticator authenticator = Authenticator.none();
        // Operator lanes with something to stop (dispatchers, store connections), stopped in reverse order.
        List<AutoCloseable> lanes = new ArrayList<>();
        HostSubscriptions hostSubscriptions = null;
        try {
            ServerTls tls = config.tls() == null ? null : ServerTls.create(config.tls());
            authenticator = config.authEnabled()
                    ? JwtAuthenticator.create(JwtSettings.from(config), clock)
                    : Authenticator.none();
            IdGenerator ids = new IdGenerator();
            EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
            LoopContexts loops = new LoopContexts(workers);
            BusMetrics metrics = new BusMetrics();
            history = HistoryStores.create(config, clock, codec);
            Map<ChannelKey, StreamPosition> heads = history.open();
            FrameEncoder encoder = new FrameEncoder(codec, allocator);
            Hub hub = new Hub(loops, history, heads, encoder, metrics, ids, clock, config.dedupWindow(),
                    Hub.DEFAULT_DEDUP_MAX_KEYS);
            rememberIdempotencyKeys(hub, history, heads.keySet());
            hub.restore(heads.keySet());
            SessionRegistry sessions = new SessionRegistry();
            Replies replies = new Replies(ids, clock);
            Disconnector disconnector = new Disconnector(config.closeWait());
            TelemetryHub telemetry = new TelemetryHub(codec, clock, config.maxPendingBytes(), disconnector);
            OutOfMemoryGuard outOfMemory = new OutOfMemoryGuard(config.onOutOfMemory(), config.directMemoryHighWater(),
                    () -> OutOfMemoryGuard.directMemoryInUse(allocator), halt, disconnector, metrics);
            ExceptionHandler exceptionHandler = new ExceptionHandler(disconnector, outOfMemory);
            AgentActivity activity = new AgentActivity(hub, replies, telemetry);
            ConnectionLifecycle lifecycle = new ConnectionLifecycle(sessions, hub, replies, telemetry, activity,
                    metrics, config.authEnabled());
            CasilPolicyHolder casil = new CasilPolicyHolder(config.casil());
            InspectionGate inspection = new InspectionGate(casil, new CasilInspector(casil), telemetry,
                    metrics.registry());
            KeyValueStore kv = KeyValueStores.create(config);
            lanes.add(kv);
            // Durable cron jobs live beside the history: in the file store's directory, or in Redis.
            CronScheduler cronScheduler = config.redis() != null
                    ? new CronScheduler(config.cron(), hub, ids, clock, kv)
                    : new CronScheduler(config.cron(), hub, ids, clock,
                            config.store().isFile() ? config.store().directory() : null);
            cron = cronScheduler;
            Webhooks webhooks = new Webhooks(config.webhooks(), codec, clock, metrics.registry());
            lanes.add(webhooks);
            hub.addListener(webhooks.dispatcher());
            lifecycle.onClosed(webhooks::ownerClosed);
            CommandRegistry registry = BuiltinCommands.registerAll(new CommandRegistry());
            BuiltinCommands.registerCron(registry, cronScheduler);
            BuiltinCommands.registerOmega(registry, new OmegaLab(config.omega(), hub, ids, clock));
            Subscriptions subscriptions = new Subscriptions(loops.size(), ids, config.maxSubscriptionsPerConnection());
            hub.filteredReceivers(subscriptions);
            Presence presence = new Presence(hub);
            SubscriptionCommands.register(registry, subscriptions);
            PresenceCommands.register(registry, presence, new Typing(hub, replies));
            PresenceEndpoint presenceEndpoint = new PresenceEndpoint(presence);
            CommandServices services = new CommandServices(config, info, clock, hub, history, sessions, lifecycle,
                    metrics, codec, telemetry, registry, authenticator, casil, kv, webhooks);
            CommandDispatcher dispatcher = new CommandDispatcher(services, replies);
            InboundRouter router = new InboundRouter(hub, sessions, dispatcher, lifecycle, activity, telemetry,
                    replies, metrics, disconnector, config.maxViolations(), config.legacyAcks(), inspection);
            AtomicInteger openConnections = new AtomicInteger();
            InboundBudget partialInbound = new InboundBudget(config.maxPartialInboundBytes());
            metrics.gauge("arqonbus.partial.inbound.bytes",
                    "Bytes held of frames and fragmented messages that have only partly arrived, all connections",
                    partialInbound::held);
            BusDependencies deps = new BusDependencies(config, clock, ids, codec, authenticator, router, lifecycle,
                    loops, metrics, disconnector, exceptionHandler, openConnections,
                    new ConnectionsPerSubject(config.maxConnectionsPerClient()),
                    partialInbound, outOfMemory);

            RecentEvents recentEvents = new RecentEvents(config.recentEventsSize());
            if (recentEvents.enabled()) {
                hub.addListener(recentEvents);
            }
            lifecycle.addWelcomeExtension(new RecentEventsWelcome(recentEvents, hub, replies, codec, metrics));
            hostSubscriptions = new HostSubscriptions(hub, subscriberQueueCapacity);
            HostSubscriptions inProcess = hostSubscriptions;

            bootstrapScienceRoom(hub);
            registerGauges(metrics, sessions, hub, telemetry, info, openConnections);
            metrics.gauge("arqonbus.cron.jobs", "Cron jobs scheduled now (op.cron.schedule)", cronScheduler::size);
            cronScheduler.restore();
            HistoryStore store = history;
            metrics.gauge("arqonbus.storage.available",
                    "1 while the history store is reachable, 0 while it is down (history in memory, durable acks refused)",
                    () -> store.health().available() ? 1 : 0);

            InetSocketAddress bus = bind(transports, boss, workers, config.host(), config.port(),
                    secured(tls, TlsConfig.Port.BUS, new BusChannelInitializer(deps)), serverChannels);
            InetSocketAddress telemetryAddress = null;
            if (config.telemetryPort() >= 0) {
                TelemetryServer telemetryServer = new TelemetryServer(telemetry, codec, clock, disconnector,
                        exceptionHandler, config.telemetryMaxClients(), config.handshakeTimeout(), metrics, outOfMemory);
                telemetryAddress = bind(transports, boss, workers, config.telemetryHost(), config.telemetryPort(),
                        secured(tls, TlsConfig.Port.TELEMETRY, telemetryServer), serverChannels);
                telemetryServer.boundTo(telemetryAddress.getHostString(), telemetryAddress.getPort());
            }
            Running state = new Running(info, boss, workers, serverChannels, bus, telemetryAddress, null, ids, codec,
                    hub, history, sessions, telemetry, metrics, disconnector, replies, openConnections, authenticator,
                    lanes, recentEvents, hostSubscriptions);
            InetSocketAddress http = null;
            if (config.httpPort() >= 0) {
                LiveBusView view = new LiveBusView(info, clock, this::readiness, hub, sessions, telemetry, metrics,
                        history, openConnections::get, bus, telemetryAddress, config.tls());
                HttpAuth httpAuth = new HttpAuth(authenticator, config.permissions());
                http = bind(transports, boss, workers, config.httpHost(), config.httpPort(),
                        secured(tls, TlsConfig.Port.HTTP, new HttpApiServer(EventsRoutes.addTo(
                                HttpEndpoints.routes(view, new BusHealthCheck(workers, history)), httpAuth, view,
                                recentEvents, codec, inProcess::count)
                                .getBelow(PresenceEndpoint.PREFIX, httpAuth.require(presenceEndpoint)).build())),
                        serverChannels);
                view.httpBoundTo(http);
            }
            state = new Running(info, boss, workers, serverChannels, bus, telemetryAddress, http, ids, codec,
                    hub, history, sessions, telemetry, metrics, disconnector, replies, openConnections, authenticator,
                    lanes, recentEvents, hostSubscriptions);
            scheduleStats(state);
            return state;
        } catch (RuntimeException | InterruptedException e) {
            if (cron != null) {
                cron.close();
            }
            for (Channel channel : serverChannels) {
                channel.close();
            }
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            closeLanes(lanes);
            if (history != null) {
                history.close();
            }
            if (hostSubscriptions != null) {
                hostSubscriptions.close();
            }
            authenticator.close();
            throw e;
        }
    }

    /** How many recent publications per stream are read at start-up for their idempotency keys. */
    private static final int REMEMBERED_KEYS_PER_STREAM = 10_000;

    /**
     * Reads, before traffic starts, the publications each stored channel kept within the dedup
     * window, so their idempotency keys survive a restart (a durable store only; the in-memory
     * store starts empty).
     */
    private void rememberIdempotencyKeys(Hub hub, HistoryStore history, Set<ChannelKey> streams) {
        Instant since = clock.instant().minus(hub.dedupWindow());
        for (ChannelKey key : streams) {
            if (key.channel() == null) {
                continue;
            }
            try {
                hub.rememberStored(key, history.query(new HistoryQuery(key.room(),
                        key.channel(), since, null, REMEMBERED_KEYS_PER_STREAM,
                        HistoryQuery.Window.LATEST, false)).get(30, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                log.warn("event=idempotency_keys_not_loaded code=STORAGE_UNAVAILABLE stream={} msg=\"{}\"", key,
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading the store", e);
            }
        }
    }

    /** The port's initializer, behind TLS when the port speaks it. */
    private static ChannelHandler secured(ServerTls tls, TlsConfig.Port port, ChannelHandler initializer) {
        return tls == null ? initializer : tls.wrap(port, initializer);
    }

    private InetSocketAddress bind(Transports transports, EventLoopGroup boss, EventLoopGroup workers, String host,
            int port, ChannelHandler initializer, List<Channel> serverChannels) throws InterruptedException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(boss, workers)
                .channel(transports.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 128 * 1024))
                .childHandler(initializer);
        Channel channel;
        try {
            channel = bootstrap.bind(host, port).sync().channel();
        } catch (Exception e) {
            if (e instanceof InterruptedException ie) {
                throw ie;
            }
            throw new IllegalStateException("Cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        serverChannels.add(channel);
        return (InetSocketAddress) channel.localAddress();
    }

    private void bootstrapScienceRoom(Hub hub) {
        for (String channel : SCIENCE_CHANNELS) {
            hub.create(ChannelKey.of("science", channel), "system", "workflow", true);
        }
    }

    private void registerGauges(BusMetrics metrics, SessionRegistry sessions, Hub hub, TelemetryHub telemetry,
            ServerInfo info, AtomicInteger openConnections) {
        metrics.gauge("arqonbus.active.clients", "Bus clients connected now", sessions::size);
        metrics.gauge("arqonbus.websocket.connections", "Open bus WebSocket connections", openConnections::get);
        metrics.gauge("arqonbus.telemetry.connections", "Open telemetry WebSocket connections", telemetry::clientCount);
        metrics.gauge("arqonbus.rooms.total", "Rooms with at least one channel", hub::roomCount);
        metrics.gauge("arqonbus.channels.total", "Channels", hub::channelCount);
        metrics.gauge("arqonbus.uptime.seconds", "Seconds since start", () -> info.uptimeSeconds(clock));
        metrics.gauge("arqonbus.memory.usage.bytes", "JVM heap in use",
                () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
    }

    private void scheduleStats(Running state) {
        long millis = config.statsInterval().toMillis();
        if (millis <= 0) {
            return;
        }
        state.workers().next().scheduleAtFixedRate(() -> {
            ObjectNode stats = JsonNodeFactory.instance.objectNode();
            stats.put("clients", state.sessions().size());
            stats.put("rooms", state.hub().roomCount());
            stats.put("channels", state.hub().channelCount());
            stats.put("messages_total", state.hub().publicationCount());
            stats.put("deliveries_total", state.metrics().sentTotal());
            log.info("event=stats clients={} rooms={} channels={} messages_total={} deliveries_total={}",
                    state.sessions().size(), state.hub().roomCount(), state.hub().channelCount(),
                    state.hub().publicationCount(), state.metrics().sentTotal());
            state.telemetry().emit("stats", stats);
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * Stops gracefully: refuses new connections, closes every client with 1001, waits up to the
     * shutdown grace for them to leave, then stops the event loops. Idempotent.
     */
    public CompletableFuture<Void> stop() {
        synchronized (lifecycleLock) {
            if (stopped != null) {
                return stopped;
            }
            stopped = new CompletableFuture<>();
            Running state = running;
            ready = false;
            draining = true;
            if (state == null) {
                stopped.complete(null);
                return stopped;
            }
            Thread stopper = new Thread(() -> {
                try {
                    shutdown(state);
                    stopped.complete(null);
                } catch (Throwable e) {
                    stopped.completeExceptionally(e);
                }
            }, "arqonbus-shutdown");
            stopper.start();
            return stopped;
        }
    }

    private void shutdown(Running state) throws InterruptedException {
        log.info("event=stopping clients={}", state.sessions().size());
        // The HTTP port stays up (GET /ready answers 503 "draining") until the clients have left.
        List<Channel> httpChannels = new ArrayList<>();
        for (Channel channel : state.serverChannels()) {
            if (channel.localAddress() != null && channel.localAddress().equals(state.httpAddress())) {
                httpChannels.add(channel);
            } else {
                channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
            }
        }
        for (Session session : List.copyOf(state.sessions().all())) {
            state.disconnector().close(session.channel(), CloseCodes.GOING_AWAY, "server shutting down");
        }
        state.telemetry().closeAll();
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (state.openConnections().get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (Channel channel : httpChannels) {
            channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        CronScheduler scheduler = cron;
        if (scheduler != null) {
            scheduler.close();
        }
        state.hostSubscriptions().close();
        state.workers().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        state.boss().shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        closeLanes(state.lanes());
        state.history().close();
        state.authenticator().close();
        log.info("event=stopped");
    }

    private static void closeLanes(List<AutoCloseable> lanes) {
        for (int i = lanes.size() - 1; i >= 0; i--) {
            try {
                lanes.get(i).close();
            } catch (Exception e) {
                log.warn("event=lane_close_failed code=INTERNAL_ERROR lane={} msg=\"{}\"",
                        lanes.get(i).getClass().getSimpleName(), e.toString());
            }
        }
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

    /**
     * {@link #publish(String, String, JsonNode)} with any value Jackson turns into a JSON object: a
     * {@code Map}, a record, a bean.
     */
    public Envelope publish(String room, String channel, Object payload) {
        return publish(MessageType.MESSAGE, room, channel, payload);
    }

    /**
     * Like {@link #publish(String, String, Object)}, with envelope type {@code event} (the seeds'
     * name for a message; routed identically, the type stays {@code event} on the wire).
     */
    public Envelope emit(String room, String channel, Object payload) {
        return publish(MessageType.EVENT, room, channel, payload);
    }

    private Envelope publish(MessageType type, String room, String channel, Object payload) {
        Running state = requireServing();
        Names.require("room", room, true);
        Names.require("channel", channel, false);
        JsonNode tree = payload == null ? null
                : payload instanceof JsonNode node ? node : state.codec().mapper().valueToTree(payload);
        if (tree != null && !tree.isObject() && !tree.isNull()) {
            throw new IllegalArgumentException("the payload must be a JSON object, not " + tree.getNodeType());
        }
        Envelope envelope = Envelope.builder(state.ids().nextId(), Timestamps.now(clock), type)
                .room(room)
                .channel(channel)
                .sender(Hub.SERVER_SENDER)
                .payload(tree == null || tree.isNull() ? null : (ObjectNode) tree)
                .build();
        return state.hub().publish(null, envelope).delivered();
    }

    /**
     * Receives, in process, every publication that passes {@code filter}: clients' channel messages
     * and room broadcasts, and the server's own (cron, telemetry re-broadcasts) — but not what this
     * host publishes itself through {@link #publish} / {@link #emit} (sender {@code arqonbus})
     * unless the filter names that sender. Deliveries start with the next publication.
     *
     * <p>The handler runs on a virtual thread of the bus, never on an event loop and never
     * concurrently with itself, in the order the hub delivered the publications (per channel:
     * offset order). Its queue holds {@link Builder#subscriberQueueCapacity(int)} envelopes; when a
     * slow handler lets it fill up, further publications are dropped for this subscription only,
     * counted in {@link Subscription#dropped()} and logged once. The filter has the fields of the
     * wire's {@code subscribe} command ({@link SubscriptionFilter#parse} reads that JSON);
     * {@link SubscriptionFilter#ALL} matches everything.
     *
     * @return the subscription; close it to stop (stopping the bus closes it too)
     * @throws IllegalStateException when the bus is not started or is stopping
     */
    public Subscription subscribe(SubscriptionFilter filter, Consumer<Envelope> handler) {
        return requireServing().hostSubscriptions().subscribe(filter, handler);
    }

    /** {@link #subscribe(SubscriptionFilter, Consumer)} with its own queue capacity. */
    public Subscription subscribe(SubscriptionFilter filter, Consumer<Envelope> handler, int queueCapacity) {
        return requireServing().hostSubscriptions().subscribe(filter, handler, queueCapacity);
    }

    /** The recent-events ring ({@code GET /events/recent}, {@code ?welcome=recent}). */
    public RecentEvents recentEvents() {
        return requireRunning().recentEvents();
    }

    /** The running state for publishing and subscribing: refused before start and once stop() was called. */
    private Running requireServing() {
        Running state = requireRunning();
        if (draining) {
            throw new IllegalStateException("the server is stopping or stopped");
        }
        return state;
    }

    private Running requireRunning() {
        Running state = running;
        if (state == null) {
            throw new IllegalStateException("the server is not started");
        }
        return state;
    }

    /** The configuration. */
    public ServerConfig config() { return config; }
    /** Whether the server accepts traffic (started and not draining). */
    public boolean isReady() { return ready && running != null; }
    /** Starting, ready, or draining after {@link #stop()}; what {@code GET /ready} reports. */
    public Readiness readiness() {
        return draining ? Readiness.DRAINING : isReady() ? Readiness.READY : Readiness.STARTING;
    }
    /** Facts about the running server. */
    public ServerInfo info() { return requireRunning().info(); }
    /** Where the bus WebSocket port is bound. */
    public InetSocketAddress busAddress() { return requireRunning().busAddress(); }
    /** Where the telemetry port is bound, or {@code null} when disabled. */
    public InetSocketAddress telemetryAddress() { return requireRunning().telemetryAddress(); }
    /** Where the HTTP port is bound, or {@code null} when disabled. */
    public InetSocketAddress httpAddress() { return requireRunning().httpAddress(); }
    /** The meters. */
    public BusMetrics metrics() { return requireRunning().metrics(); }
    /** Rooms, channels and fan-out. */
    public Hub hub() { return requireRunning().hub(); }
    /** The live sessions. */
    public SessionRegistry sessions() { return requireRunning().sessions(); }
    /** The history store. */
    public HistoryStore history() { return requireRunning().history(); }
}
