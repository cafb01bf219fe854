package io.arqonbus.server.internal.transport;

import io.arqonbus.server.internal.session.Disconnector;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.limits.ConnectionsPerSubject;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.hub.ConnectionLifecycle;
import io.arqonbus.server.internal.routing.InboundRouter;
import io.arqonbus.server.internal.session.LoopContexts;
import io.arqonbus.server.internal.limits.InboundBudget;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;

/** Everything the bus pipeline's handlers need, injected once through the initializer. */
public record BusDependencies(
        ServerConfig config,
        Clock clock,
        IdGenerator ids,
        EnvelopeCodec codec,
        Authenticator authenticator,
        InboundRouter router,
        ConnectionLifecycle lifecycle,
        LoopContexts loops,
        BusMetrics metrics,
        Disconnector disconnector,
        ExceptionHandler exceptionHandler,
        AtomicInteger openConnections,
        ConnectionsPerSubject connectionsPerSubject,
        InboundBudget partialInbound,
        OutOfMemoryGuard outOfMemory) {
}
