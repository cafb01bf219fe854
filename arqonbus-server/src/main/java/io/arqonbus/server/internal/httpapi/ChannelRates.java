package io.arqonbus.server.internal.httpapi;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Publications a second per channel, from the channel's last offset: each listing compares the offset with
 * the one remembered at least a second earlier, and remembers the new one. The first listing answers 0.
 * Bounded: forgotten entirely past {@value #MAX_CHANNELS} channels.
 */
final class ChannelRates {
    private static final int MAX_CHANNELS = 100_000;
    private static final long MIN_INTERVAL_NANOS = 1_000_000_000L;

    private record Sample(long offset, long atNanos, double rate) {
    }

    private final ConcurrentMap<ChannelKey, Sample> samples = new ConcurrentHashMap<>();

    /** The rate of {@code key} now that its last offset is {@code offset}. */
    double rate(ChannelKey key, long offset, long nowNanos) {
        if (samples.size() > MAX_CHANNELS) {
            samples.clear();
        }
        Sample next = samples.compute(key, (k, previous) -> {
            if (previous == null || offset < previous.offset()) {
                return new Sample(offset, nowNanos, 0);
            }
            long elapsed = nowNanos - previous.atNanos();
            if (elapsed < MIN_INTERVAL_NANOS) {
                return previous;
            }
            return new Sample(offset, nowNanos, (offset - previous.offset()) * 1e9 / elapsed);
        });
        return next.rate();
    }
}
