package io.arqonbus.server.transport;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.IdGenerator;
import io.arqonbus.server.auth.Authenticator;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.limits.ConnectionsPerSubject;
import io.arqonbus.server.limits.InboundBudget;
import io.arqonbus.server.metrics.BusMetrics;
import io.arqonbus.server.routing.ConnectionLifecycle;
import io.arqonbus.server.routing.InboundRouter;
import io.arqonbus.server.session.LoopContexts;
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
