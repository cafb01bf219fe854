package io.arqonbus.server.internal.cluster;

import io.arqonbus.server.internal.webhook.Webhooks;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.netty.util.concurrent.EventExecutor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the control plane's webhook rules free of rules whose connection is gone without its node
 * saying so: a connection's rules on a node that was killed (its heartbeat key {@code node:<id>}
 * expired), copies of rules of this node's own connections from before a restart, and removals
 * this node could not write while Redis was unreachable. Run by {@link ClusterControl} at each
 * check that found Redis answering (docs/cluster.md, "Control plane").
 */
final class RuleSweep {
    private static final Logger log = LoggerFactory.getLogger(RuleSweep.class);
    /** Removes one field when the state holds it, and only then increments the version and publishes the removal. */
    static final String REMOVE = """
            if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
            local v = redis.call('INCR', KEYS[2])
            redis.call('PUBLISH', ARGV[2], v .. '|' .. ARGV[3] .. '|' .. ARGV[4] .. '|' .. ARGV[1] .. '\\n')
            return v
            """;

    private final String nodeId;
    private final String nodeKeyPrefix;
    private final String webhooksKey;
    private final String versionKey;
    private final String feedChannel;
    private final ControlApplier applier;
    private final Webhooks webhooks;
    private final EventExecutor worker;
    /** Rules of this node's connections that went while Redis was unreachable: removed from the state at a later run. */
    private final Set<String> removalsDue = ConcurrentHashMap.newKeySet();

    RuleSweep(String nodeId, String nodeKeyPrefix, String webhooksKey, String versionKey, String feedChannel,
            ControlApplier applier, Webhooks webhooks, EventExecutor worker) {
        this.nodeId = nodeId;
        this.nodeKeyPrefix = nodeKeyPrefix;
        this.webhooksKey = webhooksKey;
        this.versionKey = versionKey;
        this.feedChannel = feedChannel;
        this.applier = applier;
        this.webhooks = webhooks;
        this.worker = worker;
    }

    /** A removal this node could not write now: written at a later run. */
    void removeLater(String ruleId) {
        removalsDue.add(ruleId);
    }

    /**
     * At a check that found Redis answering: writes the removals that failed before, and removes
     * the rules of connections whose node is gone (its heartbeat key expired, as a killed node's
     * does), as that node would have when they closed. A copy of a rule this node's own connection
     * had (this node restarted since) goes too. Each removal runs {@link #REMOVE}: only the node
     * whose script removed the field announces it.
     */
    void run(StatefulRedisConnection<String, String> conn) {
        for (String id : List.copyOf(removalsDue)) {
            removalsDue.remove(id);
            remove(conn, id, null);
        }
        Map<String, String> rules = applier.connectionRules();
        if (rules.isEmpty()) {
            return;
        }
        Set<String> copies = webhooks.copyIds();
        List<String> owners = rules.values().stream().filter(node -> !node.equals(nodeId)).distinct().toList();
        CompletableFuture<Set<String>> gone = owners.isEmpty() ? CompletableFuture.completedFuture(Set.of())
                : conn.async().mget(owners.stream().map(node -> nodeKeyPrefix + node).toArray(String[]::new))
                        .toCompletableFuture().thenApply(values -> {
                            Set<String> dead = new HashSet<>();
                            for (KeyValue<String, String> entry : values) {
                                if (!entry.hasValue()) {
                                    dead.add(entry.getKey().substring(nodeKeyPrefix.length()));
                                }
                            }
                            return dead;
                        });
        gone.whenComplete((dead, error) -> {
            if (error != null) {
                return; // the next check tries again
            }
            rules.forEach((id, owner) -> {
                if (owner.equals(nodeId) ? copies.contains(id) : dead.contains(owner)) {
                    remove(conn, id, owner);
                }
            });
        });
    }

    /** Removes a rule from the state ({@link #REMOVE}); {@code owner} names a gone node's rule, to remove here too. */
    private void remove(StatefulRedisConnection<String, String> conn, String id, String owner) {
        conn.async().<Long>eval(REMOVE, ScriptOutputType.INTEGER, new String[] {webhooksKey, versionKey},
                id, feedChannel, nodeId, ClusterControl.WEBHOOK_UNREGISTERED).toCompletableFuture().whenComplete((version, error) -> {
                    if (error != null) {
                        if (owner == null) {
                            removalsDue.add(id);
                        }
                        return;
                    }
                    if (owner == null) {
                        return;
                    }
                    if (version > 0 || owner.equals(nodeId)) {
                        worker.execute(() -> applier.ownerNodeGone(id));
                    }
                    if (version > 0) {
                        log.atInfo().addKeyValue("event", "control_rule_owner_gone").addKeyValue("rule", id)
                                .addKeyValue("node", owner)
                                .addKeyValue("msg", "the rule's connection was on a node that is gone; removed")
                                .log("control_rule_owner_gone");
                    }
                });
    }

}
