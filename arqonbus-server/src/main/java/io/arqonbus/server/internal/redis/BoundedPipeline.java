package io.arqonbus.server.internal.redis;

import io.lettuce.core.RedisCommandTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Sends commands on one pipelined connection with at most a fixed number awaiting their replies;
 * the others wait here, in order, and go out as replies come back. The command timeout runs from
 * the moment a command is sent, so a burst of thousands of commands never has its last ones time
 * out merely for queueing behind the first (each waits for at most {@code maxInFlight} replies),
 * while a Redis that stops answering still fails every command soon: when a sent command times
 * out, those still waiting here fail with the same error instead of each waiting out a timeout
 * of its own.
 *
 * <p>Commands are sent in the order they were submitted, all from one sender thread, and, on one
 * connection, answered and completed in that order. Never blocks. Thread-safe.
 */
public final class BoundedPipeline {
    private final int maxInFlight;
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private final Executor sender;
    private int inFlight;
    /** A thread is sending; others leave their commands to it (keeps the order). */
    private boolean sending;

    /**
     * @param maxInFlight how many sent commands may await their replies at once (at least 1)
     * @param sender      one thread that sends every command, never the connection's own I/O
     *                    thread: Netty queues writes from other threads as tasks, so commands sent
     *                    from one thread keep their order, while a command written from the I/O
     *                    thread could overtake those still queued from elsewhere
     */
    public BoundedPipeline(int maxInFlight, Executor sender) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1: " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
        this.sender = sender;
    }

    /**
     * Sends {@code command} now if fewer than the maximum await replies, or later, after the
     * commands submitted before it. The result completes as the command's future does; a
     * {@code command} that throws fails it.
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletableFuture<T>> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable send = () -> {
            CompletableFuture<T> sent;
            try {
                sent = command.get();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            sent.whenComplete((value, error) -> {
                // Complete first, then send the next: callers see completions in the order sent.
                if (error != null) {
                    result.completeExceptionally(error);
                } else {
                    result.complete(value);
                }
                replied(error);
            });
        };
        synchronized (this) {
            waiting.add(new Waiting(send, result));
        }
        sendWaiting();
        return result;
    }

    /** How many commands wait to be sent. */
    public synchronized int waiting() {
        return waiting.size();
    }

    private void replied(Throwable error) {
        synchronized (this) {
            inFlight--;
        }
        if (error instanceof RedisCommandTimeoutException
                || error != null && error.getCause() instanceof RedisCommandTimeoutException) {
            List<Waiting> failed;
            synchronized (this) {
                failed = new ArrayList<>(waiting);
                waiting.clear();
            }
            failed.forEach(w -> w.result().completeExceptionally(error));
        }
        sendWaiting();
    }

    private void sendWaiting() {
        try {
            sender.execute(this::sendNow);
        } catch (RejectedExecutionException e) {
            List<Waiting> failed;
            synchronized (this) {
                failed = new ArrayList<>(waiting);
                waiting.clear();
            }
            failed.forEach(w -> w.result().completeExceptionally(e));
        }
    }

    private void sendNow() {
        while (true) {
            Runnable next;
            synchronized (this) {
                if (sending || inFlight >= maxInFlight || waiting.isEmpty()) {
                    return;
                }
                sending = true;
                inFlight++;
                next = waiting.poll().send();
            }
            try {
                next.run();
            } finally {
                synchronized (this) {
                    sending = false;
                }
            }
        }
    }

    /** A command not sent yet and the future its caller holds. */
    private record Waiting(Runnable send, CompletableFuture<?> result) {
    }
}
