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
import io.arqonbus.server.history.HistoryQuery;
import io.arqonbus.server.history.HistoryStore;
import io.arqonbus.server.history.HistoryStores;
import io.arqonbus.server.http.BusHealthCheck;
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
import io.arqonbus.server.transport.Transports;
import io.arqonbus.server.webhook.Webhooks;
import io.netty.bootstrap.ServerBootstrap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ArqonBus server: the bus WebSocket port, the telemetry WebSocket port and the HTTP port,
 * in one process, embeddable in a host application.
 *
 * <pre>{@code
 * try (ArqonBus bus = ArqonBus.builder().config(ServerConfig.defaults()).build()) {
 *     bus.start().join();
 *     bus.publish("science", "explore", payload);
 * }
 * }</pre>
 *
 * {@link #start()} and {@link #stop()} are idempotent and return futures.
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

    private ArqonBus(Builder builder) {
        this.config = builder.config;
        this.clock = builder.clock;
    }

    /** A builder with the default configuration. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds an {@link ArqonBus}. */
    public static final class Builder {
        private ServerConfig config = ServerConfig.defaults();
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** The configuration (default: {@link ServerConfig#defaults()}). */
        public Builder config(ServerConfig value) {
            config = Objects.requireNonNull(value, "config");
            return this;
        }

        /** The clock for timestamps and ages (default: the system UTC clock). */
        public Builder clock(Clock value) {
            clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public ArqonBus build() {
            return new ArqonBus(this);
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
            List<AutoCloseable> lanes) {
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
            FrameEncoder encoder = new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT);
            Hub hub = new Hub(loops, history, heads, encoder, metrics, ids, clock, config.dedupWindow(),
                    Hub.DEFAULT_DEDUP_MAX_KEYS);
            rememberIdempotencyKeys(hub, history, heads.keySet());
            hub.restore(heads.keySet());
            SessionRegistry sessions = new SessionRegistry();
            Replies replies = new Replies(ids, clock);
            Disconnector disconnector = new Disconnector(config.closeWait());
            TelemetryHub telemetry = new TelemetryHub(codec, clock, config.maxPendingBytes(), disconnector);
            ExceptionHandler exceptionHandler = new ExceptionHandler(disconnector);
            AgentActivity activity = new AgentActivity(hub, replies, telemetry);
            ConnectionLifecycle lifecycle = new ConnectionLifecycle(sessions, hub, replies, telemetry, activity,
                    metrics, config.authEnabled());
            CasilPolicyHolder casil = new CasilPolicyHolder(config.casil());
            InspectionGate inspection = new InspectionGate(casil, new CasilInspector(casil), telemetry,
                    metrics.registry());
            CronScheduler cronScheduler = new CronScheduler(config.cron(), hub, ids, clock,
                    config.store().isFile() ? config.store().directory() : null);
            cron = cronScheduler;
            KeyValueStore kv = KeyValueStores.create(config);
            lanes.add(kv);
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
            PresenceEndpoint presenceEndpoint = new PresenceEndpoint(presence, authenticator, config.permissions());
            CommandServices services = new CommandServices(config, info, clock, hub, history, sessions, lifecycle,
                    metrics, codec, telemetry, registry, authenticator, casil, kv, webhooks);
            CommandDispatcher dispatcher = new CommandDispatcher(services, replies);
            InboundRouter router = new InboundRouter(hub, sessions, dispatcher, lifecycle, activity, telemetry,
                    replies, metrics, disconnector, config.maxViolations(), config.legacyAcks(), inspection);
            AtomicInteger openConnections = new AtomicInteger();
            BusDependencies deps = new BusDependencies(config, clock, ids, codec, authenticator, router, lifecycle,
                    loops, metrics, disconnector, exceptionHandler, openConnections,
                    new ConnectionsPerSubject(config.maxConnectionsPerClient()));

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
                        exceptionHandler, config.telemetryMaxClients());
                telemetryAddress = bind(transports, boss, workers, config.telemetryHost(), config.telemetryPort(),
                        secured(tls, TlsConfig.Port.TELEMETRY, telemetryServer), serverChannels);
                telemetryServer.boundTo(telemetryAddress.getHostString(), telemetryAddress.getPort());
            }
            Running state = new Running(info, boss, workers, serverChannels, bus, telemetryAddress, null, ids, codec,
                    hub, history, sessions, telemetry, metrics, disconnector, replies, openConnections, authenticator,
                    lanes);
            InetSocketAddress http = null;
            if (config.httpPort() >= 0) {
                LiveBusView view = new LiveBusView(info, clock, this::readiness, hub, sessions, telemetry, metrics,
                        history, openConnections::get, bus, telemetryAddress, config.tls());
                http = bind(transports, boss, workers, config.httpHost(), config.httpPort(),
                        secured(tls, TlsConfig.Port.HTTP, new HttpApiServer(
                                HttpEndpoints.routes(view, new BusHealthCheck(workers, history))
                                        .getBelow(PresenceEndpoint.PREFIX, presenceEndpoint).build())),
                        serverChannels);
                view.httpBoundTo(http);
            }
            state = new Running(info, boss, workers, serverChannels, bus, telemetryAddress, http, ids, codec,
                    hub, history, sessions, telemetry, metrics, disconnector, replies, openConnections, authenticator,
                    lanes);
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
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
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
     * stored in history and delivered to every member.
     *
     * @return the envelope as delivered, with its offset and epoch
     */
    public Envelope publish(String room, String channel, JsonNode payload) {
        Running state = requireRunning();
        Envelope envelope = Envelope.builder(state.ids().nextId(), Timestamps.now(clock), MessageType.MESSAGE)
                .room(room)
                .channel(channel)
                .sender(Hub.SERVER_SENDER)
                .payload(payload == null ? null : (ObjectNode) payload)
                .build();
        return state.hub().publish(null, envelope).delivered();
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
