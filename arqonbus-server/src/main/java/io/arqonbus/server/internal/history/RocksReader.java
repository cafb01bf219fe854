package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;

/**
 * The reads of {@link RocksHistoryStore}, run on its reader threads. Each read walks one stream's
 * key range with a RocksDB iterator (a consistent view of committed groups) from the end it
 * needs, and skips entries older than the age bound, so nothing past retention is returned even
 * before the trimming pass deleted it.
 */
final class RocksReader {
    private final RocksEngine engine;
    private final Map<ChannelKey, StreamState> streams;
    private final Duration maxAge;
    private final Clock clock;
    private final EnvelopeCodec codec;
    private final StoredKeyReader keys;

    RocksReader(RocksEngine engine, Map<ChannelKey, StreamState> streams, Duration maxAge, Clock clock,
            EnvelopeCodec codec) {
        this.engine = engine;
        this.streams = streams;
        this.maxAge = maxAge;
        this.clock = clock;
        this.codec = codec;
        this.keys = new StoredKeyReader(codec.mapper().getFactory());
    }

    /** See {@link HistoryStore#read}. */
    List<StoredMessage> read(ChannelKey key, long afterOffset, int limit, boolean newestFirst) {
        StreamState s = streams.get(key);
        if (s == null || s.count() == 0 || limit <= 0 || afterOffset >= s.lastOffset()) {
            return List.of();
        }
        long cutoff = cutoff();
        List<StoredMessage> out = new ArrayList<>(Math.min(limit, (int) Math.min(s.count(), 1024)));
        try (Walk walk = new Walk(s, newestFirst, Math.max(afterOffset + 1, s.firstOffset()))) {
            for (; walk.valid() && out.size() < limit; walk.step()) {
                long offset = walk.offset();
                if (newestFirst && offset <= afterOffset) {
                    break;
                }
                byte[] value = walk.value();
                long at = RocksLayout.storedAtOf(value);
                if (at >= cutoff) {
                    out.add(message(offset, value));
                } else if (newestFirst) {
                    break;
                }
            }
            walk.check();
        }
        return out;
    }

    /**
     * See {@link HistoryStore#query}: each matching stream is walked from the end the window
     * keeps into a {@link BoundedMerge}, and a walk stops once the merge keeps no more of it.
     */
    List<StoredMessage> query(HistoryQuery query) {
        if (query.limit() == 0) {
            return List.of();
        }
        boolean latest = query.window() == HistoryQuery.Window.LATEST;
        BoundedMerge<Raw> merge = new BoundedMerge<>(query);
        long cutoff = cutoff();
        if (query.channel() != null) {
            ChannelKey key = ChannelKey.of(query.room(), query.channel());
            StreamState s = streams.get(key);
            if (s != null) {
                collect(key, s, merge, latest, cutoff, Raw::new);
            }
        } else {
            for (var entry : streams.entrySet()) {
                if (query.room() == null || query.room().equals(entry.getKey().room())) {
                    collect(entry.getKey(), entry.getValue(), merge, latest, cutoff, Raw::new);
                }
            }
        }
        List<Raw> picked = merge.result();
        List<StoredMessage> out = new ArrayList<>(picked.size());
        for (Raw raw : picked) {
            out.add(message(raw.offset(), raw.value()));
        }
        return out;
    }

    /**
     * See {@link HistoryStore#idempotencyKeys}: the walk of {@link #query} for that range, keeping of
     * each entry only what {@link StoredKeyReader} reads from its JSON.
     */
    List<StoredIdempotencyKey> idempotencyKeys(ChannelKey key, Instant since, int limit) {
        HistoryQuery query = new HistoryQuery(key.room(), key.channel(), since, null, limit,
                HistoryQuery.Window.LATEST, false);
        StreamState s = streams.get(key);
        if (limit == 0 || s == null) {
            return List.of();
        }
        BoundedMerge<Optional<StoredIdempotencyKey>> merge = new BoundedMerge<>(query);
        collect(key, s, merge, true, cutoff(), (offset, value) -> Optional.ofNullable(
                keys.read(value, RocksLayout.JSON_START, Instant.ofEpochMilli(RocksLayout.storedAtOf(value)))));
        List<StoredIdempotencyKey> out = new ArrayList<>();
        for (Optional<StoredIdempotencyKey> kept : merge.result()) {
            kept.ifPresent(out::add);
        }
        return out;
    }

