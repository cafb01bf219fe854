package io.arqonbus.server.config;

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
 */
public record ClusterSettings(RedisConfig redis, String nodeId) {
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** @throws ConfigException when the node id is not 1 to 64 letters, digits, '.', '_' or '-' */
    public ClusterSettings {
        Objects.requireNonNull(nodeId, "nodeId");
        ConfigException.check(NODE_ID.matcher(nodeId).matches(),
                "node id: '%s' (expected: 1 to 64 letters, digits, '.', '_' or '-')", nodeId);
    }

    /** Whether this server is a node of a cluster. */
    public boolean enabled() {
        return redis != null;
    }
}
