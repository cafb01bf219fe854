package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.protocol.StreamPosition;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.history.RedisKeys;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.hub.Broker;
import io.arqonbus.server.internal.hub.BrokerEventHandler;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.SequencedPublication;
import io.arqonbus.server.internal.hub.SequencingOutcome;
import io.arqonbus.server.internal.hub.UnpositionedPublication;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.internal.session.Session;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker of a node of a cluster on Redis. The node that accepts a publication sequences it
 * with one script ({@link ClusterScripts#SEQUENCE}: idempotency check, next offset, {@code XADD}
 * to the stream, {@code PUBLISH} to the nodes) — one Redis round trip per publication, whatever
 * the number of nodes or members. Every node subscribed to the stream's publish/subscribe channel
 * (this one included) receives it, in offset order, and its {@link StreamFeed} hands it to the
 * local fan-out, encoded once per node; a gap in the offsets is filled from the stream first.
 *
 * <p>A node subscribes a stream when the hub says so — while the stream has local members, with
 * a linger (docs/cluster.md) — and unsubscribes when the hub says so; each subscription starts a
 * new {@link StreamFeed}, which adopts the stream's head as it is then (what was published while
 * the node was not subscribed is history, not a gap). On subscribing, and every {@link #SWEEP_INTERVAL} after, it
 * reads the stream's head, so a publication whose message was lost (a Redis blip) is filled even
 * when nothing follows it. The connection that published a publication is known by the message's
 * header (node id and a sequence number of this node), so it does not receive it back.
 *
 * <p>While Redis cannot be reached, {@link #sequence} fails with {@link StoreUnavailableException}
 * at once (commands are refused while disconnected), and a publication that need not be stored is
 * delivered to this node's members only, without a position. Lettuce reconnects and resubscribes
 * by itself; the next sweep fills what was missed.
 */
public final class RedisBroker implements Broker {
    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    /** How often each subscribed stream's head is read. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);
    /** How many sweeps a sender waits for its message to come back before it is forgotten (30 s). */
    static final int SENDERS_KEPT_SWEEPS = 30;

    private final RedisLink link;
    private final String nodeId;
    private final int maxPerStream;
    private final StreamFeed.GapReader reader;
    private final FrameEncoder encoder;
    private final EnvelopeCodec codec;
    private final ClusterMetrics metrics;
    private final RedisKeys keys;
    private final ClusterKeys names;
    private final SequenceScript script;
    private final StreamHeads heads;
    private final AtomicLong sequence = new AtomicLong();
    /** The senders of this node's publications whose message has not come back yet, by sequence number. */
    private final SendersInFlight<Session> inFlight = new SendersInFlight<>(SENDERS_KEPT_SWEEPS);
    private final OwnPublications own = new OwnPublications(inFlight, SENDERS_KEPT_SWEEPS);
    /**
     * This node's publications sequenced while it was not subscribed to their stream, by sequence
     * number: the hub told the listeners of accepted publications of them already, so should the
     * message come back (the stream was subscribed meanwhile) it is not this node's to tell again.
     */
    private final SendersInFlight<Boolean> unheard = new SendersInFlight<>(SENDERS_KEPT_SWEEPS);
    /** The subscribed streams by their publish/subscribe channel. */
    private final ConcurrentHashMap<String, StreamFeed> feeds = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<byte[], byte[]> commands;
    private volatile StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
    private volatile ScheduledFuture<?> sweep;
    private volatile boolean closed;

    /**
     * @param link         the connection to the cluster's Redis; closed by its owner
     * @param nodeId       this node's id, in every message it publishes
     * @param maxPerStream entries kept per stream
     * @param history      the history store on the same Redis, read to fill gaps
     * @param registry     where the cluster's meters are registered
     */
    public RedisBroker(RedisLink link, String nodeId, int maxPerStream, HistoryStore history,
            FrameEncoder encoder, EnvelopeCodec codec, io.micrometer.core.instrument.MeterRegistry registry) {
        this.link = link;
        this.nodeId = nodeId;
        this.maxPerStream = maxPerStream;
        this.reader = (key, after, limit) -> history.read(key, after, limit, false);
        this.encoder = encoder;
        this.codec = codec;
        this.metrics = new ClusterMetrics(registry, nodeId);
        this.keys = new RedisKeys(link.config().keyPrefix());
        this.names = new ClusterKeys(link.config().keyPrefix());
        this.heads = new StreamHeads(keys);
        this.script = new SequenceScript(keys, names, maxPerStream, metrics, link.description());
    }

    /**
     * Connects to Redis (a command connection and a publish/subscribe one) and loads the script.
     * Blocks, at most the command timeout per step; call once, before traffic.
     *
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public RedisBroker start() {
        long timeout = link.config().commandTimeout().toMillis();
        try {
            commands = link.connection("arqonbus-cluster", ByteArrayCodec.INSTANCE).get(timeout, TimeUnit.MILLISECONDS);
            commands.sync().scriptLoad(ClusterScripts.SEQUENCE);
            StatefulRedisPubSubConnection<byte[], byte[]> subscriber = link
                    .pubSubConnection("arqonbus-cluster-feed", ByteArrayCodec.INSTANCE)
                    .get(timeout, TimeUnit.MILLISECONDS);
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(byte[] channel, byte[] message) {
                    received(channel, message);
                }
            });
            pubSub = subscriber;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreUnavailableException.of(link.description(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw StoreUnavailableException.of(link.description(), e);
        }
        long period = SWEEP_INTERVAL.toMillis();
        sweep = link.executor().scheduleWithFixedDelay(this::sweepHeads, period, period, TimeUnit.MILLISECONDS);
        log.atInfo()
                .addKeyValue("event", "cluster_joined")
                .addKeyValue("node", nodeId)
                .addKeyValue("redis", link.config().display())
                .log("cluster_joined");
        return this;
    }

    /** This node's id. */
    public String nodeId() {
        return nodeId;
    }

    /** Publications received from the cluster and handed to local fan-out. */
    public long receivedTotal() {
        return metrics.receivedTotal();
    }

    /** Publications read from a stream to fill a gap. */
    public long gapsFilledTotal() {
        return metrics.gapsFilledTotal();
    }

    /** Whether this node's subscription to the stream is confirmed (for tests and status). */
    boolean isSubscribed(ChannelKey stream) {
        StreamFeed feed = feeds.get(names.channel(stream));
        return feed != null && feed.isSubscribed();
    }

    @Override
    public void subscribe(ChannelKey stream, BrokerEventHandler handler) {
        if (closed) {
            return;
        }
        String channel = names.channel(stream);
        StreamFeed feed = new StreamFeed(stream, handler, reader, encoder, codec, metrics, own);
        StreamFeed old = feeds.put(channel, feed);
        if (old != null) {
            old.close();
        }
        StatefulRedisPubSubConnection<byte[], byte[]> subscriber = pubSub;
        if (subscriber == null) {
            return;
        }
        subscriber.async().subscribe(bytes(channel)).toCompletableFuture()
                .whenComplete((v, error) -> {
                    if (error != null) {
                        log.atWarn()
                                .addKeyValue("event", "cluster_subscribe_failed")
                                .addKeyValue("stream", stream)
                                .addKeyValue("msg", Failures.unwrap(error).getMessage())
                                .log("cluster_subscribe_failed");
                    } else {
                        readHead(feed);
                    }
                    feed.subscribed();
                });
    }

    @Override
    public void unsubscribe(ChannelKey stream) {
        String channel = names.channel(stream);
        StreamFeed feed = feeds.remove(channel);
        if (feed != null) {
            feed.close();
        }
        StatefulRedisPubSubConnection<byte[], byte[]> subscriber = pubSub;
        if (subscriber != null && !closed) {
            subscriber.async().unsubscribe(bytes(channel));
        }
    }

    /** Sends a publication sequenced elsewhere to every node subscribed to the stream, without storing it. */
    @Override
    public void publish(ChannelKey stream, StreamPosition position, SequencedPublication publication) {
        byte[] json;
        try {
            if (closed || commands == null) {
                return;
            }
            json = ByteBufUtil.getBytes(FrameEncoder.jsonOf(publication.frame()));
        } finally {
            publication.frame().release();
        }
        long seq = track(publication.sender());
        byte[] message = ClusterMessage.encode(nodeId, seq, position, json);
        StatefulRedisConnection<byte[], byte[]> conn = commands;
        afterSubscribed(stream, () -> conn.async().publish(bytes(names.channel(stream)), message).toCompletableFuture()
                .whenComplete((n, error) -> {
                    if (error != null) {
                        inFlight.remove(seq);
                    }
                }));
    }

    /** Runs {@code send} once this node's subscription to the stream is confirmed (at once when it has none). */
    private void afterSubscribed(ChannelKey stream, Runnable send) {
        StreamFeed feed = feeds.get(names.channel(stream));
        if (feed == null) {
            send.run();
        } else {
            feed.afterSubscribed(send);
        }
    }

    @Override
    public boolean sequences() {
        return true;
    }

    @Override
    public CompletableFuture<SequencingOutcome> sequence(ChannelKey stream, UnpositionedPublication publication) {
        StatefulRedisConnection<byte[], byte[]> conn = commands;
        if (closed || conn == null) {
            return CompletableFuture.failedFuture(new StoreUnavailableException(link.description() + " is not connected"));
        }
        long seq = track(publication.sender());
        own.accepted(publication.envelope().id(), seq);
        CompletableFuture<SequencingOutcome> result = new CompletableFuture<>();
        String channel = names.channel(stream);
        afterSubscribed(stream, () -> {
            // Not subscribed (no local member): the message will not come back; the outcome says so.
            boolean heard = feeds.containsKey(channel);
            if (!heard) {
                unheard.put(seq, Boolean.TRUE);
                own.forget(publication.envelope().id());
            }
            sequenceNow(conn, stream, publication, seq, heard, result);
        });
        return result;
    }

    private void sequenceNow(StatefulRedisConnection<byte[], byte[]> conn, ChannelKey stream,
            UnpositionedPublication publication, long seq, boolean heard, CompletableFuture<SequencingOutcome> result) {
        script.run(conn, stream, publication, nodeId + "|" + seq).whenComplete((done, error) -> {
            if (done != null && done.duplicate()) {
                inFlight.remove(seq);
            }
            if (error != null) {
                inFlight.remove(seq);
                if (!publication.mustStore()) {
                    deliverHere(stream, publication);
                }
                result.completeExceptionally(error);
            } else {
                result.complete(heard ? done : new SequencingOutcome(done.position(), done.duplicate(), false));
            }
        });
    }

    /** A publication Redis could not take, delivered to this node's members only, without a position. */
    private void deliverHere(ChannelKey stream, UnpositionedPublication publication) {
        StreamFeed feed = feeds.get(names.channel(stream));
        if (feed != null && !closed) {
            feed.offer(new Incoming(0, "", encoder.json(publication.envelope()), publication.sender(), true));
        }
    }

    private long track(Session sender) {
        long seq = sequence.incrementAndGet();
        if (sender != null) {
            inFlight.put(seq, sender);
        }
        return seq;
    }

    /** A message from the nodes' channel ({@link ClusterMessage}). */
    private void received(byte[] channel, byte[] bytes) {
        StreamFeed feed = feeds.get(new String(channel, StandardCharsets.UTF_8));
        ClusterMessage message;
        try {
            message = ClusterMessage.parse(bytes);
        } catch (NumberFormatException e) {
            log.atWarn()
                    .addKeyValue("event", "cluster_message_invalid")
                    .addKeyValue("channel", new String(channel, StandardCharsets.UTF_8))
                    .addKeyValue("msg", e.getMessage())
                    .log("cluster_message_invalid");
            return;
        }
        if (message == null) {
            return;
        }
        boolean here = message.node().equals(nodeId);
        Session sender = here ? inFlight.remove(message.seq()) : null;
        if (here && unheard.remove(message.seq()) != null) {
            here = false; // told by the hub when it was sequenced (this node was not subscribed then)
        }
        if (feed == null || closed) {
            return;
        }
        feed.offer(new Incoming(message.offset(), message.epoch(), message.json(), sender, here));
    }

    private void readHead(StreamFeed feed) {
        StatefulRedisConnection<byte[], byte[]> conn = commands;
        if (conn == null || closed) {
            return;
        }
        heads.read(conn, feed.key()).whenComplete((head, error) -> {
            if (error == null) {
                feed.head(head);
            }
        });
    }

    /** Reads every subscribed stream's head (pipelined), filling what the publish/subscribe channel lost. */
    private void sweepHeads() {
        StatefulRedisConnection<byte[], byte[]> conn = commands;
        inFlight.sweep(sequence.get());
        own.sweep(sequence.get());
        unheard.sweep(sequence.get());
        if (conn == null || !conn.isOpen() || closed) {
            return;
        }
        for (StreamFeed feed : feeds.values()) {
            try {
                readHead(feed);
            } catch (RuntimeException e) {
                // Never ends the periodic sweep (a task that throws is not run again).
                log.atDebug().addKeyValue("event", "cluster_head_read_failed").addKeyValue("stream", feed.key())
                        .addKeyValue("msg", e.getMessage()).log("cluster_head_read_failed");
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ScheduledFuture<?> task = sweep;
        if (task != null) {
            try {
                task.cancel(false);
            } catch (java.util.concurrent.RejectedExecutionException loopGone) {
                // The sweep's event loop has already terminated: the task can never run again.
            }
        }
        for (StreamFeed feed : feeds.values()) {
            feed.close();
        }
        feeds.clear();
        inFlight.clear();
        own.clear();
        unheard.clear();
        // The connections are the link's: its owner closes them.
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
