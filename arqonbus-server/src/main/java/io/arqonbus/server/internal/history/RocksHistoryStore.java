package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.config.StoreSync;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable store: history in an embedded RocksDB database in a directory on local disk
 * ({@code --store file:<dir>}). Entries survive restarts and crashes; each stream keeps its epoch
 * and last offset even when trimmed to nothing, and {@link #open()} returns them all.
 *
 * <p>Nothing here blocks the caller. {@link #append} copies the bytes and queues them for the one
 * writer thread ({@link GroupCommitter}), which writes everything queued at once as one batch
 * (synced to disk under {@link StoreSync#ALWAYS}) and then completes the futures in append order.
 * Reads run on two reader threads. A write the disk refuses fails its futures with
 * {@link StoreUnavailableException} and turns {@link #health()} down until a write succeeds again;
 * the server keeps running. The layout is in {@link RocksLayout}; {@code docs/storage.md} has the
 * measurements behind the choice of engine.
 */
public final class RocksHistoryStore implements HistoryStore {
    /** Most appends and deletions waiting for the writer; past it appends fail at once. */
    static final int WRITE_QUEUE = 65_536;
    /** Most reads waiting for a reader thread; past it reads fail at once. */
    static final int READ_QUEUE = 1024;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(RocksHistoryStore.class);

    private final Path directory;
    private final int maxPerStream;
    private final Duration maxAge;
    private final StoreSync sync;
    private final Clock clock;
    private final EnvelopeCodec codec;
    private final ConcurrentHashMap<ChannelKey, StreamState> streams = new ConcurrentHashMap<>();
    private final AtomicLong size = new AtomicLong();
    private final AtomicReference<StoreHealth> health = new AtomicReference<>(StoreHealth.UP);
    private final Object lifecycle = new Object();
    private volatile boolean closing;
    private RocksEngine engine;
    private GroupCommitter writer;
    private Thread writerThread;
    private RocksReader reader;
    private ThreadPoolExecutor readers;

    /**
     * @param directory    where the database lives (created when missing)
     * @param maxPerStream entries kept per stream (0 keeps none, but positions are still kept)
     * @param maxAge       entries older than this are not returned, and are deleted periodically
     * @param sync         whether each group of appends is fsynced before it is confirmed
     * @param clock        the clock ages are measured with
     * @param codec        decodes what reads return
     */
    public RocksHistoryStore(Path directory, int maxPerStream, Duration maxAge, StoreSync sync, Clock clock,
            EnvelopeCodec codec) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.maxPerStream = maxPerStream;
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.sync = Objects.requireNonNull(sync, "sync");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** Opens the database, applies retention to what it holds, and starts the writer and readers. */
    @Override
    public Map<ChannelKey, StreamPosition> open() {
        synchronized (lifecycle) {
            if (engine != null || closing) {
                throw new IllegalStateException("the history store was already opened");
            }
            long started = System.nanoTime();
            RocksEngine opened = RocksEngine.open(directory, sync == StoreSync.ALWAYS);
            try {
                streams.putAll(opened.loadStreams());
                size.set(streams.values().stream().mapToLong(StreamState::count).sum());
                GroupCommitter committer = new GroupCommitter(opened, streams, size, health, WRITE_QUEUE,
                        maxPerStream, maxAge, clock);
                committer.trimAll();
                engine = opened;
                writer = committer;
            } catch (RuntimeException e) {
                opened.close();
                throw e;
            }
            reader = new RocksReader(engine, streams, maxAge, clock, codec);
            readers = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(READ_QUEUE),
                    daemonThreads("arqonbus-history-read-"));
            writerThread = new Thread(writer, "arqonbus-history-write");
            writerThread.setDaemon(true);
            writerThread.start();
            Map<ChannelKey, StreamPosition> heads = new HashMap<>();
            streams.forEach((key, state) -> heads.put(key, state.head()));
            log.atInfo()
                    .addKeyValue("event", "history_store_opened")
                    .addKeyValue("backend", "file")
                    .addKeyValue("dir", directory)
                    .addKeyValue("sync", sync)
                    .addKeyValue("streams", heads.size())
                    .addKeyValue("entries", size.get())
                    .addKeyValue("millis", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started))
                    .log("history_store_opened");
            return heads;
        }
    }

    @Override
    public CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf json, Instant storedAt) {
        byte[] value = RocksLayout.entryValue(storedAt.toEpochMilli(), json);
        return enqueue(new GroupCommitter.Append(key, position.offset(), position.epoch(), value,
                new CompletableFuture<>()));
    }

    @Override
    public CompletableFuture<Void> delete(ChannelKey key) {
        return enqueue(new GroupCommitter.Delete(key, new CompletableFuture<>()));
    }

    /**
     * Runs a trimming pass now (it also runs by itself every tenth of the maximum age, between 1 s
     * and 1 min); completes when it is done.
     */
    public CompletableFuture<Void> trimNow() {
        return enqueue(new GroupCommitter.Trim(new CompletableFuture<>()));
    }

    private CompletableFuture<Void> enqueue(GroupCommitter.Op op) {
        GroupCommitter w = writer;
        if (w == null || closing) {
            return CompletableFuture.failedFuture(unavailable("the history store is not open"));
        }
        if (!w.offer(op)) {
            return CompletableFuture.failedFuture(unavailable(
                    "the history store is overloaded (" + WRITE_QUEUE + " writes waiting)"));
        }
        if (closing && w.withdraw(op)) {
            op.done().completeExceptionally(unavailable("the history store is closed"));
        }
        return op.done();
    }

    @Override
    public CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit,
            boolean newestFirst) {
        return onReader(() -> reader.read(key, afterOffset, limit, newestFirst));
    }

    @Override
    public CompletableFuture<List<StoredMessage>> query(HistoryQuery query) {
        return onReader(() -> reader.query(query));
    }

    /** Reads only the keys: each entry's JSON is scanned, never decoded into an envelope. */
    @Override
    public CompletableFuture<List<StoredIdempotencyKey>> idempotencyKeys(ChannelKey key, Instant since, int limit) {
        return onReader(() -> reader.idempotencyKeys(key, since, limit));
    }

    private <T> CompletableFuture<T> onReader(Supplier<T> read) {
        ThreadPoolExecutor pool = readers;
        if (pool == null || closing) {
            return CompletableFuture.failedFuture(unavailable("the history store is not open"));
        }
        try {
            return CompletableFuture.supplyAsync(read, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(unavailable(closing ? "the history store is closed"
                    : "the history store is overloaded (" + READ_QUEUE + " reads waiting)"));
        }
    }

    @Override
    public long size() {
        return size.get();
    }

    @Override
    public String backend() {
        return "file";
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public StoreHealth health() {
        return health.get();
    }

    /** The directory the database lives in. */
    public Path directory() {
        return directory;
    }

    /**
     * Finishes every queued append, stops the threads and closes the database. Idempotent; a
     * store that was never opened just stays closed.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closing) {
                return;
            }
            closing = true;
            if (engine == null) {
                return;
            }
            boolean writerStopped = stopWriter();
            readers.shutdown();
            try {
                if (!readers.awaitTermination(CLOSE_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    log.atWarn()
                            .addKeyValue("event", "history_store_close_slow")
                            .addKeyValue("part", "readers")
                            .log("history_store_close_slow");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (GroupCommitter.Op op : writer.drainLeftovers()) {
                op.done().completeExceptionally(unavailable("the history store is closed"));
            }
            if (writerStopped) {
                engine.close();
            } else {
                // Closing native handles under a running writer would crash the process.
                log.atWarn()
                        .addKeyValue("event", "history_store_close_slow")
                        .addKeyValue("part", "writer")
                        .addKeyValue("detail", "database left open")
                        .log("history_store_close_slow");
            }
            log.atInfo()
                    .addKeyValue("event", "history_store_closed")
                    .addKeyValue("dir", directory)
                    .addKeyValue("entries", size.get())
                    .log("history_store_closed");
        }
    }

    private boolean stopWriter() {
        try {
            if (!writer.offer(new GroupCommitter.Stop(new CompletableFuture<>()), CLOSE_WAIT)) {
                writerThread.interrupt();
            }
            writerThread.join(CLOSE_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !writerThread.isAlive();
    }

    /** The writer, for tests. */
    GroupCommitter writer() {
        return writer;
    }

    /** The open database, for tests. */
    RocksEngine engine() {
        return engine;
    }

    private StoreUnavailableException unavailable(String detail) {
        return new StoreUnavailableException(detail + " (" + directory + ")");
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
