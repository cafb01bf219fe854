package io.arqonbus.server.internal.hub;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.reply.Replies;
import io.arqonbus.server.internal.telemetry.TelemetryEvent;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle sweep: one task on one event loop that, every half idle grace (between
 * {@value #MIN_PERIOD_MILLIS} ms and {@value #MAX_PERIOD_MILLIS} ms), lets the hub reclaim at most
 * {@value #BUDGET} channels created implicitly that stayed empty and without publications for the
 * grace, and reports each like a deleted channel ({@code channel_deleted}, reason {@code idle}).
 */
public final class ChannelReaper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChannelReaper.class);
    /** The most channels one run visits: {@value}. */
    static final int BUDGET = 10_000;
    static final long MIN_PERIOD_MILLIS = 100;
    static final long MAX_PERIOD_MILLIS = 10_000;

    private final Hub hub;
    private final TelemetryHub telemetry;
    private final ScheduledFuture<?> task;

    /** Starts the sweep on {@code loop}; does nothing when the grace is zero (reclamation off). */
    public ChannelReaper(Hub hub, TelemetryHub telemetry, EventExecutor loop, Duration grace) {
        this.hub = hub;
        this.telemetry = telemetry;
        if (grace.isZero()) {
            task = null;
            return;
        }
        long period = Math.clamp(grace.toMillis() / 2, MIN_PERIOD_MILLIS, MAX_PERIOD_MILLIS);
        task = loop.scheduleAtFixedRate(this::sweep, period, period, TimeUnit.MILLISECONDS);
    }

    /** One run: reclaims at most {@value #BUDGET} idle channels. */
    void sweep() {
        try {
            for (ChannelKey key : hub.reclaimIdle(BUDGET)) {
                telemetry.emit(new TelemetryEvent.ChannelDeleted(key.room(), key.channel(), Replies.SERVER_SENDER,
                        TelemetryEvent.ChannelDeleted.IDLE));
                log.atDebug()
                        .addKeyValue("event", "channel_deleted")
                        .addKeyValue("room", key.room())
                        .addKeyValue("channel", key.channel())
                        .addKeyValue("reason", "idle")
                        .log("channel_deleted");
            }
        } catch (RuntimeException e) {
            log.atWarn().setCause(e)
                    .addKeyValue("event", "channel_sweep_failed")
                    .addKeyValue("msg", e.getMessage())
                    .log("channel_sweep_failed");
        }
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
