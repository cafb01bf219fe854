package io.arqonbus.bench.workload;

import io.arqonbus.bench.load.BenchConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Opens many connections with at most {@code concurrency} set-ups in flight, all before one
 * deadline. A set-up is whatever stage the caller waits for (ready, or ready and joined).
 */
final class Opener {
    /** The connections and how many of their set-ups failed. */
    record Opened(List<BenchConnection> connections, List<CompletableFuture<?>> stages, int failed,
            String firstFailure, long elapsedNanos) {
    }

    /** One started connection and the set-up stage to wait for. */
    record Started(BenchConnection connection, CompletableFuture<?> stage) {
    }

    private Opener() {
    }

    /** Opens connections with a set-up stage that is just "ready". */
    static Opened openReady(int count, int concurrency, long deadlineNanos, IntFunction<BenchConnection> connect)
            throws InterruptedException {
        return open(count, concurrency, deadlineNanos, i -> {
            BenchConnection connection = connect.apply(i);
            return new Started(connection, connection.ready());
        });
    }

    static Opened open(int count, int concurrency, long deadlineNanos, IntFunction<Started> start)
            throws InterruptedException {
        long startedAt = System.nanoTime();
        Semaphore permits = new Semaphore(Math.max(1, concurrency));
        List<BenchConnection> connections = new ArrayList<>(count);
        List<CompletableFuture<?>> stages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long left = deadlineNanos - System.nanoTime();
            if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                break;
            }
            Started started = start.apply(i);
            CompletableFuture<?> done = started.stage();
            done.whenComplete((ok, error) -> permits.release());
            connections.add(started.connection());
            stages.add(done);
        }
        int failed = count - stages.size();
        String firstFailure = failed > 0 ? "set-up deadline passed before all connections were started" : null;
        for (CompletableFuture<?> done : stages) {
            long left = deadlineNanos - System.nanoTime();
            try {
                done.get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                failed++;
                firstFailure = firstFailure == null ? String.valueOf(e.getCause()) : firstFailure;
            } catch (TimeoutException e) {
                failed++;
                firstFailure = firstFailure == null ? "set-up timed out" : firstFailure;
            }
        }
        return new Opened(connections, stages, failed, firstFailure, System.nanoTime() - startedAt);
    }

    /** Closes every connection and waits (bounded) for them to be closed. */
    static void closeAll(List<BenchConnection> connections) {
        connections.forEach(BenchConnection::close);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (BenchConnection connection : connections) {
            long left = deadline - System.nanoTime();
            try {
                connection.closed().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException e) {
                // best effort: the event loops shut down next anyway
            }
        }
    }
}
