package io.arqonbus.server.internal.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The cluster's meters, tagged with the node id: publications this node sequenced in Redis,
 * publications it received from the nodes' channel, gap entries filled from the stream and lost,
 * duplicates dropped, and the round trip of the sequencing script.
 */
final class ClusterMetrics {
    private final Counter published;
    private final Counter received;
    private final Counter gapsFilled;
    private final Counter gapsLost;
    private final Counter duplicates;
    private final Timer roundTrip;

    ClusterMetrics(MeterRegistry registry, String nodeId) {
        published = Counter.builder("arqonbus_cluster_publishes").tag("node", nodeId)
                .description("Publications this node sequenced in the cluster's Redis").register(registry);
        received = Counter.builder("arqonbus_cluster_receives").tag("node", nodeId)
                .description("Publications this node received from the cluster and fanned out").register(registry);
        gapsFilled = Counter.builder("arqonbus_cluster_gaps_filled").tag("node", nodeId)
                .description("Publications read from the stream to fill a gap in the offsets").register(registry);
        gapsLost = Counter.builder("arqonbus_cluster_gaps_lost").tag("node", nodeId)
                .description("Publications missing from the stream when a gap was filled").register(registry);
        duplicates = Counter.builder("arqonbus_cluster_duplicates_dropped").tag("node", nodeId)
                .description("Publications received again and dropped").register(registry);
        roundTrip = Timer.builder("arqonbus_cluster_redis_round_trip").tag("node", nodeId)
                .description("Round trip of the sequencing script").publishPercentiles(0.5, 0.99).register(registry);
    }

    void published(Duration took) {
        published.increment();
        roundTrip.record(took);
    }

    void received() {
        received.increment();
    }

    void gapFilled() {
        gapsFilled.increment();
    }

    void gapLost(long count) {
        gapsLost.increment(count);
    }

    void duplicateDropped() {
        duplicates.increment();
    }

    long receivedTotal() {
        return (long) received.count();
    }

    long gapsFilledTotal() {
        return (long) gapsFilled.count();
    }
}
