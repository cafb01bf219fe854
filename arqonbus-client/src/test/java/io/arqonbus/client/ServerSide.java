package io.arqonbus.client;

import io.arqonbus.server.ArqonBus;
import io.arqonbus.server.BusInternals;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.session.Session;
import java.time.Duration;

/** What the real server does to one of its connections, reached through the running bus's parts. */
final class ServerSide {
    private ServerSide() {
    }

    /** The server closes the connection of {@code clientId} with this code (a real close frame). */
    static void close(ArqonBus bus, String clientId, int code, String reason) {
        new Disconnector(Duration.ofSeconds(2)).close(session(bus, clientId).channel(), code, reason);
    }

    /** The server drops the connection of {@code clientId} without a close frame (the client sees 1006). */
    static void drop(ArqonBus bus, String clientId) {
        session(bus, clientId).channel().close();
    }

    /** The server stops reading the connection of {@code clientId} (its frames stay unanswered). */
    static void stopReading(ArqonBus bus, String clientId) throws Exception {
        var channel = session(bus, clientId).channel();
        channel.eventLoop().submit(() -> channel.config().setAutoRead(false)).get(10, java.util.concurrent.TimeUnit.SECONDS);
    }

    private static Session session(ArqonBus bus, String clientId) {
        Session session = BusInternals.of(bus).sessions().find(clientId);
        if (session == null) {
            throw new IllegalStateException("no session " + clientId);
        }
        return session;
    }
}
