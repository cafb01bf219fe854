package io.arqonbus.server.config;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Whether this server is one node of a cluster on Redis, and its name among the nodes. With a
 * cluster Redis, history lives in Redis Streams shared by every node, each channel publication is
 * sequenced there and reaches every node with members (docs/cluster.md); without one the server is
 * a single node, as by default.
 *
 * @param redis  the Redis the nodes share, or {@code null} for a single node
 * @param nodeId this node's name: in logs, {@code /status} and metrics; unique among the nodes
 * @param presenceTtl how long a node's presence entries (its channels' members) outlive its last
 *                    heartbeat in Redis, so a dead node's members vanish within it
 */
public record ClusterSettings(RedisConfig redis, String nodeId, Duration presenceTtl) {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    /** The default presence TTL: 30 seconds. */
    public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(30);
    /** The shortest presence TTL: 0.3 seconds (a heartbeat every 0.1 s). */
    public static final Duration MIN_PRESENCE_TTL = Duration.ofMillis(300);

    /**
     * @throws ConfigException when the node id is not 1 to 64 letters, digits, '.', '_' or '-', or
     *                         the presence TTL is shorter than {@link #MIN_PRESENCE_TTL}
     */
    public ClusterSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        ConfigException.check(NODE_ID.matcher(nodeId).matches(),
                "node id: '%s' (expected: 1 to 64 letters, digits, '.', '_' or '-')", nodeId);
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        ConfigException.check(presenceTtl.compareTo(MIN_PRESENCE_TTL) >= 0,
                "cluster presence TTL: %s (expected: >= 0.3 seconds)", presenceTtl);
    }

    /** A cluster with the default presence TTL. */
    public ClusterSettings(RedisConfig redis, String nodeId) {
        this(redis, nodeId, DEFAULT_PRESENCE_TTL);
    }

    /** Whether this server is a node of a cluster. */
    public boolean enabled() {
        return redis != null;
    }
}
