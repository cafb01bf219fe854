package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import io.arqonbus.server.internal.async.Failures;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A remote store (Redis) watched for outages, per {@link StorageMode}:
 *
 * <ul>
 *   <li>{@link StorageMode#DEGRADED}: when the remote store cannot be reached at start-up or
 *       fails later, history is kept in an in-memory fallback; appends made meanwhile are kept
 *       there and their futures fail with {@link StoreUnavailableException} (so the hub still
 *       delivers ordinary publications but refuses durable acknowledgements), reads are answered
 *       from the fallback, and {@link #health()} is down with the reason. A background monitor
 *       keeps trying; when the remote store answers again the wrapper switches back by itself.
 *       What was kept in memory meanwhile is not copied to the remote store: its streams have a
 *       gap there, which a recovering client sees as {@code recovered: false}.</li>
 *   <li>{@link StorageMode#STRICT}: {@link #open()} fails when the remote store cannot be reached
 *       (the server does not start); later, operations go to the remote store only and fail while
 *       it is down, and {@link #health()} says so.</li>
 * </ul>
 *
 * Either way one WARN line ({@code event=storage_unavailable code=STORAGE_UNAVAILABLE}) marks
 * the transition down and one INFO line ({@code event=storage_recovered}) the way back — never
 * one per message. Futures of one stream complete in the order the appends were made.
 */
public final class DegradableHistoryStore implements HistoryStore {
    private static final Logger log = LoggerFactory.getLogger(DegradableHistoryStore.class);

    /** How a remote store is probed while it is down. */
    public interface Probe {
        /** Completes normally when the store answers; fails otherwise. Must not block. */
        CompletableFuture<Void> ping();
    }

    private final HistoryStore primary;
    private final Probe probe;
    private final StorageMode mode;
    private final Supplier<MemoryHistoryStore> fallbacks;
    private final Duration checkInterval;
    private final Duration probeTimeout;
    private final Clock clock;
    private final ConcurrentHashMap<ChannelKey, Lane> lanes = new ConcurrentHashMap<>();
    private final Object state = new Object();
    private final ScheduledExecutorService monitor;
    private volatile MemoryHistoryStore fallback;
    private volatile boolean opened;
    private volatile String downReason;
    private Instant downSince;
    private boolean closed;

    /**
     * @param primary       the remote store
     * @param probe         how to ask it whether it answers
     * @param mode          what to do while it is down
     * @param fallbacks     makes the in-memory store used while degraded (a fresh one per outage)
     * @param checkInterval how often the monitor looks at the remote store
     * @param probeTimeout  how long one probe (or re-open) may take
     * @param clock         for the outage length in the recovery log line
     */
    public DegradableHistoryStore(HistoryStore primary, Probe probe, StorageMode mode,
            Supplier<MemoryHistoryStore> fallbacks, Duration checkInterval, Duration probeTimeout, Clock clock) {
        this.primary = primary;
        this.probe = probe;
        this.mode = mode;
        this.fallbacks = fallbacks;
        this.checkInterval = checkInterval;
        this.probeTimeout = probeTimeout;
        this.clock = clock;
        this.monitor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "arqonbus-store-monitor");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Map<ChannelKey, StreamPosition> open() {
        Map<ChannelKey, StreamPosition> heads;
        try {
            heads = primary.open();
            opened = true;
        } catch (StoreUnavailableException e) {
            if (mode == StorageMode.STRICT) {
                throw new StoreUnavailableException("history store (" + primary.backend()
                        + ") is unreachable and ARQONBUS_STORAGE_MODE=strict: " + e.getMessage(), e);
            }
            markDown(e.getMessage());
            heads = Map.of();
        }
        long period = checkInterval.toMillis();
        monitor.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        return heads;
    }

    @Override
    public CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf json, Instant storedAt) {
        // In degraded mode the bytes are kept (a retained slice: no copy) until the outcome is
        // known, so an append the remote store fails can still go to memory, in order.
        ByteBuf copy = mode == StorageMode.DEGRADED ? json.retainedSlice() : null;
        CompletableFuture<Void> attempt;
        if (degraded()) {
            attempt = CompletableFuture.failedFuture(new StoreUnavailableException(downReasonOr("unavailable")));
        } else {
            try {
                attempt = primary.append(key, position, json, storedAt);
            } catch (RuntimeException e) {
                attempt = CompletableFuture.failedFuture(e);
            }
        }
        Pending pending = new Pending(key, position, copy, storedAt, attempt);
        Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
        lane.queue.add(pending);
        attempt.whenComplete((v, e) -> settle(lane));
        return pending.result;
    }

    /** One append waiting for its outcome; settled strictly in the order its stream's appends were made. */
    private record Pending(ChannelKey key, StreamPosition position, ByteBuf copy, Instant storedAt,
            CompletableFuture<Void> attempt, CompletableFuture<Void> result) {
        Pending(ChannelKey key, StreamPosition position, ByteBuf copy, Instant storedAt,
                CompletableFuture<Void> attempt) {
            this(key, position, copy, storedAt, attempt, new CompletableFuture<>());
        }
    }

    /** A stream's appends in the order they were made, and who is settling them now. */
    private static final class Lane {
        final java.util.concurrent.ConcurrentLinkedQueue<Pending> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final java.util.concurrent.atomic.AtomicInteger wip = new java.util.concurrent.atomic.AtomicInteger();
    }

    /**
     * Completes the lane's appends whose outcome is known, from the oldest, stopping at the first
     * still waiting. One thread at a time settles a lane (the others leave the work to it), and
     * every future is completed — its callbacks run — before the next, so completions keep the
     * append order even when outcomes arrive out of order. No lock is held while completing.
     */
    private void settle(Lane lane) {
        if (lane.wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            Pending head;
            while ((head = lane.queue.peek()) != null && head.attempt().isDone()) {
                lane.queue.poll();
                settle(head);
            }
            missed = lane.wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void settle(Pending p) {
        try {
            if (!p.attempt().isCompletedExceptionally()) {
                p.result().complete(null);
                return;
            }
            StoreUnavailableException failure;
            try {
                p.attempt().join();
                failure = new StoreUnavailableException("unavailable");
            } catch (RuntimeException e) {
                failure = unavailable(e);
            }
            markDown(failure.getMessage());
            if (p.copy() != null) {
                synchronized (state) {
                    MemoryHistoryStore into = fallback;
                    if (into != null) {
                        into.append(p.key(), p.position(), p.copy(), p.storedAt());
                    }
                }
                failure = new StoreUnavailableException(downReasonOr(failure.getMessage())
                        + " (the message is kept in memory only)", failure);
            }
            p.result().completeExceptionally(failure);
        } finally {
            if (p.copy() != null) {
                p.copy().release();
            }
        }
    }

    /** The store behind: its reads fail while it is down (a cluster's gap fill must tell lost from unreachable). */
    public HistoryStore primary() { return primary; }

    @Override
    public CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit,
            boolean newestFirst) {
        MemoryHistoryStore memory = degraded() ? fallback : null;
        if (memory != null) {
            return memory.read(key, afterOffset, limit, newestFirst);
        }
        return orFallback(primary.read(key, afterOffset, limit, newestFirst),
                m -> m.read(key, afterOffset, limit, newestFirst));
    }

    @Override
    public CompletableFuture<List<StoredMessage>> query(HistoryQuery query) {
        MemoryHistoryStore memory = degraded() ? fallback : null;
        if (memory != null) {
            return memory.query(query);
        }
        return orFallback(primary.query(query), m -> m.query(query));
    }

    /** A remote read that failed marks the store down and is answered from memory (degraded mode). */
    private <T> CompletableFuture<T> orFallback(CompletableFuture<T> remote,
            java.util.function.Function<MemoryHistoryStore, CompletableFuture<T>> local) {
        if (mode == StorageMode.STRICT) {
            return remote;
        }
        return remote.exceptionallyCompose(error -> {
            markDown(unavailable(error).getMessage());
            MemoryHistoryStore memory = fallback;
            return memory != null ? local.apply(memory) : CompletableFuture.failedFuture(unavailable(error));
        });
    }

    @Override
    public CompletableFuture<Void> delete(ChannelKey key) {
        lanes.remove(key);
        synchronized (state) {
            if (fallback != null) {
                fallback.delete(key);
            }
        }
        if (degraded()) {
            // The remote stream is left; the channel's next epoch resets it when it is used again.
            return CompletableFuture.completedFuture(null);
        }
        return primary.delete(key);
    }

    @Override
    public long size() {
        MemoryHistoryStore memory = degraded() ? fallback : null;
        return memory != null ? memory.size() : primary.size();
    }

    @Override
    public long bytes() {
        MemoryHistoryStore memory = fallback;
        return memory != null ? memory.bytes() : 0;
    }

    @Override
    public String backend() {
        return primary.backend();
    }

    @Override
    public boolean durable() {
        return primary.durable();
    }

    @Override
    public StoreHealth health() {
        String reason = downReason;
        if (reason != null) {
            return StoreHealth.down(reason);
        }
        StoreHealth remote = primary.health();
        if (!remote.available()) {
            markDown(remote.detail());
        }
        return remote;
    }

    /** Whether history is being served from memory now. */
    public boolean degraded() {
        return downReason != null && mode == StorageMode.DEGRADED;
    }

    @Override
    public void close() {
        synchronized (state) {
            if (closed) {
                return;
            }
            closed = true;
        }
        monitor.shutdownNow();
        primary.close();
        synchronized (state) {
            if (fallback != null) {
                fallback.close();
                fallback = null;
            }
        }
    }

    // ---- transitions -------------------------------------------------------------------------

    private void markDown(String reason) {
        String detail = reason == null ? primary.backend() + " is unavailable" : reason;
        synchronized (state) {
            if (closed || downReason != null) {
                return;
            }
            if (mode == StorageMode.DEGRADED) {
                fallback = fallbacks.get();
                downReason = "history store (" + primary.backend() + ") is unavailable, serving history from memory: "
                        + detail;
            } else {
                downReason = "history store (" + primary.backend() + ") is unavailable: " + detail;
            }
            downSince = clock.instant();
        }
        log.atWarn()
                .addKeyValue("event", "storage_unavailable")
                .addKeyValue("code", "STORAGE_UNAVAILABLE")
                .addKeyValue("backend", primary.backend())
                .addKeyValue("mode", mode.wireName())
                .addKeyValue("reason", detail)
                .log("storage_unavailable");
    }

    private void markUp() {
        Duration down;
        synchronized (state) {
            if (closed || downReason == null) {
                return;
            }
            downReason = null;
            if (fallback != null) {
                fallback.close();
                fallback = null;
            }
            down = Duration.between(downSince, clock.instant());
        }
        log.atInfo()
                .addKeyValue("event", "storage_recovered")
                .addKeyValue("backend", primary.backend())
                .addKeyValue("mode", mode.wireName())
                .addKeyValue("down_ms", down.toMillis())
                .log("storage_recovered");
    }

    /** The monitor: notices a lost connection, and brings the remote store back once it answers. */
    private void check() {
        try {
            if (downReason == null) {
                StoreHealth remote = primary.health();
                if (!remote.available()) {
                    markDown(remote.detail());
                }
                return;
            }
            if (!opened) {
                primary.open();
                opened = true;
            }
            if (primary.health().available()) {
                probe.ping().get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
                markUp();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.atDebug()
                    .addKeyValue("event", "storage_probe_failed")
                    .addKeyValue("backend", primary.backend())
                    .addKeyValue("msg", e.getMessage())
                    .log("storage_probe_failed");
        }
    }

    private String downReasonOr(String otherwise) {
        String reason = downReason;
        return reason != null ? reason : otherwise;
    }

    private static StoreUnavailableException unavailable(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        return cause instanceof StoreUnavailableException sue ? sue
                : new StoreUnavailableException(String.valueOf(cause.getMessage()), cause);
    }
}
