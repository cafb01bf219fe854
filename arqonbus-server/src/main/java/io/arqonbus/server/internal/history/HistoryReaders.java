package io.arqonbus.server.internal.history;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.ErrorCode;
import io.arqonbus.server.config.HistoryReads;
import io.arqonbus.server.internal.command.CommandException;
import io.arqonbus.server.internal.limits.CostBucket;
import io.arqonbus.server.internal.session.Session;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where history reads run, and what each connection may read.
 *
 * <p><b>Budget.</b> Each connection has a {@link CostBucket} of reply bytes
 * ({@code ARQONBUS_HISTORY_READ_RATE}, {@code _BURST}): a read is admitted while the bucket holds
 * bytes and charged the stored bytes it sends (at least {@link HistoryReads#MIN_COST_BYTES});
 * over the budget it is answered {@code RATE_LIMITED} with {@code retry_after_ms}.
 *
 * <p><b>Workers.</b> The expensive part of a read — walking the store, decoding each stored
 * envelope, building the reply tree and encoding it (a maximum-size reply is tens of
 * milliseconds of CPU) — runs on a small fixed pool of worker threads (half the cores, at least
 * one) with a
 * bounded queue of {@value #QUEUE} reads, never on the event loop that serves fan-out and
 * handshakes. A pool rather than chunking on the loop: a reply is one frame, so its encoding
 * cannot be cut into loop-sized pieces, and the pool caps the CPU all readers together take at
 * half the cores whatever their number. When the queue is full the read is answered
 * {@code RATE_LIMITED} (busy) at once. The finished frame is queued on the caller's loop
 * ({@code LoopContext.enqueue}), behind everything queued for the connection before it, so a
 * reply stays in order with the connection's other frames. The in-memory store answers
 * synchronously, so with it the whole read runs in one worker task; an asynchronous store's
 * completion is handed back to a worker.
 */
public final class HistoryReaders implements AutoCloseable {
    /**
     * Worker threads: half the cores, at least one — the readers together never take more CPU
     * than that, and the rest stays with the event loops.
     */
    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    /** Reads waiting for a worker before further reads are answered busy: {@value}. */
    static final int QUEUE = 64;

    private static final AttributeKey<CostBucket> BUDGET = AttributeKey.valueOf("arqonbus.history.readBudget");

    private final HistoryReads limits;
    private final ThreadPoolExecutor pool;

    public HistoryReaders(HistoryReads limits) {
        this.limits = limits;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), r -> {
                    Thread t = new Thread(r, "arqonbus-history-reply-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Admits a read by {@code session} against its budget; call on its loop.
     *
     * @throws CommandException {@code RATE_LIMITED} with {@code retry_after_ms} when the budget is spent
     */
    void admit(Session session) throws CommandException {
        if (!limits.enabled()) {
            return;
        }
        long wait = bucket(session).admit(System.nanoTime());
        if (wait > 0) {
            long ms = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
            throw refusal("History reads are over this connection's budget of " + limits.bytesPerSecond()
                    + " bytes per second; retry in " + ms + " ms", ms);
        }
    }

    /** Charges {@code session} for a read that sent {@code bytes} of stored JSON; any thread. */
    void charge(Session session, long bytes) {
        if (limits.enabled()) {
            bucket(session).charge(Math.max(HistoryReads.MIN_COST_BYTES, bytes), System.nanoTime());
        }
    }

    /**
     * Runs {@code read} on a worker and {@code answer} on a worker with its result.
     *
     * @throws CommandException {@code RATE_LIMITED} when every worker is busy and the queue is full
     */
    <T, R> CompletableFuture<R> run(Supplier<CompletableFuture<T>> read, Function<T, R> answer)
            throws CommandException {
        CompletableFuture<R> out = new CompletableFuture<>();
        try {
            pool.execute(() -> {
                CompletableFuture<T> pending;
                try {
                    pending = read.get();
                } catch (RuntimeException e) {
                    out.completeExceptionally(e);
                    return;
                }
                if (pending.isDone()) {
                    complete(pending, answer, out);
                } else {
                    pending.whenComplete((value, error) -> {
                        try {
                            pool.execute(() -> complete(pending, answer, out));
                        } catch (RejectedExecutionException e) {
                            out.completeExceptionally(busy());
                        }
                    });
                }
            });
        } catch (RejectedExecutionException e) {
            throw busy();
        }
        return out;
    }

    private static <T, R> void complete(CompletableFuture<T> pending, Function<T, R> answer, CompletableFuture<R> out) {
        try {
            out.complete(answer.apply(pending.join()));
        } catch (java.util.concurrent.CompletionException e) {
            out.completeExceptionally(e.getCause());
        } catch (RuntimeException e) {
            out.completeExceptionally(e);
        }
    }

    /** Reads waiting for a worker (a gauge). */
    public int queued() {
        return pool.getQueue().size();
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private CostBucket bucket(Session session) {
        var attr = session.channel().attr(BUDGET);
        CostBucket bucket = attr.get();
        if (bucket == null) {
            bucket = new CostBucket(limits.bytesPerSecond(), limits.burstBytes(), System.nanoTime());
            CostBucket raced = attr.setIfAbsent(bucket);
            if (raced != null) {
                bucket = raced;
            }
        }
        return bucket;
    }

    private static CommandException busy() {
        return refusal("History reads are busy: " + (THREADS + QUEUE)
                + " reads are running or waiting; retry in 100 ms", 100);
    }

    private static CommandException refusal(String sentence, long retryAfterMs) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("retry_after_ms", retryAfterMs);
        return new CommandException(ErrorCode.RATE_LIMITED, sentence, data);
    }

    /** The stored bytes of {@code messages}: what a reply of them costs. */
    static long bytes(List<StoredMessage> messages) {
        long total = 0;
        for (StoredMessage m : messages) {
            total += m.json().length;
        }
        return total;
    }
}
