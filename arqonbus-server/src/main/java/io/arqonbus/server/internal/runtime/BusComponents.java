package io.arqonbus.server.internal.runtime;

import io.arqonbus.protocol.CloseCodes;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.JwtSettings;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.TlsConfig;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.auth.JwtAuthenticator;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.command.CommandDispatcher;
import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.cron.CronCommands;
import io.arqonbus.server.internal.history.HistoryCommands;
import io.arqonbus.server.internal.history.HistoryReaders;
import io.arqonbus.server.internal.hub.HubCommands;
import io.arqonbus.server.internal.hub.HubHistoryAccess;
import io.arqonbus.server.internal.inspect.CasilCommands;
import io.arqonbus.server.internal.kv.StoreCommands;
import io.arqonbus.server.internal.omega.OmegaCommands;
import io.arqonbus.server.internal.system.SystemCommands;
import io.arqonbus.server.internal.webhook.WebhookCommands;
import io.arqonbus.server.internal.cron.CronScheduler;
import io.arqonbus.server.internal.embed.HostPublisher;
import io.arqonbus.server.internal.embed.HostSubscriptions;
import io.arqonbus.server.internal.events.RecentEvent;
import io.arqonbus.server.internal.events.RecentEvents;
import io.arqonbus.server.internal.events.RecentEventsWelcome;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.HistoryStores;
import io.arqonbus.server.internal.http.BusHealthCheck;
import io.arqonbus.server.internal.http.DashboardAssets;
import io.arqonbus.server.internal.http.DashboardEndpoint;
import io.arqonbus.server.internal.http.EventsRoutes;
import io.arqonbus.server.internal.http.HttpApiServer;
import io.arqonbus.server.internal.http.HttpAuth;
import io.arqonbus.server.internal.http.HttpEndpoints;
import io.arqonbus.server.internal.http.LiveBusView;
import io.arqonbus.server.internal.http.PresenceEndpoint;
import io.arqonbus.server.internal.httpapi.HttpApi;
import io.arqonbus.server.internal.hub.AgentActivity;
import io.arqonbus.server.internal.hub.ConnectionLifecycle;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.ChannelReaper;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.inspect.CasilInspector;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.inspect.InspectionGate;
import io.arqonbus.server.internal.kv.KeyValueStore;
import io.arqonbus.server.internal.kv.KeyValueStores;
import io.arqonbus.server.internal.limits.ConnectionsPerSubject;
import io.arqonbus.server.internal.limits.InboundBudget;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.omega.OmegaLab;
import io.arqonbus.server.internal.presence.Presence;
import io.arqonbus.server.internal.presence.PresenceCommands;
import io.arqonbus.server.internal.presence.Typing;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.internal.cluster.ClientDirectory;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.routing.InboundRouter;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.subscription.SubscriptionCommands;
import io.arqonbus.server.internal.subscription.Subscriptions;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.internal.transport.BusChannelInitializer;
import io.arqonbus.server.internal.transport.BusDependencies;
import io.arqonbus.server.internal.transport.ExceptionHandler;
import io.arqonbus.server.internal.transport.OutOfMemoryGuard;
import io.arqonbus.server.internal.transport.TelemetryServer;
import io.arqonbus.server.internal.webhook.WebhookRuleStore;
import io.arqonbus.server.internal.webhook.Webhooks;
import io.arqonbus.server.status.BusStats;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.status.ServerInfo;
import io.micrometer.core.instrument.MeterRegistry;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TracingSetup;
import io.opentelemetry.api.OpenTelemetry;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of one running bus, built lane by lane by {@link #start}: event loops and TLS,
 * metrics and authentication, storage, the hub, the feature lanes (operator lanes, presence,
 * subscriptions, recent events, in-process subscriptions), the command and routing lane, then
 * the bus, telemetry and HTTP ports. Every part that needs undoing registers a hook in
 * {@link ShutdownHooks} as it is built, so a start that fails half-way and {@link #stop()} share
 * one cleanup path.
 *
 * <p>Internal, not API: the accessors hand out live, mutable parts, for the facade and for tests
 * (through the facade's package-private accessor); they carry no compatibility promise.
 *
 * <p>Over 400 lines: the composition root reads as one table of contents, lane by lane (with the
 * cluster and the embedder's meter registry it passed 400); splitting it would scatter the order of
 * construction and shutdown that this one class makes visible.
 */
public final class BusComponents {
    private static final Logger log = LoggerFactory.getLogger(BusComponents.class);

    private final ServerConfig config;
    private final Clock clock;
    private final ShutdownHooks hooks = new ShutdownHooks();
    private final AtomicInteger openConnections = new AtomicInteger();
    private Listeners listeners;
    private ServerInfo info;
    private IdGenerator ids;
    private EnvelopeCodec codec;
    private BusMetrics metrics;
    private Authenticator authenticator;
    private HistoryStore history;
    private RedisLink redisLink;
    private ClientDirectory clientDirectory;
    private Map<ChannelKey, StreamPosition> heads;
    private LoopContexts loops;
    private Hub hub;
    private Replies replies;
    private SessionRegistry sessions;
    private Disconnector disconnector;
    private TelemetryHub telemetry;
    private ConnectionLifecycle lifecycle;
    private AgentActivity activity;
    private KeyValueStore kv;
    private CronScheduler cron;
    private Webhooks webhooks;
    private Presence presence;
    private RecentEvents recentEvents;
    private HostSubscriptions hostSubscriptions;
    private HostPublisher hostPublisher;
    private InboundRouter router;
    private CasilPolicyHolder casil;
    private InspectionGate inspection;
    private InetSocketAddress busAddress;
    private InetSocketAddress telemetryAddress;
    private InetSocketAddress httpAddress;

    private final ByteBufAllocator allocator;
    private final IntConsumer halt;
    private final MeterRegistry embedderMeters;
    private final OpenTelemetry embedderTracing;
    private BusTracing tracing = BusTracing.off();

    private BusComponents(ServerConfig config, Clock clock, ByteBufAllocator allocator, IntConsumer halt,
            MeterRegistry embedderMeters, OpenTelemetry embedderTracing) {
        this.config = config;
        this.clock = clock;
        this.allocator = allocator;
        this.halt = halt;
        this.embedderMeters = embedderMeters;
        this.embedderTracing = embedderTracing;
    }

    /**
     * Builds and starts every part; returns once every port accepts traffic. When a part fails,
     * what was built so far is undone (threads stopped, ports closed, stores closed) and the
     * failure is thrown.
     *
     * @param subscriberQueueCapacity the default queue capacity of in-process subscriptions
     * @param readiness               what {@code GET /ready} reports (the facade's lifecycle)
     * @param allocator               the allocator of every connection's buffers and of the encoded frames
     * @param halt                    what ends the process when it runs out of memory under the exit policy
     * @param meters                  the embedding application's meter registry, or {@code null} (the server's own only)
     * @param openTelemetry           the embedding application's OpenTelemetry, or {@code null} (the {@code OTEL_*}
     *                                variables decide; docs/operations.md#tracing)
     */
    public static BusComponents start(ServerConfig config, Clock clock, int subscriberQueueCapacity,
            Supplier<Readiness> readiness, ByteBufAllocator allocator, IntConsumer halt, MeterRegistry meters,
            OpenTelemetry openTelemetry) throws InterruptedException {
        BusComponents parts = new BusComponents(config, clock, allocator, halt, meters, openTelemetry);
        try {
            parts.buildFoundation();
            parts.buildStorage();
            parts.buildHub();
            parts.buildFeatures(subscriberQueueCapacity);
            parts.buildPorts(readiness);
        } catch (RuntimeException | Error | InterruptedException e) {
            log.atWarn().addKeyValue("event", "start_failed").addKeyValue("msg", e.getMessage())
                    .addKeyValue("undoing", parts.hooks.size()).log("start_failed");
            parts.hooks.runAll();
            throw e;
        }
        log.atInfo().addKeyValue("event", "started").addKeyValue("transport", parts.info.transport())
                .addKeyValue("bus", parts.busAddress).addKeyValue("telemetry", parts.telemetryAddress)
                .addKeyValue("http", parts.httpAddress).addKeyValue("history", parts.history.backend())
                .addKeyValue("tls", config.tls() == null ? "off" : config.tls().portList())
                .addKeyValue("auth", config.auth().enabled() ? "jwt-" + config.auth().jwtAlgorithm() : "off")
                .addKeyValue("casil", config.casil().enabled() ? config.casil().mode().wireName() : "off")
                .addKeyValue("tracing", parts.tracing.enabled() ? "otel" : "off")
                .addKeyValue("version", parts.info.version())
                .addKeyValue("cluster", config.cluster().enabled() ? config.cluster().redis().display() : "off")
                .addKeyValue("node", config.cluster().enabled() ? config.cluster().nodeId() : null)
                .log("started");
        return parts;
    }

    /** Event loops, TLS, ids and codec, metrics, authentication. */
    private void buildFoundation() {
        listeners = new Listeners(config, hooks, allocator);
        String[] version = ServerInfo.readVersion();
        info = new ServerInfo(version[0], version[1], clock.instant(), listeners.transportName());
        ids = new IdGenerator();
        codec = new EnvelopeCodec(ids, clock);
        metrics = new BusMetrics(embedderMeters, config.metricsLegacyNames(), allocator);
        hooks.add(ShutdownHooks.Priority.SECURITY, "metrics", metrics::close);
        tracing = TracingSetup.create(config.tracing(), embedderTracing, System.getenv(), System::getProperty);
        BusTracing spans = tracing;
        hooks.add(ShutdownHooks.Priority.SECURITY, "tracing", spans::close);
        authenticator = config.auth().enabled()
                ? JwtAuthenticator.create(JwtSettings.from(config), clock)
                : Authenticator.none();
        Authenticator auth = authenticator;
        hooks.add(ShutdownHooks.Priority.SECURITY, "authenticator", auth::close);
    }

    /**
     * The history store (opened: its streams' heads read) and the key-value store, over one Redis
     * link when Redis is configured (closed after both: hooks of one priority run newest first).
     */
    private void buildStorage() {
        RedisLink redis = config.storage().redis() == null ? null : new RedisLink(config.storage().redis(), tracing);
        redisLink = redis;
        if (redis != null) {
            hooks.add(ShutdownHooks.Priority.STORAGE, "redis link", redis::close);
        }
        history = HistoryStores.create(config, redis, clock, codec);
        HistoryStore store = history;
        hooks.add(ShutdownHooks.Priority.STORAGE, "history store", store::close);
        heads = history.open();
        kv = KeyValueStores.create(config, redis);
        hooks.add(ShutdownHooks.Priority.LANES, "key-value store", kv::close);
    }

    /** The hub with the stored streams and their idempotency keys, sessions, telemetry. */
    private void buildHub() throws InterruptedException {
        FrameEncoder encoder = new FrameEncoder(codec, allocator);
        loops = new LoopContexts(listeners.workers());
        hub = new Hub(loops, history, heads, encoder, metrics, ids, clock,
                config.history().dedupWindow(), Hub.DEFAULT_DEDUP_MAX_KEYS,
                ClusterWiring.broker(config, redisLink, history, encoder, codec, metrics), tracing);
        hub.channelLimits(config.channels());
        hub.slowConsumerChannels(config.slowConsumerChannels(), config.limits().maxPendingBytes());
        hooks.add(ShutdownHooks.Priority.EVENT_LOOPS, "broker", hub::close);
        new IdempotencyRestore(hub, history, clock, IdempotencyRestore.DEFAULT_PARALLELISM,
                IdempotencyRestore.DEFAULT_TOTAL_TIME).restore(heads.keySet());
        hub.restore(heads.keySet());
        sessions = new SessionRegistry();
        replies = new Replies(ids, clock);
        disconnector = new Disconnector(config.timeouts().closeWait());
        telemetry = new TelemetryHub(codec, clock, config.limits().maxPendingBytes(), disconnector);
        hooks.add(ShutdownHooks.Priority.CLIENTS, "clients", this::closeClients);
        activity = new AgentActivity(hub, replies, telemetry);
        lifecycle = new ConnectionLifecycle(sessions, hub, replies, telemetry, activity, metrics,
                config.auth().enabled());
        ClusterWiring.presence(config, redisLink, hub, codec, clock, lifecycle, hooks);
        ScienceRoom.create(hub);
        ChannelReaper reaper = new ChannelReaper(hub, telemetry, listeners.workers().next(),
                config.channels().idleGrace());
        hooks.add(ShutdownHooks.Priority.FEATURES, "channel sweep", reaper::close);
    }

    /** Operator lanes, presence, subscriptions, recent events, in-process subscriptions, gauges. */
    private void buildFeatures(int subscriberQueueCapacity) {
        // Durable cron jobs live beside the history: in the file store's directory, or in Redis.
        cron = config.storage().redis() != null
                ? new CronScheduler(config.cron(), hub, ids, clock, kv)
                : new CronScheduler(config.cron(), hub, ids, clock,
                        config.storage().store().isFile() ? config.storage().store().directory() : null);
        CronScheduler scheduler = cron;
        hooks.add(ShutdownHooks.Priority.FEATURES, "cron", scheduler::close);
        ClusterWiring.cronLease(config, redisLink, scheduler, hooks);
        // Durable webhook rules live where durable cron jobs do: in Redis, or in the file store's directory.
        WebhookRuleStore webhookRules = config.storage().redis() != null ? WebhookRuleStore.inKeyValueStore(kv)
                : config.storage().store().isFile() ? WebhookRuleStore.inDirectory(config.storage().store().directory())
                : null;
        webhooks = new Webhooks(config.webhooks(), codec, clock, metrics.registry(), webhookRules, tracing);
        Webhooks hooksLane = webhooks;
        hooks.add(ShutdownHooks.Priority.LANES, "webhooks", hooksLane::close);
        hub.addAcceptedListener(webhooks.dispatcher());
        lifecycle.onClosed(webhooks::ownerClosed);
        presence = new Presence(hub);
        recentEvents = new RecentEvents(config.history().recentEventsSize());
        if (recentEvents.enabled()) {
            hub.addListener(recentEvents);
        }
        lifecycle.addWelcomeExtension(new RecentEventsWelcome(recentEvents, hub, replies, codec, metrics));
        hostSubscriptions = new HostSubscriptions(hub, subscriberQueueCapacity);
        HostSubscriptions inProcess = hostSubscriptions;
        hooks.add(ShutdownHooks.Priority.FEATURES, "in-process subscriptions", inProcess::close);
        hostPublisher = new HostPublisher(hub, ids, codec.mapper(), clock);
        BusGauges.register(metrics, sessions, hub, telemetry, info, clock, openConnections::get, cron, history);
        cron.restore();
        webhooks.start(config.permissions());
        router = commands();
        ClusterWiring.control(config, redisLink, hub, casil, webhooks, cron, codec, hooks);
        clientDirectory = ClusterWiring.directory(config, redisLink, sessions, hub, codec, clock, lifecycle, router,
                hooks);
    }

    /** The command registry and dispatcher, and the router every inbound frame goes through. */
    private InboundRouter commands() {
        casil = new CasilPolicyHolder(config.casil());
        inspection = new InspectionGate(casil, new CasilInspector(casil), telemetry,
                metrics.registry());
        Subscriptions subscriptions = new Subscriptions(loops.size(), ids,
                config.limits().maxSubscriptionsPerConnection());
        hub.filteredReceivers(subscriptions);
        CommandRegistry registry = new CommandRegistry();
        SystemCommands.register(registry, clock, info, sessions, hub, history, authenticator, config.permissions(),
                () -> clientDirectory == null ? null : clientDirectory.describe());
        HubCommands.register(registry, hub, lifecycle, history, telemetry, config);
        HistoryReaders historyReaders = new HistoryReaders(config.historyReads());
        hooks.add(ShutdownHooks.Priority.FEATURES, "history readers", historyReaders::close);
        HistoryCommands.register(registry, history, new HubHistoryAccess(hub), historyReaders, codec, config);
        CasilCommands.register(registry, casil, telemetry);
        StoreCommands.register(registry, kv, config.kvLimits(), codec.mapper());
        WebhookCommands.register(registry, webhooks, clock, config.webhookAllowedHosts(), config.permissions());
        CronCommands.register(registry, cron);
        OmegaCommands.register(registry, new OmegaLab(config.omega(), hub, ids, clock));
        SubscriptionCommands.register(registry, subscriptions);
        PresenceCommands.register(registry, presence, new Typing(hub, replies), hub);
        CommandDispatcher dispatcher = new CommandDispatcher(registry, replies, hub::sendTo, metrics,
                config.legacyAcks(), HistoryCommands::refusal);
        return new InboundRouter(hub, sessions, dispatcher, lifecycle, activity,
                telemetry, replies, metrics, disconnector, config.limits().maxViolations(), config.legacyAcks(), inspection,
                tracing);
    }

    /** The bus port, the telemetry port (unless off), the HTTP port (unless off), the stats line. */
    private void buildPorts(Supplier<Readiness> readiness) throws InterruptedException {
        OutOfMemoryGuard outOfMemory = new OutOfMemoryGuard(config.memory().onOutOfMemory(),
                config.memory().directMemoryHighWater(), () -> OutOfMemoryGuard.directMemoryInUse(allocator), halt,
                disconnector, metrics);
        ExceptionHandler exceptionHandler = new ExceptionHandler(disconnector, outOfMemory);
        InboundBudget partialInbound = new InboundBudget(config.memory().maxPartialInboundBytes());
        metrics.gauge("arqonbus.partial.inbound.bytes",
                "Bytes held of frames and fragmented messages that have only partly arrived, all connections",
                partialInbound::held);
        BusDependencies deps = new BusDependencies(config, clock, ids, codec, authenticator, router, lifecycle,
                loops, metrics, disconnector, exceptionHandler, openConnections,
                new ConnectionsPerSubject(config.limits().maxConnectionsPerClient()), partialInbound, outOfMemory);
        busAddress = listeners.bind(TlsConfig.Port.BUS, config.listeners().host(), config.listeners().port(),
                new BusChannelInitializer(deps), ShutdownHooks.Priority.LISTENERS);
        if (config.listeners().telemetryPort() >= 0) {
            TelemetryServer telemetryServer = new TelemetryServer(telemetry, codec, clock, disconnector,
                    exceptionHandler, config.limits().telemetryMaxClients(), config.timeouts().handshakeTimeout(), metrics,
                    outOfMemory, config.telemetryAuth()
                            ? new TelemetryServer.Auth(authenticator, config.httpApi().keys()) : null);
            telemetryAddress = listeners.bind(TlsConfig.Port.TELEMETRY, config.listeners().telemetryHost(),
                    config.listeners().telemetryPort(), telemetryServer, ShutdownHooks.Priority.LISTENERS);
            telemetryServer.boundTo(telemetryAddress.getHostString(), telemetryAddress.getPort());
        }
        if (config.listeners().httpPort() >= 0) {
            LiveBusView view = new LiveBusView(info, clock, readiness, hub, sessions, telemetry, metrics,
                    history, openConnections::get, busAddress, telemetryAddress, config.tls());
            view.cluster(clientDirectory);
            HttpAuth httpAuth = new HttpAuth(authenticator, config.permissions());
            HostSubscriptions inProcess = hostSubscriptions;
            HttpApiServer http = new HttpApiServer(DashboardEndpoint.addTo(EventsRoutes.addTo(
                    HttpEndpoints.routes(view, new BusHealthCheck(listeners.workers(), history)), httpAuth, view,
                    recentEvents, codec, inProcess::count), DashboardAssets.load(BusComponents.class.getClassLoader()))
                    .getBelow(PresenceEndpoint.PREFIX, httpAuth.require(new PresenceEndpoint(presence)))
                    .mount(HttpApi.PREFIX, HttpApi.endpoint(new HttpApi.Parts(config, authenticator, hub, sessions,
                            history, presence, view, codec, inspection, casil, telemetry, disconnector, tracing)))
                    .build(),
                    HttpApiServer.DEFAULT_IDLE_TIMEOUT,
                    config.httpApi().maxBodyBytes());
            httpAddress = listeners.bind(TlsConfig.Port.HTTP, config.listeners().httpHost(), config.listeners().httpPort(), http,
                    ShutdownHooks.Priority.HTTP);
            view.httpBoundTo(httpAddress);
        }
        BusGauges.scheduleStats(config.timeouts().statsInterval(), listeners.workers(), sessions, hub, metrics, telemetry);
    }

    /** Closes every client with 1001 and waits up to the shutdown grace for them to leave. */
    private void closeClients() throws InterruptedException {
        for (Session session : List.copyOf(sessions.all())) {
            disconnector.close(session.channel(), CloseCodes.GOING_AWAY, ClusterWiring.goingAway(config));
        }
        telemetry.closeAll();
        long deadline = System.nanoTime() + config.timeouts().shutdownGrace().toNanos();
        while (openConnections.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    /**
     * Stops gracefully: refuses new connections, closes every client with 1001, waits up to the
     * shutdown grace for them to leave (the HTTP port answers {@code /ready} meanwhile), then stops
     * the features, the event loops, the stores and the authenticator. Blocks; idempotent.
     */
    public void stop() {
        log.atInfo().addKeyValue("event", "stopping").addKeyValue("clients", sessions.size()).log("stopping");
        hooks.runAll();
        log.atInfo().addKeyValue("event", "stopped").log("stopped");
    }

    /** A read-only snapshot of the counts. */
    public BusStats stats() {
        return new BusStats(sessions.size(), openConnections.get(), telemetry.clientCount(), hub.roomCount(),
                hub.channelCount(), hub.publicationCount(), metrics.receivedTotal(), metrics.sentTotal(),
                metrics.slowConsumerDisconnectsTotal(), hostSubscriptions.count());
    }

    /** The newest publications the recent-events ring holds, at most {@code max}, oldest first. */
    public List<Envelope> recentEvents(int max) {
        return recentEvents.latest(max, event -> true).stream().map(RecentEvent::envelope).toList();
    }

    public ServerConfig config() { return config; }
    public ServerInfo info() { return info; }
    public InetSocketAddress busAddress() { return busAddress; }
    public InetSocketAddress telemetryAddress() { return telemetryAddress; }
    public InetSocketAddress httpAddress() { return httpAddress; }
    public HostPublisher hostPublisher() { return hostPublisher; }
    public HostSubscriptions hostSubscriptions() { return hostSubscriptions; }
    public BusMetrics metrics() { return metrics; }
    public Hub hub() { return hub; }
    public BusTracing tracing() { return tracing; }
    public SessionRegistry sessions() { return sessions; }
    public HistoryStore history() { return history; }
    public RecentEvents recentEventRing() { return recentEvents; }
    public TelemetryHub telemetry() { return telemetry; }
}
