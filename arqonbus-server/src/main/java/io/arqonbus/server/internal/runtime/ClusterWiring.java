package io.arqonbus.server.internal.runtime;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.cluster.ClientDirectory;
import io.arqonbus.server.internal.cluster.ClusterControl;
import io.arqonbus.server.internal.cluster.RedisBroker;
import io.arqonbus.server.internal.cluster.RedisMemberDirectory;
import io.arqonbus.server.internal.cron.CronScheduler;
import io.arqonbus.server.internal.cron.RedisCronLease;
import io.arqonbus.server.internal.history.DegradableHistoryStore;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.webhook.Webhooks;
import io.arqonbus.server.internal.hub.Broker;
import io.arqonbus.server.internal.hub.ConnectionLifecycle;
import io.arqonbus.server.internal.hub.FrameEncoder;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.hub.InProcessBroker;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.redis.RedisLink;
import io.arqonbus.server.internal.routing.InboundRouter;
import io.arqonbus.server.internal.session.SessionRegistry;
import java.time.Clock;

/** The parts a node of a cluster adds (docs/cluster.md); a single node gets the in-process broker and none of them. */
final class ClusterWiring {
    private ClusterWiring() {
    }

    /** The cluster's broker on its Redis in cluster mode (connected; blocks), else the in-process one. */
    static Broker broker(ServerConfig config, RedisLink redis, HistoryStore history, FrameEncoder encoder,
            EnvelopeCodec codec, BusMetrics metrics) {
        if (!config.cluster().enabled()) {
            return new InProcessBroker();
        }
        // Gaps are read from Redis itself: a read that fails while it is down is retried, not answered empty.
        HistoryStore streams = history instanceof DegradableHistoryStore degradable ? degradable.primary() : history;
        return new RedisBroker(redis, config.cluster().nodeId(), config.history().maxSize(), streams, encoder, codec,
                metrics.registry()).start();
    }

    /**
     * In cluster mode: this node's clients in the cluster's registry from their welcome to their
     * close, private messages to other nodes' clients through their inboxes, and the registry left
     * on shutdown; {@code null} on a single node.
     */
    static ClientDirectory directory(ServerConfig config, RedisLink redis, SessionRegistry sessions, Hub hub,
            EnvelopeCodec codec, Clock clock, ConnectionLifecycle lifecycle, InboundRouter router,
            ShutdownHooks hooks) {
        if (!config.cluster().enabled()) {
            return null;
        }
        ClientDirectory directory = new ClientDirectory(redis, config.cluster().nodeId(), sessions, hub, codec, clock)
                .start();
        hooks.add(ShutdownHooks.Priority.FEATURES, "cluster registry", directory::close);
        lifecycle.admitWith(directory::connected);
        lifecycle.onRenamed(directory::renamed);
        lifecycle.onClosed(directory::disconnected);
        router.privateRelay(directory);
        return directory;
    }

    /**
     * In cluster mode the members of every node are kept in Redis: member counts, presence and the
     * join, leave and typing notices are the cluster's (docs/cluster.md); a single node keeps the hub's.
     */
    static void presence(ServerConfig config, RedisLink redis, Hub hub, EnvelopeCodec codec, Clock clock,
            ConnectionLifecycle lifecycle, ShutdownHooks hooks) {
        if (!config.cluster().enabled()) {
            return;
        }
        RedisMemberDirectory members = new RedisMemberDirectory(redis, config.cluster().nodeId(),
                config.cluster().presenceTtl(), hub, codec, clock).start();
        hub.memberDirectory(members);
        lifecycle.onRenamed(members::renamed);
        hooks.add(ShutdownHooks.Priority.FEATURES, "cluster presence", members::close);
    }

    /** In cluster mode a durable cron job fires only on the node holding its lease in Redis (docs/cluster.md). */
    static void cronLease(ServerConfig config, RedisLink redis, CronScheduler cron, ShutdownHooks hooks) {
        if (!config.cluster().enabled()) {
            return;
        }
        RedisCronLease lease = new RedisCronLease(redis, config.cluster().nodeId(), config.cron().leaseTime());
        cron.useLease(lease);
        hooks.add(ShutdownHooks.Priority.FEATURES, "cron leases", lease::close);
    }

    /**
     * In cluster mode channel create/delete, CASIL reloads, webhook rules registered at run time
     * and durable cron jobs are cluster state, applied on every node (docs/cluster.md); loads that state (blocks).
     */
    static void control(ServerConfig config, RedisLink redis, Hub hub, CasilPolicyHolder casil, Webhooks webhooks,
            CronScheduler cron, EnvelopeCodec codec, ShutdownHooks hooks) {
        if (!config.cluster().enabled()) {
            return;
        }
        ClusterControl control = new ClusterControl(redis, config.cluster().nodeId(), hub, casil, webhooks, cron,
                codec.mapper());
        hooks.add(ShutdownHooks.Priority.FEATURES, "cluster control", control::close);
        control.start();
    }

    /** The reason of the 1001 close on shutdown: a node of a cluster tells its clients to reconnect elsewhere. */
    static String goingAway(ServerConfig config) {
        return config.cluster().enabled() ? "server shutting down; reconnect to another node" : "server shutting down";
    }
}
