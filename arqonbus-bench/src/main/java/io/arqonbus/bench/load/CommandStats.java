package io.arqonbus.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What the {@link CommandCaller}s of one run observed: replies, errors, timeouts and reply latency. */
public final class CommandStats {
    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    void sent() {
        sent.incrementAndGet();
    }

    void succeeded(long latencyNanos) {
        succeeded.incrementAndGet();
        latency.recordValue(Math.min(TimeUnit.MINUTES.toNanos(1), Math.max(0, latencyNanos)));
    }

    void failed(String reply) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, reply.length() > 300 ? reply.substring(0, 300) + "…" : reply);
    }

    void timedOut(String command) {
        timedOut.incrementAndGet();
        firstFailure.compareAndSet(null, "no reply to " + command + " in time");
    }

    /** Commands sent so far. */
    public long sentCount() {
        return sent.get();
    }

    /** Replies with {@code "status":"success"} so far. */
    public long succeededCount() {
        return succeeded.get();
    }

    /** Error replies so far. */
    public long failedCount() {
        return failed.get();
    }

    /** Commands that got no reply within the caller's timeout so far. */
    public long timedOutCount() {
        return timedOut.get();
    }

    /** The first error reply or timeout, or {@code null}. */
    public String firstFailure() {
        return firstFailure.get();
    }

    /** The reply latencies (nanoseconds) since the last call. */
    public Histogram takeLatency() {
        return latency.getIntervalHistogram();
    }
}
