package io.arqonbus.bench.load;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Drives one publisher connection from its own event loop, either at a fixed rate or as fast as an
 * in-flight window allows. The window counts messages not yet delivered to all of their
 * subscribers, estimated as {@code sent − deliveries from this publisher / subscribers}. Each run
 * of the task writes at most {@link #BATCH} frames and flushes once; it stops at the end time or
 * when the connection is gone.
 */
public final class Publisher implements Runnable, PublishDriver {
    /** Frames written per task run at most. */
    static final int BATCH = 256;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int index;
    private final BenchConnection connection;
    private final PublishTemplate template;
    private final StatsBoard board;
    private final int subscribers;
    private final double ratePerSecond;
    private final int window;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private volatile long sent;
    private volatile boolean stopped;
    private long startNanos;
    private long endNanos;

    /**
     * @param subscribers   how many subscribers receive each of its messages
     * @param ratePerSecond messages per second, or 0 for "as fast as the window allows"
     * @param window        messages in flight at most (used when the rate is 0)
     */
    public Publisher(int index, BenchConnection connection, PublishTemplate template, StatsBoard board, int subscribers,
            double ratePerSecond, int window) {
        if (subscribers < 1 || ratePerSecond < 0 || ratePerSecond == 0 && window < 1) {
            throw new IllegalArgumentException("publisher needs subscribers >= 1 and a rate > 0 or a window >= 1");
        }
        this.index = index;
        this.connection = connection;
        this.template = template;
        this.board = board;
        this.subscribers = subscribers;
        this.ratePerSecond = ratePerSecond;
        this.window = window;
    }

    @Override
    public int index() {
        return index;
    }

    /** Messages written so far; after {@link #done()} also the last sequence number. */
    @Override
    public long sent() {
        return sent;
    }

    /** Completes with the number of messages sent once publishing ended. */
    @Override
    public CompletableFuture<Long> done() {
        return done;
    }

    /** Starts publishing at {@code startNanos} until {@code endNanos} ({@link System#nanoTime()} values). */
    public void start(long startNanos, long endNanos) {
        this.startNanos = startNanos;
        this.endNanos = endNanos;
        submit(0);
    }

    /** Stops early (from any thread). */
    @Override
    public void stop() {
        stopped = true;
    }

    @Override
    public void run() {
        Channel channel = connection.channel();
        long now = System.nanoTime();
        if (stopped || now >= endNanos || !channel.isActive()) {
            done.complete(sent);
            return;
        }
        long count = sent;
        long budget;
        if (ratePerSecond > 0) {
            long due = (long) ((now - startNanos) * ratePerSecond / 1e9) + 1;
            budget = Math.min(due - count, BATCH);
        } else {
            long inFlight = count - board.deliveredFrom(index) / subscribers;
            budget = Math.min(window - inFlight, BATCH);
        }
        int wrote = 0;
        while (wrote < budget && channel.isWritable()) {
            count++;
            channel.write(new TextWebSocketFrame(template.frame(channel.alloc(), count)), channel.voidPromise());
            wrote++;
        }
        if (wrote > 0) {
            sent = count;
            channel.flush();
        }
        submit(nextDelay(wrote, count, now));
    }

    private long nextDelay(int wrote, long count, long now) {
        if (wrote == BATCH) {
            return 0;
        }
        if (ratePerSecond > 0) {
            long nextDue = startNanos + (long) (count * 1e9 / ratePerSecond);
            // A slow publisher (a period over 1 ms) sleeps until its next message is due.
            long maxWait = Math.max(MAX_WAIT_NANOS, (long) (1e9 / ratePerSecond));
            return Math.max(POLL_NANOS / 5, Math.min(maxWait, nextDue - now));
        }
        return POLL_NANOS;
    }

    private void submit(long delayNanos) {
        Channel channel = connection.channel();
        try {
            if (delayNanos <= 0) {
                channel.eventLoop().execute(this);
            } else {
                channel.eventLoop().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
            }
        } catch (RejectedExecutionException shuttingDown) {
            done.complete(sent);
        }
    }
}
