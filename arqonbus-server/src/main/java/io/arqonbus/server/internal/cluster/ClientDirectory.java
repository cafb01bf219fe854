package io.arqonbus.server.internal.cluster;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.Timestamps;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's registry of connected clients and of nodes, and each node's inbox. Keys (under
 * the key prefix): {@code client:<id>} → {@code <node>|<tenant>}, set when a client connects,
 * refreshed by the node's heartbeat every {@link #HEARTBEAT} and expiring after {@link #TTL} (so a
 * dead node's clients vanish within it), removed when the client leaves; {@code node:<id>} → the
 * node's client count and last heartbeat (epoch ms), with the same expiry, and the set
 * {@code nodes} naming them. A private message for a client of another node is published once
 * to that node's inbox channel {@code inbox:<node>}, which delivers it to its local client.
 */
public final class ClientDirectory implements PrivateRelay, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClientDirectory.class);
    /** How often this node refreshes its clients' and its own entries. */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** How long an entry lives without a heartbeat. */
    public static final Duration TTL = Duration.ofSeconds(30);
    /** Deletes a client's entry only while it still names this node (the client may have moved). */
    private static final String FORGET = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0
            """;

    private final RedisLink link;
    private final String nodeId;
    private final String prefix;
    private final SessionRegistry sessions;
    private final Hub hub;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private volatile StatefulRedisConnection<String, String> redis;
    private volatile StatefulRedisPubSubConnection<String, String> inbox;
    private volatile ScheduledFuture<?> heartbeat;
    private volatile boolean closed;

    public ClientDirectory(RedisLink link, String nodeId, SessionRegistry sessions, Hub hub, EnvelopeCodec codec,
            Clock clock) {
        this.link = link;
        this.nodeId = nodeId;
        this.prefix = link.config().keyPrefix();
        this.sessions = sessions;
        this.hub = hub;
        this.codec = codec;
        this.clock = clock;
    }

    /** Connects, subscribes this node's inbox and starts the heartbeat. Blocks; call once, before traffic. */
    public ClientDirectory start() {
        long timeout = link.config().commandTimeout().toMillis();
        try {
            redis = link.connection("arqonbus-cluster-directory", StringCodec.UTF8).get(timeout, TimeUnit.MILLISECONDS);
            StatefulRedisPubSubConnection<String, String> sub = link
                    .pubSubConnection("arqonbus-cluster-inbox", StringCodec.UTF8).get(timeout, TimeUnit.MILLISECONDS);
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    delivered(message);
                }
            });
            sub.sync().subscribe(inboxOf(nodeId));
            inbox = sub;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("could not join the cluster's client registry", e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new IllegalStateException("could not join the cluster's client registry at "
                    + link.description() + ": " + Failures.unwrap(e).getMessage(), e);
        }
        beat();
        long period = HEARTBEAT.toMillis();
        heartbeat = link.executor().scheduleWithFixedDelay(this::beat, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /**
     * A client connected to this node: it is reachable from every node once the returned stage
     * completes (the welcome waits for it, so whoever learns the client's id can reach it). Never
     * fails: when Redis does not answer within the command timeout the client is welcomed
     * anyway, and the next heartbeat enters it.
     */
    public CompletableFuture<Void> connected(Session session) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed) {
            return CompletableFuture.completedFuture(null);
        }
        return conn.async().set(clientKey(session.clientId()), entry(session), SetArgs.Builder.px(TTL.toMillis()))
                .toCompletableFuture()
                .orTimeout(link.config().commandTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error != null) {
                        log.atWarn()
                                .addKeyValue("event", "cluster_register_failed")
                                .addKeyValue("code", "STORAGE_UNAVAILABLE")
                                .addKeyValue("client", session.clientId())
                                .addKeyValue("msg", String.valueOf(Failures.unwrap(error).getMessage()))
                                .log("cluster_register_failed");
                    }
                    return null;
                });
    }

    /** A client of this node took another id: the new one is reachable, the former one no longer. */
    public void renamed(Session session, String former) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn != null && !closed) {
            conn.async().set(clientKey(session.clientId()), entry(session), SetArgs.Builder.px(TTL.toMillis()));
            conn.async().eval(FORGET, io.lettuce.core.ScriptOutputType.INTEGER, new String[] {clientKey(former)},
                    entry(session));
        }
    }

    /** A client left this node. */
    public void disconnected(Session session) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn != null && !closed) {
            conn.async().eval(FORGET, io.lettuce.core.ScriptOutputType.INTEGER,
                    new String[] {clientKey(session.clientId())}, entry(session));
        }
    }

    @Override
    public CompletableFuture<List<String>> relay(Session sender, Envelope stamped, List<String> targetIds) {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed) {
            return CompletableFuture.completedFuture(targetIds);
        }
        String[] keys = targetIds.stream().map(this::clientKey).toArray(String[]::new);
        String tenant = tenantOf(sender);
        return conn.async().mget(keys).toCompletableFuture().thenCompose(found -> {
            Map<String, List<String>> byNode = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            for (int i = 0; i < targetIds.size(); i++) {
                KeyValue<String, String> value = found.get(i);
                String[] entry = value.hasValue() ? value.getValue().split("\\|", 2) : null;
                if (entry == null || entry.length < 2 || entry[0].equals(nodeId) || !entry[1].equals(tenant)) {
                    missing.add(targetIds.get(i));
                } else {
                    byNode.computeIfAbsent(entry[0], n -> new ArrayList<>()).add(targetIds.get(i));
                }
            }
            String json = new String(codec.encodeToBytes(stamped), StandardCharsets.UTF_8);
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (Map.Entry<String, List<String>> node : byNode.entrySet()) {
                String message = tenant + "\n" + String.join("\t", node.getValue()) + "\n" + json;
                sent.add(conn.async().publish(inboxOf(node.getKey()), message).toCompletableFuture()
                        .handle((receivers, error) -> {
                            if (error != null || receivers == 0) {
                                synchronized (missing) {
                                    missing.addAll(node.getValue());
                                }
                            }
                            return null;
                        }));
            }
            return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).thenApply(v -> {
                List<String> ordered = new ArrayList<>();
                for (String id : targetIds) {
                    if (missing.contains(id)) {
                        ordered.add(id);
                    }
                }
                return ordered;
            });
        }).exceptionally(error -> targetIds);
    }

    /** A private message from another node: {@code tenant\nid\tid…\njson}. */
    private void delivered(String message) {
        int first = message.indexOf('\n');
        int second = first < 0 ? -1 : message.indexOf('\n', first + 1);
        if (second < 0) {
            return;
        }
        String tenant = message.substring(0, first);
        List<Session> targets = new ArrayList<>();
        for (String id : message.substring(first + 1, second).split("\t")) {
            Session target = sessions.find(id);
            if (target != null && target.isOpen() && tenantOf(target).equals(tenant)) {
                targets.add(target);
            }
        }
        if (!targets.isEmpty()) {
            Envelope envelope = codec.decodeStored(message.substring(second + 1).getBytes(StandardCharsets.UTF_8));
            hub.sendTo(targets, envelope);
        }
    }

    /** Refreshes every local client's entry and this node's, pipelined. */
    private void beat() {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null || closed || !conn.isOpen()) {
            return;
        }
        SetArgs ttl = SetArgs.Builder.px(TTL.toMillis());
        int count = 0;
        for (Session session : sessions.all()) {
            if (session.isOpen()) {
                conn.async().set(clientKey(session.clientId()), entry(session), ttl);
                count++;
            }
        }
        conn.async().set(prefix + "node:" + nodeId, count + "|" + clock.millis(), ttl);
        conn.async().sadd(prefix + "nodes", nodeId);
    }

    /** The nodes whose heartbeat has not expired: id → {@code <clients>|<last heartbeat ms>}. */
    public CompletableFuture<Map<String, String>> nodes() {
        StatefulRedisConnection<String, String> conn = redis;
        if (conn == null) {
            return CompletableFuture.completedFuture(Map.of());
        }
        return conn.async().smembers(prefix + "nodes").toCompletableFuture().thenCompose(ids -> {
            List<String> ordered = ids.stream().sorted().toList();
            if (ordered.isEmpty()) {
                return CompletableFuture.completedFuture(Map.<String, String>of());
            }
            return conn.async().mget(ordered.stream().map(id -> prefix + "node:" + id).toArray(String[]::new))
                    .toCompletableFuture().thenApply(values -> {
                        Map<String, String> out = new LinkedHashMap<>();
                        for (int i = 0; i < ordered.size(); i++) {
                            if (values.get(i).hasValue()) {
                                out.put(ordered.get(i), values.get(i).getValue());
                            }
                        }
                        return out;
                    });
        });
    }

    /** This node's id and the live nodes, as {@code /status} shows them. */
    public CompletableFuture<ObjectNode> describe() {
        return nodes().thenApply(found -> {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.put("node", nodeId);
            ArrayNode list = out.putArray("nodes");
            for (Map.Entry<String, String> node : found.entrySet()) {
                String[] value = node.getValue().split("\\|", 2);
                ObjectNode item = list.addObject();
                item.put("node", node.getKey());
                item.put("clients", Long.parseLong(value[0]));
                item.put("last_heartbeat", Timestamps.format(java.time.Instant.ofEpochMilli(Long.parseLong(value[1]))));
            }
            return out;
        });
    }

    /** Leaves the registry: this node's entry and its clients' are removed; the inbox is closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        ScheduledFuture<?> task = heartbeat;
        if (task != null) {
            task.cancel(false);
        }
        StatefulRedisConnection<String, String> conn = redis;
        if (conn != null && conn.isOpen()) {
            try {
                for (Session session : sessions.all()) {
                    disconnected(session);
                }
                conn.async().del(prefix + "node:" + nodeId).get(link.config().commandTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
                conn.async().srem(prefix + "nodes", nodeId);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RuntimeException e) {
                log.atDebug()
                        .addKeyValue("event", "cluster_leave_failed")
                        .addKeyValue("node", nodeId)
                        .addKeyValue("msg", e.getMessage())
                        .log("cluster_leave_failed");
            }
        }
        closed = true;
    }

    private String entry(Session session) {
        return nodeId + "|" + tenantOf(session);
    }

    private static String tenantOf(Session session) {
        return Objects.requireNonNullElse(session.principal().tenantId(), "");
    }

    private String clientKey(String clientId) {
        return prefix + "client:" + clientId;
    }

    private String inboxOf(String node) {
        return prefix + "inbox:" + node;
    }
}
