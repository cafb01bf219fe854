package io.arqonbus.server.internal.history;

import io.arqonbus.server.internal.channel.ChannelKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of {@link RocksHistoryStore}: takes appends and deletions from a bounded
 * queue, and turns everything queued at that moment (up to {@link #MAX_GROUP} operations) into one
 * write batch, written once (and fsynced once under {@code sync=always}): a group commit. Only
 * then are the group's futures completed, in the order the operations were queued. Count
 * retention is applied in the same batch; age retention by a periodic pass between groups.
 *
 * <p>It is the only thread that changes the database and the published stream states, so a group
 * needs no locks; readers see the states of committed groups only.
 *
 * <p>Over 400 lines: the writer loop, its batch building, retention and failure handling share the
 * one thread's state and are kept together so that nothing else can touch it.
 */
final class GroupCommitter implements Runnable {
    /**
     * Free space left on the store's disk after a write, for RocksDB's own needs (a memtable flush
     * writes up to 64 MiB, compactions more): appends that would go below it are refused with
     * {@code STORAGE_UNAVAILABLE} and accepted again once space returns.
     */
    static final long DISK_RESERVE = 64L * 1024 * 1024;
    /** How often the writer looks for free space while the disk is full. */
    private static final long SPACE_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /** Most operations in one write batch. */
    static final int MAX_GROUP = 4096;
    /** Most entries one age-trimming pass deletes; the next pass goes on. */
    static final int TRIM_BUDGET = 10_000;
    private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

    /** What the writer does, in queue order. */
    sealed interface Op {
        CompletableFuture<Void> done();
    }

    /** Stores one entry; {@code value} is already laid out by {@link RocksLayout#entryValue}. */
    record Append(ChannelKey key, long offset, String epoch, byte[] value, CompletableFuture<Void> done)
            implements Op {
    }

    /** Forgets a stream. */
    record Delete(ChannelKey key, CompletableFuture<Void> done) implements Op {
    }

    /** Runs an age- and count-trimming pass now. */
    record Trim(CompletableFuture<Void> done) implements Op {
    }

    /** Finishes what is queued, then ends the writer. */
    record Stop(CompletableFuture<Void> done) implements Op {
    }

    private final RocksEngine engine;
    private final ConcurrentHashMap<ChannelKey, StreamState> streams;
    private final AtomicLong size;
    private final AtomicReference<StoreHealth> health;
    private final BlockingQueue<Op> queue;
    private final int maxPerStream;
    private final Duration maxAge;
    private final Clock clock;
    private final long trimEveryNanos;
    private final AtomicLong groups = new AtomicLong();
    private long nextId;
    private boolean stopping;
    /** Whether the store is down because its disk is full (the writer then watches for space). */
    private boolean diskFull;

    GroupCommitter(RocksEngine engine, ConcurrentHashMap<ChannelKey, StreamState> streams, AtomicLong size,
            AtomicReference<StoreHealth> health, int queueCapacity, int maxPerStream, Duration maxAge, Clock clock) {
        this.engine = engine;
        this.streams = streams;
        this.size = size;
        this.health = health;
        this.queue = new LinkedBlockingQueue<>(queueCapacity);
        this.maxPerStream = maxPerStream;
        this.maxAge = maxAge;
        this.clock = clock;
        this.trimEveryNanos = Math.clamp(maxAge.toNanos() / 10, TimeUnit.SECONDS.toNanos(1),
                TimeUnit.MINUTES.toNanos(1));
        long max = 0;
        for (StreamState s : streams.values()) {
            max = Math.max(max, s.id());
        }
        this.nextId = max + 1;
    }

    /** How many groups were written so far. */
    long groupsCommitted() {
        return groups.get();
    }

    /** Queues an operation; {@code false} when the queue is full. Any thread. */
    boolean offer(Op op) {
        return queue.offer(op);
    }

    /** Queues an operation, waiting for room up to {@code timeout}. */
    boolean offer(Op op, Duration timeout) throws InterruptedException {
        return queue.offer(op, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Takes an operation back out of the queue if the writer has not taken it yet. */
    boolean withdraw(Op op) {
        return queue.remove(op);
    }

    /** Everything still queued (after the writer ended). */
    List<Op> drainLeftovers() {
        List<Op> left = new ArrayList<>();
        queue.drainTo(left);
        return left;
    }

    /**
     * Before the writer starts (at open): applies the count bound (which may have shrunk since
     * the last run) and the age bound to every stream, however much that is.
     *
     * @throws StoreUnavailableException when the database refuses
     */
    void trimAll() {
        try {
            trim(Integer.MAX_VALUE);
        } catch (RocksDBException e) {
            throw new StoreUnavailableException("cannot trim the history store: " + e.getMessage(), e);
        }
    }

    @Override
    public void run() {
        List<Op> group = new ArrayList<>(MAX_GROUP);
        long nextTrim = System.nanoTime() + trimEveryNanos;
        while (!(stopping && queue.isEmpty())) {
            try {
                long wait = Math.max(0, nextTrim - System.nanoTime());
                if (diskFull) {
                    wait = Math.min(wait, SPACE_CHECK_NANOS);
                }
                Op first = queue.poll(wait, TimeUnit.NANOSECONDS);
                if (first != null) {
                    group.add(first);
                    queue.drainTo(group, MAX_GROUP - 1);
                    commit(group);
                    group.clear();
                }
                if (diskFull) {
                    checkSpaceReturned();
                }
                if (System.nanoTime() - nextTrim >= 0) {
                    trimSafely(TRIM_BUDGET);
                    nextTrim = System.nanoTime() + trimEveryNanos;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(group, new StoreUnavailableException("the history store was stopped"));
                return;
            } catch (RuntimeException | Error e) {
                // Never lets the writer die: the group fails, the next one is tried again.
                log.atError().setCause(e)
                        .addKeyValue("event", "history_writer_error")
                        .log("history_writer_error");
                fail(group, new StoreUnavailableException("history store error: " + e, e));
                group.clear();
            }
        }
    }

    /** Writes one group as one batch and completes its futures in queue order. */
    private void commit(List<Op> group) {
        Map<ChannelKey, Change> changes = new LinkedHashMap<>();
        Throwable[] outcomes = new Throwable[group.size()];
        boolean trim = false;
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < group.size(); i++) {
                switch (group.get(i)) {
                    case Append a -> outcomes[i] = append(a, changes, batch);
                    case Delete d -> delete(d, changes, batch);
                    case Trim t -> trim = true;
                    case Stop s -> stopping = true;
                }
            }
            if (!changes.isEmpty()) {
                if (!engine.use()) {
                    throw new StoreUnavailableException("the history store is closed");
                }
                try {
                    for (var change : changes.entrySet()) {
                        change.getValue().finish(change.getKey(), batch);
                    }
                    try {
                        engine.checkSpace(batch.getDataSize(), DISK_RESERVE);
                    } catch (StoreUnavailableException e) {
                        diskFull = true;
                        throw e;
                    }
                    engine.db.write(engine.appendWrites, batch);
                    groups.incrementAndGet();
                } finally {
                    engine.release();
                }
                publish(changes);
            }
            recovered();
        } catch (RocksDBException | StoreUnavailableException e) {
            String detail = "history store write failed: " + e.getMessage();
            if (health.getAndSet(StoreHealth.down(detail)).available()) {
                log.atWarn()
                        .addKeyValue("event", "history_store_down")
                        .addKeyValue("detail", detail)
                        .log("history_store_down");
            }
            StoreUnavailableException failure = e instanceof StoreUnavailableException s ? s
                    : new StoreUnavailableException(detail, e);
            for (int i = 0; i < outcomes.length; i++) {
                if (!(group.get(i) instanceof Trim) && !(group.get(i) instanceof Stop)) {
                    outcomes[i] = failure;
                }
            }
        }
        if (trim) {
            trimSafely(Integer.MAX_VALUE);
        }
        for (int i = 0; i < group.size(); i++) {
            if (outcomes[i] == null) {
                group.get(i).done().complete(null);
            } else {
                group.get(i).done().completeExceptionally(outcomes[i]);
            }
        }
    }

    private Throwable append(Append a, Map<ChannelKey, Change> changes, WriteBatch batch) throws RocksDBException {
        Change c = changes.computeIfAbsent(a.key(), k -> new Change(streams.get(k)));
        if (a.offset() < 0) {
            return new IllegalArgumentException("offset: " + a.offset() + " (expected: >= 0)");
        }
        if (c.exists() && c.epoch.equals(a.epoch()) && c.hasEntries() && a.offset() <= c.lastOffset) {
            return new IllegalArgumentException("offset " + a.offset() + " of " + a.key()
                    + " is not after the stream's last offset " + c.lastOffset);
        }
        if (!c.exists()) {
            c.restart(nextId++, a.epoch());
        } else if (!c.epoch.equals(a.epoch())) {
            batch.deleteRange(engine.entries, RocksLayout.streamStart(c.id), RocksLayout.streamStart(c.id + 1));
            c.restart(nextId++, a.epoch());
        }
        c.lastOffset = a.offset();
        c.appended = true;
        if (maxPerStream > 0) {
            c.puts.add(a);
        }
        return null;
    }

    private void delete(Delete d, Map<ChannelKey, Change> changes, WriteBatch batch) throws RocksDBException {
        Change c = changes.computeIfAbsent(d.key(), k -> new Change(streams.get(k)));
        if (c.exists()) {
            batch.deleteRange(engine.entries, RocksLayout.streamStart(c.id), RocksLayout.streamStart(c.id + 1));
            batch.delete(engine.streams, RocksLayout.streamKey(d.key()));
            c.deleted();
        }
    }

    private void publish(Map<ChannelKey, Change> changes) {
        for (var entry : changes.entrySet()) {
            Change c = entry.getValue();
            long before = c.base == null ? 0 : c.base.count();
            if (c.result == null) {
                if (c.base != null) {
                    streams.remove(entry.getKey());
                }
                size.addAndGet(-before);
            } else {
                streams.put(entry.getKey(), c.result);
                size.addAndGet(c.result.count() - before);
            }
        }
    }

    /**
     * While the store is down for a full disk, durable publications are refused before they reach
     * the writer, so no write would bring it up again: the writer looks at the free space itself
     * (every {@link #SPACE_CHECK_NANOS}) and brings the store up once it is above the reserve.
     */
    private void checkSpaceReturned() {
        if (!engine.use()) {
            return;
        }
        try {
            engine.checkSpace(0, DISK_RESERVE);
            recovered();
        } catch (StoreUnavailableException e) {
            // Still full.
        } finally {
            engine.release();
        }
    }

    private void recovered() {
        diskFull = false;
        if (!health.getAndSet(StoreHealth.UP).available()) {
            log.atInfo()
                    .addKeyValue("event", "history_store_up")
                    .log("history_store_up");
        }
    }

    private void trimSafely(int budget) {
        try {
            trim(budget);
        } catch (RocksDBException | StoreUnavailableException e) {
            log.atWarn()
                    .addKeyValue("event", "history_trim_failed")
                    .addKeyValue("detail", e.getMessage())
                    .log("history_trim_failed");
        }
    }

    /**
     * Deletes, per stream, the entries past the count bound and those older than the age bound,
     * oldest first, at most {@code budget} in all, in one unsynced batch with the new states.
     *
     * @return how many entries it deleted
     */
    private int trim(int budget) throws RocksDBException {
        long cutoff = clock.millis() - maxAge.toMillis();
        Map<ChannelKey, StreamState> trimmed = new LinkedHashMap<>();
        int deleted = 0;
        if (!engine.use()) {
            return 0;
        }
        try (WriteBatch batch = new WriteBatch()) {
            for (var entry : streams.entrySet()) {
                StreamState s = entry.getValue();
                if (deleted >= budget) {
                    break;
                }
                if (s.count() == 0 || s.count() <= maxPerStream && s.oldestAt() >= cutoff) {
                    continue;
                }
                long over = Math.max(0, s.count() - maxPerStream);
                try (Scan scan = new Scan(s.id(), s.firstOffset())) {
                    long n = 0;
                    while (scan.valid() && n < s.count() && deleted < budget
                            && (n < over || scan.storedAt() < cutoff)) {
                        batch.delete(engine.entries, scan.key());
                        n++;
                        deleted++;
                        scan.next();
                    }
                    StreamState after = scan.valid()
                            ? new StreamState(s.id(), s.epoch(), s.lastOffset(), RocksLayout.offsetOf(scan.key()),
                                    s.count() - n, scan.storedAt())
                            : new StreamState(s.id(), s.epoch(), s.lastOffset(), 0, 0, 0);
                    batch.put(engine.streams, RocksLayout.streamKey(entry.getKey()), after.encode());
                    trimmed.put(entry.getKey(), after);
                }
            }
            if (!trimmed.isEmpty()) {
                engine.db.write(engine.trimWrites, batch);
            }
        } finally {
            engine.release();
        }
        for (var entry : trimmed.entrySet()) {
            StreamState before = streams.put(entry.getKey(), entry.getValue());
            size.addAndGet(entry.getValue().count() - (before == null ? 0 : before.count()));
        }
        if (deleted > 0) {
            log.atDebug()
                    .addKeyValue("event", "history_trimmed")
                    .addKeyValue("entries", deleted)
                    .addKeyValue("streams", trimmed.size())
                    .log("history_trimmed");
        }
        return deleted;
    }

    private static void fail(List<Op> group, StoreUnavailableException e) {
        for (Op op : group) {
            op.done().completeExceptionally(e);
        }
    }

    /** A forward scan over one stream's entries from an offset; caller holds an engine use. */
    private final class Scan implements AutoCloseable {
        private final Slice upper;
        private final ReadOptions options;
        private final RocksIterator it;
        private byte[] value;

        Scan(long stream, long fromOffset) {
            upper = new Slice(RocksLayout.streamStart(stream + 1));
            options = new ReadOptions().setIterateUpperBound(upper);
            it = engine.db.newIterator(engine.entries, options);
            it.seek(RocksLayout.entryKey(stream, fromOffset));
        }

        boolean valid() {
            return it.isValid();
        }

        byte[] key() {
            return it.key();
        }

        long storedAt() {
            if (value == null) {
                value = it.value();
            }
            return RocksLayout.storedAtOf(value);
        }

        void next() {
            value = null;
            it.next();
        }

        @Override
        public void close() {
            it.close();
            options.close();
            upper.close();
        }
    }

    /** What one group does to one stream, applied to the batch by {@link #finish}. */
    private final class Change {
        final StreamState base;
        long id;
        String epoch;
        long lastOffset;
        /** Entries of the stream already in the database that this group keeps building on. */
        long dbCount;
        long dbFirst;
        long dbOldest;
        boolean live;
        boolean appended;
        final List<Append> puts = new ArrayList<>();
        StreamState result;

        Change(StreamState base) {
            this.base = base;
            if (base != null) {
                id = base.id();
                epoch = base.epoch();
                lastOffset = base.lastOffset();
                dbCount = base.count();
                dbFirst = base.firstOffset();
                dbOldest = base.oldestAt();
                live = true;
            }
        }

        boolean exists() {
            return live;
        }

        /** Whether the stream as this group sees it has had an append (its last offset counts). */
        boolean hasEntries() {
            return appended || base != null && id == base.id();
        }

        void restart(long newId, String newEpoch) {
            id = newId;
            epoch = newEpoch;
            lastOffset = 0;
            dbCount = 0;
            puts.clear();
            live = true;
            appended = false;
        }

        void deleted() {
            live = false;
            dbCount = 0;
            puts.clear();
        }

        /**
         * Adds the kept entries and the stream's new state to the batch, dropping the oldest
         * entries (in the database first, then of this group) past the count bound.
         */
        void finish(ChannelKey key, WriteBatch batch) throws RocksDBException {
            if (!live) {
                result = null;
                return;
            }
            long total = dbCount + puts.size();
            long excess = Math.max(0, total - maxPerStream);
            long dropDb = Math.min(excess, dbCount);
            int dropPuts = (int) (excess - dropDb);
            long first = 0;
            long oldest = 0;
            boolean found = false;
            if (dbCount > 0) {
                if (dropDb == 0) {
                    first = dbFirst;
                    oldest = dbOldest;
                    found = true;
                } else {
                    try (Scan scan = new Scan(id, dbFirst)) {
                        for (long n = 0; n < dropDb && scan.valid(); n++) {
                            batch.delete(engine.entries, scan.key());
                            scan.next();
                        }
                        if (dropDb < dbCount && scan.valid()) {
                            first = RocksLayout.offsetOf(scan.key());
                            oldest = scan.storedAt();
                            found = true;
                        }
                    }
                }
            }
            for (int i = dropPuts; i < puts.size(); i++) {
                Append a = puts.get(i);
                batch.put(engine.entries, RocksLayout.entryKey(id, a.offset()), a.value());
                if (!found) {
                    first = a.offset();
                    oldest = RocksLayout.storedAtOf(a.value());
                    found = true;
                }
            }
            long count = found ? total - excess : 0;
            result = new StreamState(id, epoch, lastOffset, first, count, oldest);
            batch.put(engine.streams, RocksLayout.streamKey(key), result.encode());
        }
    }
}