    /** What a walk keeps of one entry, made only when the merge keeps the entry. */
    @FunctionalInterface
    private interface Keep<T> {
        T of(long offset, byte[] value);
    }

    private <T> void collect(ChannelKey key, StreamState s, BoundedMerge<T> merge, boolean latest, long cutoff,
            Keep<T> keep) {
        if (s.count() == 0) {
            return;
        }
        String stream = key.toString();
        try (Walk walk = new Walk(s, latest, s.firstOffset())) {
            for (; walk.valid(); walk.step()) {
                byte[] value = walk.value();
                long millis = RocksLayout.storedAtOf(value);
                if (millis < cutoff) {
                    if (latest) {
                        return;
                    }
                    continue;
                }
                long offset = walk.offset();
                if (!merge.offer(Instant.ofEpochMilli(millis), stream, offset, () -> keep.of(offset, value))) {
                    return;
                }
            }
            walk.check();
        }
    }

    private long cutoff() {
        return clock.millis() - maxAge.toMillis();
    }

    private StoredMessage message(long offset, byte[] value) {
        return StoredMessage.of(RocksLayout.jsonOf(value), offset, Instant.ofEpochMilli(RocksLayout.storedAtOf(value)),
                codec);
    }

    /** An entry a query keeps, decoded only once it is in the result. */
    private record Raw(long offset, byte[] value) {
    }

    /**
     * One stream's entries walked oldest first from an offset, or newest first from the end, with
     * an engine use held until closed. A walk of a closed store is empty.
     */
    private final class Walk implements AutoCloseable {
        private final boolean backwards;
        private final boolean inUse;
        private Slice lower;
        private Slice upper;
        private ReadOptions options;
        private RocksIterator it;
        private long steps;
        private final long maxSteps;

        Walk(StreamState s, boolean backwards, long fromOffset) {
            this.backwards = backwards;
            // Bounded by what the stream can hold; a group may have added to it since s was read.
            this.maxSteps = s.count() + GroupCommitter.MAX_GROUP;
            this.inUse = engine.use();
            if (!inUse) {
                throw new StoreUnavailableException("the history store is closed");
            }
            try {
                lower = new Slice(RocksLayout.streamStart(s.id()));
                upper = new Slice(RocksLayout.streamStart(s.id() + 1));
                options = new ReadOptions().setIterateLowerBound(lower).setIterateUpperBound(upper);
                it = engine.db.newIterator(engine.entries, options);
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            if (backwards) {
                it.seekToLast();
            } else {
                it.seek(RocksLayout.entryKey(s.id(), fromOffset));
            }
        }

        boolean valid() {
            return steps < maxSteps && it.isValid();
        }

        long offset() {
            return RocksLayout.offsetOf(it.key());
        }

        byte[] value() {
            return it.value();
        }

        void step() {
            steps++;
            if (backwards) {
                it.prev();
            } else {
                it.next();
            }
        }

        /** Turns an iterator error into a {@link StoreUnavailableException}. */
        void check() {
            try {
                it.status();
            } catch (RocksDBException e) {
                throw new StoreUnavailableException("history store read failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            if (!inUse) {
                return;
            }
            for (AutoCloseable handle : new AutoCloseable[] {it, options, lower, upper}) {
                if (handle != null) {
                    try {
                        handle.close();
                    } catch (Exception e) {
                        // native handles close without checked failures
                    }
                }
            }
            engine.release();
        }
    }
}
