package io.arqonbus.server.internal.history;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.redis.BoundedPipeline;
import io.arqonbus.server.internal.redis.RedisLink;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * History in Redis (or Valkey) Streams: one stream per {@code room:channel} and one per room,
 * entries added with the id {@code <offset>-0}, each stream's epoch and last offset in a hash
 * beside it (see {@link RedisKeys}). Everything goes through Lettuce's asynchronous API on one
 * connection of the shared {@link RedisLink}, so appends are pipelined and complete in the order they were made; nothing blocks
 * the caller but {@link #open()} and {@link #close()}. Appends, reads and drops pass through a
 * {@link BoundedPipeline}: at most {@value #MAX_IN_FLIGHT} await Redis at once, so a burst of
 * thousands of appends never times out for queueing behind its own first commands.
 *
 * <p>An append is one {@code EVALSHA} of {@link RedisScripts#APPEND} (an epoch change drops the
 * stream; the entry is trimmed to the count bound with an exact {@code MAXLEN}). Reads by offset
 * and time queries run {@link RedisScripts#READ}, which turns the age bound and the query's times
 * into offset bounds inside Redis and returns at most {@code limit} entries per stream. Entries past
 * the age bound are never returned and are trimmed periodically, off the hot path, with
 * {@code XTRIM MINID}.
 *
 * <p>While Redis cannot be reached, commands are refused at once (Lettuce's
 * {@code REJECT_COMMANDS}) or time out after the configured command timeout; the futures fail with
 * {@link StoreUnavailableException} and {@link #health()} says why. The connection comes back by
 * itself. The stream index used by room-wide queries and {@link #size()} is this process's: one
 * server per key prefix.
 *
 * <p>Over 400 lines: one class per seam implementation, like the memory and RocksDB stores; its
 * scripts live in {@link RedisScripts} and its key names in {@link RedisKeys}.
 */
public final class RedisHistoryStore implements HistoryStore {
    private static final Logger log = LoggerFactory.getLogger(RedisHistoryStore.class);
    private static final byte[] EPOCH = bytes("epoch");
    private static final byte[] LAST = bytes("last");
    private static final int SCAN_BATCH = 1000;
    private static final int MAX_SCAN_ROUNDS = 1_000_000;
    /**
     * Commands awaiting replies at once: deep enough to keep Redis busy (about 20 µs per append),
     * shallow enough that a command sent behind them is answered well inside the command timeout
     * even on a loaded machine; a burst beyond it waits in {@link #pipeline} before being sent.
     */
    private static final int MAX_IN_FLIGHT = 256;

    private final RedisConfig config;
    private final int maxPerStream;
    private final Duration maxAge;
    private final Clock clock;
    private final EnvelopeCodec codec;
    private final RedisKeys keys;
    private final Duration trimInterval;
    private final String appendDigest;
    private final String readDigest;
    private final String trimDigest;
    /** Appends, reads and drops in the order made, at most this many awaiting Redis at once. */
    private final BoundedPipeline pipeline;
    private final ConcurrentHashMap<ChannelKey, Stream> streams = new ConcurrentHashMap<>();
    private final Object lifecycle = new Object();
    private final java.util.concurrent.atomic.AtomicBoolean reloading = new java.util.concurrent.atomic.AtomicBoolean();
    private final RedisLink link;
    private volatile StatefulRedisConnection<byte[], byte[]> connection;
    private ScheduledFuture<?> trimTask;
    private boolean closed;

    /**
     * @param link         the connection to Redis, shared with its other users; closed by its owner
     * @param maxPerStream entries kept per stream (0 keeps none)
     * @param maxAge       entries older than this are neither returned nor kept
     * @param clock        the clock ages are measured with
     * @param codec        decodes what reads return
     */
    public RedisHistoryStore(RedisLink link, int maxPerStream, Duration maxAge, Clock clock, EnvelopeCodec codec) {
        this.link = link;
        this.pipeline = new BoundedPipeline(MAX_IN_FLIGHT, link.executor().next());
        this.config = link.config();
        this.maxPerStream = maxPerStream;
        this.maxAge = maxAge;
        this.clock = clock;
        this.codec = codec;
        this.keys = new RedisKeys(config.keyPrefix());
        this.trimInterval = clamp(maxAge.dividedBy(10), Duration.ofSeconds(1), Duration.ofMinutes(1));
        this.appendDigest = sha1(RedisScripts.APPEND);
        this.readDigest = sha1(RedisScripts.READ);
        this.trimDigest = sha1(RedisScripts.TRIM);
    }

    /**
     * Connects (if not yet connected) and reads every stream's position. Blocks; may be called
     * again after it failed.
     */
    @Override
    public Map<ChannelKey, StreamPosition> open() {
        StatefulRedisConnection<byte[], byte[]> conn = connect();
        try {
            return scanHeads(conn.async());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(e);
        } catch (ExecutionException | TimeoutException | RedisException e) {
            throw unavailable(e);
        }
    }

    private StatefulRedisConnection<byte[], byte[]> connect() {
        synchronized (lifecycle) {
            if (closed) {
                throw new StoreUnavailableException("the Redis history store is closed");
            }
            if (connection != null) {
                return connection;
            }
            try {
                StatefulRedisConnection<byte[], byte[]> conn = link.connection("arqonbus-history",
                        ByteArrayCodec.INSTANCE).get(config.commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
                conn.sync().scriptLoad(RedisScripts.APPEND);
                connection = conn;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable(e);
            } catch (ExecutionException | TimeoutException | RedisException e) {
                throw unavailable(e);
            }
            log.atDebug()
                    .addKeyValue("event", "redis_history_connected")
                    .addKeyValue("address", config.address())
                    .addKeyValue("prefix", config.keyPrefix())
                    .log("redis_history_connected");
            long period = trimInterval.toMillis();
            trimTask = link.executor().scheduleWithFixedDelay(this::trimOld, period, period,
                    TimeUnit.MILLISECONDS);
            return connection;
        }
    }

    private Map<ChannelKey, StreamPosition> scanHeads(RedisAsyncCommands<byte[], byte[]> redis)
            throws InterruptedException, ExecutionException, TimeoutException {
        long timeout = config.commandTimeout().toMillis() * 4;
        List<ChannelKey> found = new ArrayList<>();
        ScanArgs match = ScanArgs.Builder.matches(keys.metaPattern()).limit(SCAN_BATCH);
        ScanCursor cursor = ScanCursor.INITIAL;
        for (int round = 0; round < MAX_SCAN_ROUNDS; round++) {
            KeyScanCursor<byte[]> page = redis.scan(cursor, match).get(timeout, TimeUnit.MILLISECONDS);
            for (byte[] k : page.getKeys()) {
                ChannelKey key = keys.fromMeta(new String(k, StandardCharsets.UTF_8));
                if (key != null) {
                    found.add(key);
                }
            }
            if (page.isFinished()) {
                break;
            }
            cursor = page;
        }
        Map<ChannelKey, CompletableFuture<List<KeyValue<byte[], byte[]>>>> metas = new HashMap<>();
        Map<ChannelKey, CompletableFuture<Long>> lengths = new HashMap<>();
        for (ChannelKey key : found) {
            metas.put(key, redis.hmget(keys.meta(key), EPOCH, LAST).toCompletableFuture());
            lengths.put(key, redis.xlen(keys.stream(key)).toCompletableFuture());
        }
        Map<ChannelKey, StreamPosition> heads = new HashMap<>();
        for (ChannelKey key : found) {
            List<KeyValue<byte[], byte[]>> meta = metas.get(key).get(timeout, TimeUnit.MILLISECONDS);
            if (meta.size() < 2 || !meta.get(0).hasValue() || !meta.get(1).hasValue()) {
                continue;
            }
            String epoch = new String(meta.get(0).getValue(), StandardCharsets.UTF_8);
            long last = Long.parseLong(new String(meta.get(1).getValue(), StandardCharsets.UTF_8));
            heads.put(key, new StreamPosition(last, epoch));
            Stream stream = streams.computeIfAbsent(key, k -> new Stream());
            stream.epoch = epoch;
            stream.count.set(lengths.get(key).get(timeout, TimeUnit.MILLISECONDS));
        }
        log.atDebug()
                .addKeyValue("event", "redis_history_opened")
                .addKeyValue("streams", heads.size())
                .log("redis_history_opened");
        return heads;
    }

    @Override
    public CompletableFuture<Void> append(ChannelKey key, StreamPosition position, ByteBuf json, Instant storedAt) {
        if (maxPerStream <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        byte[][] streamKeys = {keys.stream(key), keys.meta(key)};
        String epoch = position.epoch();
        byte[][] args = {bytes(epoch), bytes(Long.toString(position.offset())), bytes(Integer.toString(maxPerStream)),
                ByteBufUtil.getBytes(json), bytes(Long.toString(storedAt.toEpochMilli()))};
        CompletableFuture<Object> sent = pipeline.submit(link.inCurrentSpan(() -> conn.async()
                .<Object>evalsha(appendDigest, ScriptOutputType.INTEGER, streamKeys, args).toCompletableFuture()));
        Stream stream = streams.computeIfAbsent(key, k -> new Stream());
        return Failures.mapFailure(sent.thenAccept(ok -> stream.appended(epoch, maxPerStream)), error -> {
            if (error instanceof RedisNoScriptException) {
                // Redis lost its script cache (a restart): this append fails, later ones work.
                reloadAppendScript(conn);
            }
            return unavailable(error);
        });
    }

    /**
     * Loads the append script again. Appends are never retried with a plain EVAL: a retry could
     * land after a later append of the same stream, and order matters more than one message.
     */
    private void reloadAppendScript(StatefulRedisConnection<byte[], byte[]> conn) {
        if (reloading.compareAndSet(false, true)) {
            conn.async().scriptLoad(RedisScripts.APPEND).whenComplete((sha, e) -> reloading.set(false));
        }
    }

    @Override
    public CompletableFuture<List<StoredMessage>> read(ChannelKey key, long afterOffset, int limit,
            boolean newestFirst) {
        if (limit <= 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        return readStream(key, afterOffset, minAt(null), -1, limit, newestFirst).thenApply(found -> {
            List<StoredMessage> out = new ArrayList<>(found.size());
            for (Found f : found) {
                out.add(f.message());
            }
            return out;
        });
    }

    /**
     * Reads at most {@code limit} entries of each stream the query covers (each stream's
     * {@code limit} closest to the end the window keeps, selected inside Redis), then keeps the
     * {@code limit} closest to that end of them all with a {@link BoundedMerge}.
     */
    @Override
    public CompletableFuture<List<StoredMessage>> query(HistoryQuery query) {
        if (query.limit() == 0) {
            return CompletableFuture.completedFuture(List.of());
        }
        List<ChannelKey> covered = new ArrayList<>();
        if (query.channel() != null) {
            covered.add(ChannelKey.of(query.room(), query.channel()));
        } else {
            for (ChannelKey key : streams.keySet()) {
                if (query.room() == null || query.room().equals(key.room())) {
                    covered.add(key);
                }
            }
        }
        boolean latest = query.window() == HistoryQuery.Window.LATEST;
        long minAt = minAt(query.since());
        long untilAt = query.until() == null ? -1 : query.until().toEpochMilli();
        List<CompletableFuture<List<Found>>> reads = new ArrayList<>(covered.size());
        for (ChannelKey key : covered) {
            reads.add(readStream(key, 0, minAt, untilAt, query.limit(), latest));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
            BoundedMerge<StoredMessage> merge = new BoundedMerge<>(query);
            for (CompletableFuture<List<Found>> read : reads) {
                for (Found f : read.join()) {
                    StoredMessage m = f.message();
                    merge.keep(m.storedAt(), f.stream(), m.offset(), () -> m);
                }
            }
            return merge.result();
        });
    }

    /** An entry read from a stream, with the stream's name that orders it among entries of other streams. */
    private record Found(String stream, StoredMessage message) {
    }

    private long minAt(Instant since) {
        long oldest = clock.instant().minus(maxAge).toEpochMilli();
        return since == null ? Math.max(0, oldest) : Math.max(Math.max(0, oldest), since.toEpochMilli());
    }

    private CompletableFuture<List<Found>> readStream(ChannelKey key, long afterOffset, long minAt, long untilAt,
            int limit, boolean newestFirst) {
        byte[][] k = {keys.stream(key)};
        byte[][] args = {bytes(Long.toString(afterOffset)), bytes(Long.toString(minAt)),
            bytes(Long.toString(untilAt)), bytes(Integer.toString(limit)), bytes(newestFirst ? "1" : "0")};
        String name = key.toString();
        return script(RedisScripts.READ, readDigest, k, args).thenApply(reply -> {
            List<?> flat = (List<?>) reply;
            List<Found> out = new ArrayList<>(flat.size() / 3);
            for (int i = 0; i + 2 < flat.size(); i += 3) {
                String id = text(flat.get(i));
                long offset = Long.parseLong(id.substring(0, id.indexOf('-')));
                Instant at = Instant.ofEpochMilli(Long.parseLong(text(flat.get(i + 1))));
                out.add(new Found(name, StoredMessage.of((byte[]) flat.get(i + 2), offset, at, codec)));
            }
            return out;
        });
    }

    /** Runs a script by digest, loading it with EVAL when Redis does not have it (e.g. after a restart). */
    private CompletableFuture<Object> script(String body, String digest, byte[][] k, byte[][] args) {
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        return Failures.attempt(() -> pipeline.submit(() -> {
            RedisAsyncCommands<byte[], byte[]> redis = conn.async();
            return redis.<Object>evalsha(digest, ScriptOutputType.MULTI, k, args).toCompletableFuture()
                    .exceptionallyCompose(error -> {
                        Throwable cause = Failures.unwrap(error);
                        if (cause instanceof RedisNoScriptException) {
                            return redis.<Object>eval(body, ScriptOutputType.MULTI, k, args).toCompletableFuture();
                        }
                        return CompletableFuture.failedFuture(cause);
                    });
        }), this::unavailable);
    }

    @Override
    public CompletableFuture<Void> delete(ChannelKey key) {
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        streams.remove(key);
        return Failures.attempt(() -> pipeline.submit(() -> conn.async().del(keys.stream(key), keys.meta(key))
                .toCompletableFuture()).thenAccept(n -> { }),
                this::unavailable);
    }

    /** Drops every stream's entries past the age bound; runs periodically, off the hot path. */
    private void trimOld() {
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn == null || !conn.isOpen()) {
            return;
        }
        byte[][] args = {bytes(Long.toString(minAt(null)))};
        for (Map.Entry<ChannelKey, Stream> entry : streams.entrySet()) {
            Stream stream = entry.getValue();
            script(RedisScripts.TRIM, trimDigest, new byte[][] {keys.stream(entry.getKey())}, args)
                    .whenComplete((length, error) -> {
                        if (error == null && length instanceof Long n) {
                            stream.count.set(n);
                        }
                    });
        }
    }

    /**
     * Completes once Redis answered, having (re)loaded the append script — so a Redis that
     * restarted and lost its script cache takes appends again at once; fails with
     * {@link StoreUnavailableException}.
     */
    public CompletableFuture<Void> ping() {
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn == null) {
            return CompletableFuture.failedFuture(notConnected());
        }
        return Failures.attempt(() -> conn.async().scriptLoad(RedisScripts.APPEND).thenAccept(sha -> { }),
                this::unavailable);
    }

    /** An estimate: the entries this process appended or found, less those trimmed. */
    @Override
    public long size() {
        long total = 0;
        for (Stream stream : streams.values()) {
            total += stream.count.get();
        }
        return total;
    }

    @Override
    public String backend() {
        return config.backend();
    }

    @Override
    public boolean durable() {
        return true;
    }

    @Override
    public StoreHealth health() {
        StatefulRedisConnection<byte[], byte[]> conn = connection;
        if (conn == null) {
            return StoreHealth.down(link.description() + " is not connected");
        }
        return link.down().map(StoreHealth::down).orElse(StoreHealth.UP);
    }

    /** The configuration this store talks to. */
    public RedisConfig config() {
        return config;
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (trimTask != null) {
                trimTask.cancel(false);
            }
            // The connection is the link's: its owner closes it.
            connection = null;
            streams.clear();
        }
    }

    private StoreUnavailableException notConnected() {
        return new StoreUnavailableException(link.description() + " is not connected");
    }

    private StoreUnavailableException unavailable(Throwable error) {
        return StoreUnavailableException.of(link.description(), error);
    }

    /** What this process knows of one stream: its epoch and about how many entries it holds. */
    private static final class Stream {
        volatile String epoch;
        final AtomicLong count = new AtomicLong();

        void appended(String epoch, int max) {
            if (!epoch.equals(this.epoch)) {
                this.epoch = epoch;
                count.set(0);
            }
            count.updateAndGet(n -> Math.min(n + 1, max));
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    private static String sha1(String script) {
        return sha1(bytes(script));
    }

    private static String sha1(byte[] script) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-1").digest(script);
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
