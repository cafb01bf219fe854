package io.arqonbus.server.internal.transport;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.config.JwtSettings;
import io.arqonbus.server.config.OutOfMemoryPolicy;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.auth.JwtAuthenticator;
import io.arqonbus.server.internal.command.CommandDispatcher;
import io.arqonbus.server.internal.command.CommandRegistry;
import io.arqonbus.server.internal.history.HistoryCommands;
import io.arqonbus.server.internal.history.MemoryHistoryStore;
import io.arqonbus.server.internal.hub.AgentActivity;
import io.arqonbus.server.internal.hub.ConnectionLifecycle;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.inspect.CasilInspector;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.inspect.InspectionGate;
import io.arqonbus.server.internal.limits.ConnectionsPerSubject;
import io.arqonbus.server.internal.limits.InboundBudget;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.routing.InboundRouter;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.system.SystemCommands;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.status.ServerInfo;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real parts behind the bus pipeline's handlers, wired in memory around one embedded channel's
 * loop, for handler unit tests: the hub, sessions, lifecycle, router and command dispatcher that
 * a running bus uses (with the system commands only), and an in-memory history. Closed after the test.
 */
final class BusParts implements AutoCloseable {
    final ServerConfig config;
    final Clock clock = Clock.systemUTC();
    final IdGenerator ids = new IdGenerator();
    final EnvelopeCodec codec = new EnvelopeCodec(ids, clock);
    final BusMetrics metrics = new BusMetrics();
    final Disconnector disconnector;
    final MemoryHistoryStore history;
    final Hub hub;
    final SessionRegistry sessions = new SessionRegistry();
    final Replies replies = new Replies(ids, clock);
    final TelemetryHub telemetry;
    final ConnectionLifecycle lifecycle;
    final InboundRouter router;
    final BusDependencies deps;
    private final Authenticator authenticator;

    BusParts(ServerConfig config, EmbeddedChannel loopOf) {
        this.config = config;
        LoopContexts loops = new LoopContexts(loopOf.eventLoop());
        disconnector = new Disconnector(config.timeouts().closeWait());
        history = new MemoryHistoryStore(config.history().maxSize(), config.history().maxAge(), clock, codec);
        hub = new Hub(loops, history, Map.of(), new FrameEncoder(codec, PooledByteBufAllocator.DEFAULT), metrics,
                ids, clock);
        telemetry = new TelemetryHub(codec, clock, config.limits().maxPendingBytes(), disconnector);
        AgentActivity activity = new AgentActivity(hub, replies, telemetry);
        lifecycle = new ConnectionLifecycle(sessions, hub, replies, telemetry, activity, metrics, config.auth().enabled());
        CasilPolicyHolder casil = new CasilPolicyHolder(config.casil());
        InspectionGate inspection = new InspectionGate(casil, new CasilInspector(casil), telemetry, metrics.registry());
        authenticator = config.auth().enabled() ? JwtAuthenticator.create(JwtSettings.from(config), clock)
                : Authenticator.none();
        ServerInfo info = new ServerInfo("test", "test", clock.instant(), "embedded");
        CommandRegistry registry = SystemCommands.register(new CommandRegistry(), clock, info, sessions, hub, history,
                authenticator, config.permissions());
        CommandDispatcher dispatcher = new CommandDispatcher(registry, replies, hub::sendTo, metrics,
                config.legacyAcks(), HistoryCommands::refusal);
        router = new InboundRouter(hub, sessions, dispatcher, lifecycle, activity, telemetry, replies, metrics,
                disconnector, config.limits().maxViolations(), config.legacyAcks(), inspection);
        OutOfMemoryGuard outOfMemory = new OutOfMemoryGuard(OutOfMemoryPolicy.SHED,
                config.memory().directMemoryHighWater(), () -> 0, status -> { }, disconnector, metrics);
        deps = new BusDependencies(config, clock, ids, codec, authenticator, router, lifecycle, loops, metrics,
                disconnector, new ExceptionHandler(disconnector, outOfMemory), new AtomicInteger(),
                new ConnectionsPerSubject(config.limits().maxConnectionsPerClient()),
                new InboundBudget(config.memory().maxPartialInboundBytes()), outOfMemory);
    }

    @Override
    public void close() throws Exception {
        authenticator.close();
        history.close();
    }
}
