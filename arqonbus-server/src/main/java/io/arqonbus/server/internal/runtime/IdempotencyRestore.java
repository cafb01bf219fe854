package io.arqonbus.server.internal.runtime;

import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.hub.Hub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads, before traffic starts, the idempotency keys of the publications each stored channel kept
 * within the dedup window ({@code HistoryStore.idempotencyKeys}: the file store reads only the keys,
 * not whole envelopes), so that they survive a restart (a durable store only; the in-memory store
 * starts empty). The streams are read concurrently, at most {@code parallelism} at a time, and the
 * whole restore is bounded in time: a stream not read by then (or whose read fails) starts without
 * its keys, logged as {@code event=idempotency_keys_not_loaded}, and the bus starts anyway.
 */
final class IdempotencyRestore {
    private static final Logger log = LoggerFactory.getLogger(IdempotencyRestore.class);
    /** How many recent publications per stream are read for their idempotency keys: {@value}. */
    static final int KEYS_PER_STREAM = 10_000;
    /** How many streams are read at once: {@value}. */
    static final int DEFAULT_PARALLELISM = 8;
    /** How long the whole restore may take. */
    static final Duration DEFAULT_TOTAL_TIME = Duration.ofSeconds(30);

    private final Hub hub;
    private final HistoryStore history;
    private final Clock clock;
    private final int parallelism;
    private final Duration totalTime;
    /** Guards the hub's windows while reads complete on store threads, and {@link #closed}. */
    private final Object applyLock = new Object();
    private boolean closed;

    IdempotencyRestore(Hub hub, HistoryStore history, Clock clock, int parallelism, Duration totalTime) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism: " + parallelism + " (expected: >= 1)");
        }
        this.hub = hub;
        this.history = history;
        this.clock = clock;
        this.parallelism = parallelism;
        this.totalTime = totalTime;
    }

    /**
     * Reads every channel stream of {@code streams} (room streams hold no idempotency keys) and
     * hands their keys to the hub; returns when all are read or the time is up.
     *
     * @return how many streams were restored
     */
    int restore(Collection<ChannelKey> streams) throws InterruptedException {
        List<ChannelKey> channels = streams.stream().filter(key -> key.channel() != null).toList();
        if (channels.isEmpty()) {
            return 0;
        }
        Instant since = clock.instant().minus(hub.dedupWindow());
        long deadline = System.nanoTime() + totalTime.toNanos();
        Semaphore permits = new Semaphore(parallelism);
        AtomicInteger restored = new AtomicInteger();
        List<CompletableFuture<Void>> reads = new ArrayList<>(channels.size());
        try {
            for (ChannelKey key : channels) {
                if (!permits.tryAcquire(remaining(deadline), TimeUnit.NANOSECONDS)) {
                    break;
                }
                reads.add(read(key, since, restored).whenComplete((ignored, e) -> permits.release()));
            }
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .get(remaining(deadline), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // reported below
        } catch (ExecutionException e) {
            // each failed stream logged itself
        } finally {
            synchronized (applyLock) {
                closed = true; // a read finishing from now on is ignored: traffic may start
            }
        }
        int missing = channels.size() - restored.get();
        if (missing > 0 && System.nanoTime() - deadline >= 0) {
            log.atWarn()
                    .addKeyValue("event", "idempotency_keys_not_loaded")
                    .addKeyValue("code", "STORAGE_UNAVAILABLE")
                    .addKeyValue("streams", missing)
                    .addKeyValue("msg", "not read within " + totalTime)
                    .log("idempotency_keys_not_loaded");
        }
        return restored.get();
    }

    private CompletableFuture<Void> read(ChannelKey key, Instant since, AtomicInteger restored) {
        CompletableFuture<Void> read;
        try {
            read = history.idempotencyKeys(key, since, KEYS_PER_STREAM).thenAccept(keys -> {
                        synchronized (applyLock) {
                            if (!closed) {
                                hub.rememberStored(key, keys);
                                restored.incrementAndGet();
                            }
                        }
                    });
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.whenComplete((ignored, e) -> {
            if (e != null) {
                log.atWarn()
                        .addKeyValue("event", "idempotency_keys_not_loaded")
                        .addKeyValue("code", "STORAGE_UNAVAILABLE")
                        .addKeyValue("stream", key)
                        .addKeyValue("msg", e.getMessage())
                        .log("idempotency_keys_not_loaded");
            }
        });
    }

    private static long remaining(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }
}
