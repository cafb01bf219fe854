package io.arqonbus.client;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The client's keep-alive on one {@link Link}: when nothing (a frame, a ping or a pong) has arrived
 * from the server for {@code interval}, sends a WebSocket ping; when still nothing has arrived
 * {@code timeout} after it, aborts the link with a reason saying so, and the reconnector treats it
 * like any broken connection (1006: reconnect, rejoin, recover by position).
 *
 * <p>Runs on the client's timer thread, one check scheduled at a time, each at the earliest moment
 * something could be due; a busy connection costs one timestamp per received frame and one check
 * per interval. Ends by itself with its link.
 */
final class KeepAlive {
    private final Link link;
    private final ScheduledExecutorService timers;
    private final long intervalNanos;
    private final long timeoutNanos;
    /** When the outstanding ping was sent, or 0 when none is outstanding. Only touched on the timer thread. */
    private long pingSentAt;

    private KeepAlive(Link link, ScheduledExecutorService timers, Duration interval, Duration timeout) {
        this.link = link;
        this.timers = timers;
        this.intervalNanos = interval.toNanos();
        this.timeoutNanos = timeout.toNanos();
    }

    /** Starts watching {@code link}; does nothing when {@code interval} is null (keep-alive off). */
    static void watch(Link link, ScheduledExecutorService timers, Duration interval, Duration timeout) {
        if (interval != null) {
            KeepAlive keepAlive = new KeepAlive(link, timers, interval, timeout);
            keepAlive.schedule(keepAlive.intervalNanos);
        }
    }

    private void schedule(long delayNanos) {
        try {
            timers.schedule(this::check, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // the client was closed: nothing more to watch
        }
    }

    private void check() {
        if (link.hasEnded()) {
            return;
        }
        long now = System.nanoTime();
        long heard = link.lastHeard();
        if (pingSentAt != 0 && heard - pingSentAt < 0) {
            long waited = now - pingSentAt;
            if (waited >= timeoutNanos) {
                link.abort("keep-alive timeout: nothing from the server within "
                        + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms of a ping (quiet for "
                        + TimeUnit.NANOSECONDS.toMillis(now - heard) + " ms)");
                return;
            }
            schedule(timeoutNanos - waited);
            return;
        }
        pingSentAt = 0;
        long quiet = now - heard;
        if (quiet < intervalNanos) {
            schedule(intervalNanos - quiet);
            return;
        }
        pingSentAt = now;
        link.ping();
        schedule(timeoutNanos);
    }
}
