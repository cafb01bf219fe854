package io.arqonbus.server.internal.runtime;

import io.arqonbus.server.internal.cron.CronScheduler;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryEvent;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.status.ServerInfo;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The bus-wide gauges of {@code /metrics} and the periodic {@code event=stats} line (log and telemetry). */
final class BusGauges {
    private static final Logger log = LoggerFactory.getLogger(BusGauges.class);

    private BusGauges() {
    }

    /** Registers the gauges that read the running parts. */
    static void register(BusMetrics metrics, SessionRegistry sessions, Hub hub, TelemetryHub telemetry,
            ServerInfo info, Clock clock, IntSupplier openConnections, CronScheduler cron, HistoryStore history) {
        metrics.gauge("arqonbus.active.clients", "Bus clients connected now", sessions::size);
        metrics.gauge("arqonbus.websocket.connections", "Open bus WebSocket connections", openConnections::getAsInt);
        metrics.gauge("arqonbus.telemetry.connections", "Open telemetry WebSocket connections", telemetry::clientCount);
        metrics.gauge("arqonbus.rooms.total", "Rooms with at least one channel", hub::roomCount);
        metrics.gauge("arqonbus.channels.total", "Channels", hub::channelCount);
        metrics.gauge("arqonbus.uptime.seconds", "Seconds since start", () -> info.uptimeSeconds(clock));
        metrics.gauge("arqonbus.memory.usage.bytes", "JVM heap in use",
                () -> Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory());
        metrics.gauge("arqonbus.cron.jobs", "Cron jobs scheduled now (op.cron.schedule)", cron::size);
        metrics.gauge("arqonbus.storage.available",
                "1 while the history store is reachable, 0 while it is down (history in memory, durable acks refused)",
                () -> history.health().available() ? 1 : 0);
        metrics.gauge("arqonbus.history.bytes",
                "Direct memory the in-memory history takes (its buffers' capacity), bytes", history::bytes);
    }

    /**
     * Logs {@code event=stats} and emits it to telemetry every {@code interval} on one event loop
     * (it ends with the loops); a zero interval turns it off.
     */
    static void scheduleStats(Duration interval, EventLoopGroup loops, SessionRegistry sessions, Hub hub,
            BusMetrics metrics, TelemetryHub telemetry) {
        long millis = interval.toMillis();
        if (millis <= 0) {
            return;
        }
        loops.next().scheduleAtFixedRate(() -> {
            TelemetryEvent.Stats stats = new TelemetryEvent.Stats(sessions.size(), hub.roomCount(),
                    hub.channelCount(), hub.publicationCount(), metrics.sentTotal());
            log.atInfo()
                    .addKeyValue("event", "stats")
                    .addKeyValue("clients", stats.clients())
                    .addKeyValue("rooms", stats.rooms())
                    .addKeyValue("channels", stats.channels())
                    .addKeyValue("messages_total", stats.messagesTotal())
                    .addKeyValue("deliveries_total", stats.deliveriesTotal())
                    .log("stats");
            telemetry.emit(stats);
        }, millis, millis, TimeUnit.MILLISECONDS);
    }
}
