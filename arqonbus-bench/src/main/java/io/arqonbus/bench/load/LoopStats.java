package io.arqonbus.bench.load;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Recorder;

/**
 * What the connections of one event loop observed. Written only by that loop (single writer, so
 * the counters use {@code lazySet} and never contend); read by the run's main thread.
 */
public final class LoopStats {
    /** Latencies above this are recorded as this (one minute). */
    public static final long HIGHEST_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Recorder latency = new Recorder(HIGHEST_NANOS, 3);
    private final AtomicLongArray deliveredByPublisher;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong unexpected = new AtomicLong();

    LoopStats(int publishers) {
        deliveredByPublisher = new AtomicLongArray(Math.max(1, publishers));
    }

    /** On the loop: one bench payload from {@code publisher} arrived {@code latencyNanos} after it was sent. */
    void delivered(int publisher, long latencyNanos) {
        deliveredByPublisher.lazySet(publisher, deliveredByPublisher.get(publisher) + 1);
        latency.recordValue(Math.min(HIGHEST_NANOS, Math.max(0, latencyNanos)));
    }

    /** On the loop: {@code count} sequence numbers were skipped. */
    void lost(long count) {
        lost.lazySet(lost.get() + count);
    }

    /** On the loop: a sequence number at or below the last one seen arrived. */
    void duplicate() {
        duplicates.lazySet(duplicates.get() + 1);
    }

    /** On the loop: a bench payload named a publisher this run does not have. */
    void countUnexpected() {
        unexpected.lazySet(unexpected.get() + 1);
    }

    long delivered() {
        long sum = 0;
        for (int i = 0; i < deliveredByPublisher.length(); i++) {
            sum += deliveredByPublisher.get(i);
        }
        return sum;
    }

    long deliveredFrom(int publisher) {
        return deliveredByPublisher.get(publisher);
    }

    long lost() {
        return lost.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long unexpected() {
        return unexpected.get();
    }

    Recorder latency() {
        return latency;
    }
}
