package io.arqonbus.bench.load;

import io.netty.channel.EventLoop;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.HdrHistogram.Histogram;

/** The per-event-loop {@link LoopStats} of one run, and their sums. */
public final class StatsBoard {
    private final int publishers;
    private final ConcurrentMap<EventLoop, LoopStats> byLoop = new ConcurrentHashMap<>();

    /** @param publishers how many publishers the run has (indexes 0 … publishers-1) */
    public StatsBoard(int publishers) {
        this.publishers = publishers;
    }

    public int publishers() {
        return publishers;
    }

    /** The stats of {@code loop}, created on first use (at connection set-up, not per message). */
    public LoopStats of(EventLoop loop) {
        return byLoop.computeIfAbsent(loop, l -> new LoopStats(publishers));
    }

    /** Bench payloads received by all subscribers so far. */
    public long delivered() {
        long sum = 0;
        for (LoopStats stats : byLoop.values()) {
            sum += stats.delivered();
        }
        return sum;
    }

    /** Bench payloads from {@code publisher} received by all subscribers so far. */
    public long deliveredFrom(int publisher) {
        long sum = 0;
        for (LoopStats stats : byLoop.values()) {
            sum += stats.deliveredFrom(publisher);
        }
        return sum;
    }

    /** Sequence gaps seen so far (the missing tail is added at the end of a run). */
    public long gaps() {
        return byLoop.values().stream().mapToLong(LoopStats::lost).sum();
    }

    public long duplicates() {
        return byLoop.values().stream().mapToLong(LoopStats::duplicates).sum();
    }

    public long unexpected() {
        return byLoop.values().stream().mapToLong(LoopStats::unexpected).sum();
    }

    /** Discards the latencies recorded so far (the end of the warm-up). */
    public void resetLatency() {
        for (LoopStats stats : byLoop.values()) {
            stats.latency().getIntervalHistogram();
        }
    }

    /** The latencies (nanoseconds) recorded since the last reset, merged over all loops. */
    public Histogram takeLatency() {
        Histogram merged = new Histogram(LoopStats.HIGHEST_NANOS, 3);
        for (LoopStats stats : byLoop.values()) {
            merged.add(stats.latency().getIntervalHistogram());
        }
        return merged;
    }
}
