package io.arqonbus.server.internal.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.casil.CasilPolicy;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.cron.CronJobChanges;
import io.arqonbus.server.internal.cron.CronScheduler;
import io.arqonbus.server.internal.history.StoreUnavailableException;
import io.arqonbus.server.internal.hub.ChannelChanges;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.inspect.CasilCommands;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.internal.webhook.WebhookRuleChanges;
import io.arqonbus.server.internal.webhook.Webhooks;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's control plane: the channels clients and the HTTP API create and delete (with a
 * private channel's list), the CASIL policy reloaded at run time and the webhook rules registered
 * at run time, shared by every node (docs/cluster.md, "Control plane").
 *
 * <p>The state lives in Redis under the key prefix: the hashes {@code {control}:channels} and
 * {@code {control}:webhooks}, the string {@code {control}:casil} and the counter
 * {@code {control}:version}. A node that makes a change here runs one script ({@link #CHANGE})
 * that writes the state, increments the version and publishes the change with its version on the
 * channel {@code control}, in one step, so the versions order every change of the cluster. Each
 * node applies the changes of the other nodes in version order, on one thread; a change is
 * idempotent (a channel that exists is not made again, a missing one is not deleted). A node that
 * sees a version past the next one (a message lost, a reconnect), or whose periodic check
 * ({@link #CHECK_INTERVAL}) finds another version in Redis, reads the whole state ({@link #STATE},
 * one step) and applies it; so does a node that starts. A state whose version went back (Redis lost
 * its data) only adds: nothing is deleted because it is missing.
 *
 * <p>A change made while Redis cannot be reached takes effect on its node only (logged as
 * {@code control_change_failed}).
 */
public final class ClusterControl implements ChannelChanges, WebhookRuleChanges, CronJobChanges, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterControl.class);
    /** How often a node compares its version with the cluster's. */
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);
    /** Writes one change, increments the version and publishes the change with it. */
    static final String CHANGE = """
            if ARGV[1] == 'hset' then redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
            elseif ARGV[1] == 'hdel' then redis.call('HDEL', KEYS[1], ARGV[2])
            else redis.call('SET', KEYS[1], ARGV[3]) end
            local v = redis.call('INCR', KEYS[2])
            redis.call('PUBLISH', ARGV[4], v .. '|' .. ARGV[5] .. '|' .. ARGV[6] .. '|' .. ARGV[2] .. '\\n' .. ARGV[3])
            return v
            """;
    /** Reads the whole state and its version in one step. */
    static final String STATE = """
            return {redis.call('GET', KEYS[1]) or '0', redis.call('HGETALL', KEYS[2]),
                    redis.call('HGETALL', KEYS[3]), redis.call('GET', KEYS[4]) or '', redis.call('HGETALL', KEYS[5])}
            """;
    static final String CHANNEL_CREATED = "channel_created";
    static final String CHANNEL_DELETED = "channel_deleted";
    static final String WEBHOOK_REGISTERED = "webhook_registered";
    static final String WEBHOOK_UNREGISTERED = "webhook_unregistered";
    static final String CASIL_RELOADED = "casil_reloaded";
    static final String CRON_SCHEDULED = "cron_scheduled";
    static final String CRON_CANCELLED = "cron_cancelled";
    /** A durable job made its last run: its entry leaves the state; every node finishes it by itself. */
    static final String CRON_FINISHED = "cron_finished";

    private final RedisLink link;
    private final String nodeId;
    private final Hub hub;
    private final CasilPolicyHolder casil;
    private final Webhooks webhooks;
    private final ObjectMapper mapper;
    private final String versionKey;
    private final String channelsKey;
    private final String webhooksKey;
    private final String casilKey;
    private final String cronKey;
    private final CronScheduler cron;
    private final String feedChannel;
    private final RuleSweep sweep;
    /** Where every change from Redis is applied, one at a time, in order. */
    private final EventExecutor worker;
    private final ControlApplier applier;
    private final ArrayDeque<ControlChange> held = new ArrayDeque<>();
    // Touched on the worker only.
    private long applied = -1;
    private boolean loading;
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> feed;
    private volatile ScheduledFuture<?> check;
    private volatile boolean closed;
    /** Why Redis was last found unreachable (a change or a check failed), or {@code null} once it answered again. */
    private volatile String unreachable;

    public ClusterControl(RedisLink link, String nodeId, Hub hub, CasilPolicyHolder casil, Webhooks webhooks,
            CronScheduler cron, ObjectMapper mapper) {
        this.cron = cron;
        this.link = link;
        this.nodeId = nodeId;
        this.hub = hub;
        this.casil = casil;
        this.webhooks = webhooks;
        this.mapper = mapper;
        this.applier = new ControlApplier(hub, casil, webhooks, cron, mapper);
        String prefix = link.config().keyPrefix();
        this.versionKey = prefix + "{control}:version";
        this.channelsKey = prefix + "{control}:channels";
        this.webhooksKey = prefix + "{control}:webhooks";
        this.casilKey = prefix + "{control}:casil";
        this.cronKey = prefix + "{control}:cron";
        this.feedChannel = prefix + "control";
        this.worker = link.executor().next();
        this.sweep = new RuleSweep(nodeId, prefix + "node:", webhooksKey, versionKey, feedChannel, applier, webhooks,
                worker);
    }

    /**
     * Subscribes the control channel, loads the cluster's state and applies it, then announces
     * this node's changes from now on. Blocks, at most the command timeout per step; call once,
     * before traffic.
     *
     * @throws StoreUnavailableException when Redis cannot be reached
     */
    public ClusterControl start() {
        long timeout = link.config().commandTimeout().toMillis();
        try {
            commands = link.connection("arqonbus-control", StringCodec.UTF8).get(timeout, TimeUnit.MILLISECONDS);
            StatefulRedisPubSubConnection<String, String> subscriber = link
                    .pubSubConnection("arqonbus-control-feed", StringCodec.UTF8).get(timeout, TimeUnit.MILLISECONDS);
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    ControlChange change = ControlChange.parse(message);
                    if (change != null && !closed) {
                        worker.execute(() -> received(change));
                    }
                }
            });
            subscriber.async().subscribe(feedChannel).get(timeout, TimeUnit.MILLISECONDS);
            feed = subscriber;
            worker.submit(this::load).get(timeout, TimeUnit.MILLISECONDS).get(timeout, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreUnavailableException.of(link.description(), e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw StoreUnavailableException.of(link.description(), e);
        }
        hub.channelChanges(this);
        webhooks.onChange(this);
        cron.onChange(this);
        casil.onReload(this::reloaded);
        casil.checkBeforeReload(this::checkAvailable);
        long period = CHECK_INTERVAL.toMillis();
        check = worker.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    // ---- this node's changes, announced --------------------------------------------------

    /**
     * Refuses a change this node could not share now (its control connection is down, or the last
     * change or check found Redis unreachable, until a check answers): made anyway, it would stay
     * on this node and the nodes would diverge (docs/cluster.md, "Control plane").
     */
    @Override
    public void checkAvailable() {
        StatefulRedisConnection<String, String> conn = commands;
        if (closed) {
            return;
        }
        String reason = conn == null || !conn.isOpen() ? "lost the connection" : unreachable;
        if (reason != null) {
            throw new StoreUnavailableException("the cluster cannot share this change now (" + link.description()
                    + ": " + reason + "); nothing was changed, retry once Redis answers");
        }
    }

    @Override
    public void created(ChannelKey key, String createdBy, Set<String> admitted) {
        if (key.channel() == null) {
            return;
        }
        applier.announced(key, true);
        ObjectNode value = mapper.createObjectNode();
        value.put("room", key.room());
        value.put("channel", key.channel());
        value.put("created_by", createdBy);
        ChannelSlowConsumerPolicy slowConsumer = hub.slowConsumerPolicy(key);
        if (slowConsumer != null) {
            value.put("slow_consumer", slowConsumer.wireName());
        }
        if (admitted != null) {
            ArrayNode members = value.putArray("members");
            admitted.forEach(members::add);
        }
        announce(channelsKey, "hset", field(key), value.toString(), CHANNEL_CREATED);
    }

    @Override
    public void deleted(ChannelKey key) {
        if (key.channel() == null) {
            return;
        }
        applier.announced(key, false);
        announce(channelsKey, "hdel", field(key), "", CHANNEL_DELETED);
    }

    @Override
    public void registered(String ruleId, String rule) {
        String shared = rule;
        try {
            // The owner's node, so that the other nodes can remove a connection's rule once that node is gone.
            shared = ((ObjectNode) mapper.readTree(rule)).put("node", nodeId).toString();
        } catch (Exception e) {
            log.atWarn().addKeyValue("event", "control_rule_unreadable").addKeyValue("rule", ruleId)
                    .addKeyValue("msg", e.getMessage()).log("control_rule_unreadable");
        }
        announce(webhooksKey, "hset", ruleId, shared, WEBHOOK_REGISTERED);
    }

    @Override
    public void unregistered(String ruleId) {
        announce(webhooksKey, "hdel", ruleId, "", WEBHOOK_UNREGISTERED).exceptionally(error -> {
            sweep.removeLater(ruleId);
            return null;
        });
    }

    @Override
    public void scheduled(String jobId, String shared) {
        announce(cronKey, "hset", jobId, shared, CRON_SCHEDULED);
    }

    @Override
    public void cancelled(String jobId) {
        announce(cronKey, "hdel", jobId, "", CRON_CANCELLED);
    }

    @Override
    public void finished(String jobId) {
        StatefulRedisConnection<String, String> conn = commands;
        if (conn != null && !closed) {
            // Every node finishes the job: the first removes its entry, the others find it gone.
            conn.async().eval(RuleSweep.REMOVE, ScriptOutputType.INTEGER, new String[] {cronKey, versionKey},
                    jobId, feedChannel, nodeId, CRON_FINISHED);
        }
    }

    /** Runs under the policy holder's lock, so the announcements go out in the order of the reloads. */
    private void reloaded(CasilPolicy policy) {
        String snapshot = CasilCommands.snapshot(policy).toString();
        applier.announcedCasil(snapshot);
        announce(casilKey, "set", "policy", snapshot, CASIL_RELOADED);
    }

    private CompletableFuture<Long> announce(String key, String op, String field, String value, String kind) {
        StatefulRedisConnection<String, String> conn = commands;
        if (conn == null || closed) {
            return CompletableFuture.completedFuture(0L);
        }
        return conn.async().<Long>eval(CHANGE, ScriptOutputType.INTEGER, new String[] {key, versionKey},
                op, field, value, feedChannel, nodeId, kind).toCompletableFuture().whenComplete((version, error) -> {
                    if (error != null) {
                        unreachable = String.valueOf(Failures.unwrap(error).getMessage());
                        log.atWarn()
                                .addKeyValue("event", "control_change_failed")
                                .addKeyValue("code", "STORAGE_UNAVAILABLE")
                                .addKeyValue("change", kind)
                                .addKeyValue("field", field)
                                .addKeyValue("msg", "applied on this node only: " + Failures.unwrap(error).getMessage())
                                .log("control_change_failed");
                    }
                });
    }

    /** A channel's field in the channels hash: {@code <room length>:<room>:<channel>}. */
    static String field(ChannelKey key) {
        return key.room().length() + ":" + key.room() + ":" + key.channel();
    }

    // ---- the cluster's changes, applied on the worker ------------------------------------

    private void received(ControlChange change) {
        if (loading) {
            held.addLast(change);
            return;
        }
        if (change.version() <= applied) {
            return; // already in the state this node loaded; a version gone back is found by the check
        }
        if (change.version() > applied + 1) {
            held.addLast(change);
            load();
            return;
        }
        applied = change.version();
        if (!change.node().equals(nodeId)) {
            applier.apply(change);
        }
    }

    /** Compares this node's version with the cluster's; a difference loads the whole state. */
    private void check() {
        StatefulRedisConnection<String, String> conn = commands;
        if (conn == null || !conn.isOpen() || closed || loading) {
            return;
        }
        CompletableFuture<String> read;
        try {
            read = conn.async().get(versionKey).toCompletableFuture();
        } catch (RuntimeException e) {
            return; // never ends the periodic check; the next one tries again
        }
        read.whenComplete((version, error) -> {
            if (error != null) {
                unreachable = String.valueOf(Failures.unwrap(error).getMessage());
            } else {
                unreachable = null;
                sweep.run(conn);
                long current = version == null ? 0 : Long.parseLong(version);
                worker.execute(() -> {
                    if (current != applied && !loading) {
                        load();
                    }
                });
            }
        });
    }

    /** Reads the whole state and applies it on the worker, then the changes held meanwhile. */
    private CompletableFuture<Void> load() {
        StatefulRedisConnection<String, String> conn = commands;
        if (conn == null || closed) {
            return CompletableFuture.completedFuture(null);
        }
        loading = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        conn.async().<List<Object>>eval(STATE, ScriptOutputType.MULTI,
                new String[] {versionKey, channelsKey, webhooksKey, casilKey, cronKey}).toCompletableFuture()
                .whenComplete((state, error) -> worker.execute(() -> {
                    loading = false;
                    if (error != null) {
                        held.clear();
                        log.atWarn()
                                .addKeyValue("event", "control_state_not_loaded")
                                .addKeyValue("code", "STORAGE_UNAVAILABLE")
                                .addKeyValue("msg", Failures.unwrap(error).getMessage())
                                .log("control_state_not_loaded");
                        done.completeExceptionally(error);
                        return;
                    }
                    try {
                        applied = applier.applyState(state, applied);
                        done.complete(null);
                    } catch (RuntimeException e) {
                        done.completeExceptionally(e);
                    }
                    while (!loading && !held.isEmpty()) {
                        received(held.pollFirst());
                    }
                }));
        return done;
    }

    /** Stops applying and announcing; the connections are the link's. */
    @Override
    public void close() {
        closed = true;
        ScheduledFuture<?> task = check;
        if (task != null) {
            task.cancel(false);
        }
        hub.channelChanges(ChannelChanges.NONE);
        webhooks.onChange(WebhookRuleChanges.NONE);
        cron.onChange(CronJobChanges.NONE);
        StatefulRedisPubSubConnection<String, String> subscriber = feed;
        if (subscriber != null && subscriber.isOpen()) {
            subscriber.async().unsubscribe(feedChannel);
        }
    }
}
