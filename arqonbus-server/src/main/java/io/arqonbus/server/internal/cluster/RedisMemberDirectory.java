package io.arqonbus.server.internal.cluster;

import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.InProcessMemberDirectory;
import io.arqonbus.server.internal.hub.MemberDirectory;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.internal.session.Session;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
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
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The members of every node of a cluster, in its Redis ({@link PresenceScripts} names the keys):
 * each node writes its own members of each channel into a hash of its own, which its heartbeat
 * (every third of the presence TTL, at most every {@link #MAX_HEARTBEAT}) rewrites and keeps alive;
 * a node that dies stops refreshing, so its members vanish within the TTL. A join or a leave is one
 * script (write, count, publish the notice to the other nodes with members); a count or a member
 * list is one script per command; nothing runs on the publication path.
 *
 * <p>Notices (join, leave, typing) reach another node through its channel {@code notices:<node>},
 * published only to the nodes with members of the channel; the receiving node hands them to its
 * local members. When Redis cannot be asked within the command timeout, every answer falls back to
 * this node's own members (logged), and the next heartbeat writes them again.
 */
public final class RedisMemberDirectory implements MemberDirectory, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RedisMemberDirectory.class);
    /** The longest time between two heartbeats, whatever the TTL. */
    public static final Duration MAX_HEARTBEAT = Duration.ofSeconds(5);

    private final RedisLink link;
    private final String nodeId;
    private final String prefix;
    private final Duration ttl;
    private final Hub hub;
    private final InProcessMemberDirectory local;
    private final EnvelopeCodec codec;
    private final PresenceEntries entries;
    private final Clock clock;
    /** This node's members per channel (client id → entry), changed and written under the map's lock for the key. */
    private final ConcurrentHashMap<ChannelKey, Map<String, String>> mine = new ConcurrentHashMap<>();
    private volatile StatefulRedisConnection<String, String> redis;
    private volatile StatefulRedisPubSubConnection<String, String> notices;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    public RedisMemberDirectory(RedisLink link, String nodeId, Duration ttl, Hub hub, EnvelopeCodec codec,
            Clock clock) {
        this.link = link;
        this.nodeId = nodeId;
        this.prefix = link.config().keyPrefix();
        this.ttl = ttl;
        this.hub = hub;
        this.local = new InProcessMemberDirectory(hub);
        this.codec = codec;
        this.entries = new PresenceEntries(codec.mapper());
        this.clock = clock;
    }

    /** Connects, subscribes this node's notices and starts the heartbeat. Blocks; call once, before traffic. */
    public RedisMemberDirectory start() {
        long timeout = link.config().commandTimeout().toMillis();
        try {
            redis = link.connection("arqonbus-cluster-presence", StringCodec.UTF8).get(timeout, TimeUnit.MILLISECONDS);
            StatefulRedisPubSubConnection<String, String> sub = link
                    .pubSubConnection("arqonbus-cluster-notices", StringCodec.UTF8)
                    .get(timeout, TimeUnit.MILLISECONDS);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received(message);
                }
            });
            sub.sync().subscribe(noticesOf(nodeId));
            notices = sub;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("could not join the cluster's presence", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new IllegalStateException("could not join the cluster's presence at " + link.description() + ": "
                    + Failures.unwrap(e).getMessage(), e);
        }
        long period = heartbeatPeriod(ttl).toMillis();
        heartbeat = link.executor().scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** How often a node refreshes its entries for a TTL: a third of it, at most {@link #MAX_HEARTBEAT}. */
    static Duration heartbeatPeriod(Duration ttl) {
        Duration third = ttl.dividedBy(3);
        return third.compareTo(MAX_HEARTBEAT) > 0 ? MAX_HEARTBEAT : third;
    }

    @Override
    public CompletableFuture<Integer> joined(ChannelKey key, Member member, int localCount,
            IntFunction<Envelope> notice) {
        return change("join", key, member, localCount, notice);
    }

    @Override
    public CompletableFuture<Integer> left(ChannelKey key, Member member, int localCount,
            IntFunction<Envelope> notice) {
        return change("leave", key, member, localCount, notice);
    }

    @Override
    public void relay(ChannelKey key, Envelope notice) {
        change("relay", key, null, 0, n -> notice);
    }

    /** Runs {@link PresenceScripts#CHANGE}, the local change and its dispatch under the key's lock. */
    private CompletableFuture<Integer> change(String op, ChannelKey key, Member member, int localCount,
            IntFunction<Envelope> notice) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed) {
            return CompletableFuture.completedFuture(localCount);
        }
        String entry = member == null ? "" : entries.entry(member);
        // While Redis is known to be down, answer at once with this node's figures (the heartbeat
        // writes this node's members again once it is back) rather than wait for the command timeout.
        boolean up = link.down().isEmpty();
        String text = notice == null || !up ? ""
                : new String(codec.encodeToBytes(notice.apply(-1)), StandardCharsets.UTF_8);
        List<CompletableFuture<Long>> sent = new ArrayList<>(1);
        mine.compute(key, (k, members) -> {
            Map<String, String> now = members == null ? new HashMap<>() : members;
            if (op.equals("join")) {
                now.put(member.clientId(), entry);
            } else if (op.equals("leave")) {
                now.remove(member.clientId());
            }
            if (!up) {
                return now.isEmpty() ? null : now;
            }
            sent.add(conn.async().<Long>eval(PresenceScripts.CHANGE, ScriptOutputType.INTEGER,
                    new String[] {roomIndex(k.room()), hash(k, nodeId)}, op, Long.toString(clock.millis()),
                    Long.toString(ttl.toMillis()), k.channel(), nodeId, channelPrefix(k), prefix + "notices:", text,
                    member == null ? "" : member.clientId(), entry).toCompletableFuture());
            return now.isEmpty() ? null : now;
        });
        if (sent.isEmpty()) {
            return CompletableFuture.completedFuture(localCount);
        }
        return sent.get(0).orTimeout(link.config().commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((count, error) -> {
                    if (error == null) {
                        return count.intValue();
                    }
                    failed("cluster_presence_write_failed", key, error);
                    return localCount;
                });
    }

    @Override
    public CompletableFuture<Integer> count(ChannelKey key, int localCount) {
        return query(key.room(), key.channel(), "count")
                .thenApply(answer -> PresenceEntries.counts(answer).getOrDefault(key.channel(), 0))
                .exceptionally(error -> {
                    failed("cluster_presence_read_failed", key, error);
                    return localCount;
                });
    }

    @Override
    public CompletableFuture<Map<String, Integer>> counts(String room) {
        return query(room, null, "count").thenApply(PresenceEntries::counts).exceptionally(error -> {
            failed("cluster_presence_read_failed", ChannelKey.roomWide(room), error);
            return local.localCounts(room);
        });
    }

    @Override
    public CompletableFuture<Map<String, List<Member>>> members(String room, String channel) {
        return query(room, channel, "list").thenApply(entries::members).exceptionally(error -> {
            failed("cluster_presence_read_failed", channel == null ? ChannelKey.roomWide(room)
                    : ChannelKey.of(room, channel), error);
            return local.localMembers(room, channel);
        });
    }

    private CompletableFuture<List<Object>> query(String room, String channel, String mode) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the cluster's presence is closed"));
        }
        java.util.Optional<String> down = link.down();
        if (down.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalStateException(down.get()));
        }
        return conn.async().<List<Object>>eval(PresenceScripts.QUERY, ScriptOutputType.MULTI,
                        new String[] {roomIndex(room)}, Long.toString(clock.millis()), prefix + "presence:{" + room + "}:",
                        channel == null ? "" : channel, mode)
                .toCompletableFuture().orTimeout(link.config().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A client of this node took another id: its entries move to the new one. Call on its loop. */
    public void renamed(Session session, String former) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed) {
            return;
        }
        for (ChannelKey key : session.membershipSnapshot()) {
            Instant joinedAt = hub.joinedAt(session, key);
            if (joinedAt == null) {
                continue;
            }
            String entry = entries.entry(Member.of(session, joinedAt));
            mine.computeIfPresent(key, (k, members) -> {
                members.remove(former);
                members.put(session.clientId(), entry);
                RedisAsyncCommands<String, String> async = conn.async();
                async.hdel(hash(k, nodeId), former);
                async.hset(hash(k, nodeId), session.clientId(), entry);
                return members;
            });
        }
    }

    /**
     * Rewrites this node's entries and keeps them alive for another TTL, pipelined; each channel's
     * commands are sent under its lock, so they never cross a join's or a leave's.
     */
    private void beat() {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed || !conn.isOpen()) {
            return;
        }
        long now = clock.millis();
        String expiry = Long.toString(now + ttl.toMillis());
        for (ChannelKey key : List.copyOf(mine.keySet())) {
            mine.computeIfPresent(key, (k, members) -> {
                RedisAsyncCommands<String, String> async = conn.async();
                String hash = hash(k, nodeId);
                String index = roomIndex(k.room());
                // Rewritten whole (members that left while Redis was away go) and swapped in at once.
                String fresh = hash + ":refresh";
                async.hset(fresh, Map.copyOf(members));
                async.rename(fresh, hash);
                async.pexpire(hash, ttl.toMillis());
                async.zadd(index, Double.parseDouble(expiry), k.channel() + "\t" + nodeId);
                async.pexpire(index, ttl.toMillis());
                async.zremrangebyscore(index, io.lettuce.core.Range.create(Double.NEGATIVE_INFINITY, (double) now));
                return members;
            });
        }
    }

    /** A notice from another node: to this node's members of its channel. */
    private void received(String message) {
        try {
            Envelope envelope = codec.decodeStored(message.getBytes(StandardCharsets.UTF_8));
            if (envelope.room() != null && envelope.channel() != null) {
                hub.send(ChannelKey.of(envelope.room(), envelope.channel()), envelope, null);
            }
        } catch (RuntimeException e) {
            log.atWarn()
                    .addKeyValue("event", "cluster_notice_undecodable")
                    .addKeyValue("code", "VALIDATION_ERROR")
                    .addKeyValue("msg", e.getMessage())
                    .log("cluster_notice_undecodable");
        }
    }

    /**
     * Stops refreshing and drops the connections without removing this node's entries, as a node
     * that dies does: its members vanish from the cluster's presence within the TTL.
     */
    public void halt() {
        closed = true;
        ScheduledFuture<?> task = heartbeat;
        if (task != null) {
            task.cancel(false);
        }
        StatefulRedisPubSubConnection<String, String> sub = notices;
        if (sub != null) {
            sub.async().unsubscribe(noticesOf(nodeId));
        }
    }

    /** Leaves the cluster's presence: this node's entries are removed; the notices are unsubscribed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        halt();
        StatefulRedisConnection<String, String> conn = redis;
        if (conn != null && conn.isOpen()) {
            try {
                CompletableFuture<?> last = CompletableFuture.completedFuture(null);
                for (ChannelKey key : List.copyOf(mine.keySet())) {
                    conn.async().zrem(roomIndex(key.room()), key.channel() + "\t" + nodeId);
                    last = conn.async().del(hash(key, nodeId)).toCompletableFuture();
                }
                last.get(link.config().commandTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                log.atDebug()
                        .addKeyValue("event", "cluster_presence_leave_failed")
                        .addKeyValue("node", nodeId)
                        .addKeyValue("msg", e.getMessage())
                        .log("cluster_presence_leave_failed");
            }
        }
        mine.clear();
    }

    private void failed(String event, ChannelKey key, Throwable error) {
        log.atWarn()
                .addKeyValue("event", event)
                .addKeyValue("code", "STORAGE_UNAVAILABLE")
                .addKeyValue("stream", key)
                .addKeyValue("msg", String.valueOf(Failures.unwrap(error).getMessage()))
                .log(event);
    }

    private String roomIndex(String room) {
        return prefix + "presence:{" + room + "}";
    }

    private String channelPrefix(ChannelKey key) {
        return prefix + "presence:{" + key.room() + "}:" + key.channel() + ":";
    }

    private String hash(ChannelKey key, String node) {
        return channelPrefix(key) + node;
    }

    private String noticesOf(String node) {
        return prefix + "notices:" + node;
    }
}
