package io.arqonbus.bench;

import io.arqonbus.server.testing.ExternalServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool against a cluster of three ArqonBus nodes (in this JVM) on a real redis-server:
 * subscribers spread over the nodes, publishing on one; every delivery arrives exactly once, and
 * CPU is summed over the processes named.
 */
@Timeout(180)
class ClusterWorkloadTest {
    @TempDir
    static Path dir;
    private static ExternalServer redis;
    private static final List<ArqonBusExtension> nodes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        redis = RedisProcess.start(dir);
        RedisConfig shared = RedisConfig.of("127.0.0.1", redis.port()).withKeyPrefix("bench:" + UUID.randomUUID() + ":");
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id)
                    .maxHistorySize(1_000_000));
            node.start();
            nodes.add(node);
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (ArqonBusExtension node : nodes) {
            node.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private static String urls() {
        return String.join(",", nodes.stream().map(n -> n.wsUri().toString()).toList());
    }

    @Test
    void fanOutSpreadOverThreeNodesDeliversEveryMessageToEverySubscriberOnce() {
        String self = Long.toString(ProcessHandle.current().pid());
        BenchRun run = BenchRun.of("fan-out", "--urls", urls(), "--publish-on", "1", "--subscribers", "9",
                "--rate", "50", "--duration", "1.5", "--warmup", "0.3", "--drain", "30", "--threads", "2",
                "--server-pids", self + "," + redis.pid());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        long sent = json.path("sent").asLong();
        assertThat(sent).as(run.err()).isGreaterThan(30);
        assertThat(json.path("urls")).hasSize(3);
        assertThat(json.path("publish_url").asText()).isEqualTo(nodes.get(1).wsUri().toString());
        assertThat(json.path("subscribers_per_url").toString()).isEqualTo("[3,3,3]");
        assertThat(json.path("delivered").asLong()).isEqualTo(sent * 9);
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("unexpected").asLong()).isZero();
        assertThat(json.path("dropped_connections").asLong()).isZero();
        assertThat(json.path("latency_us").path("p99").asDouble())
                .isGreaterThanOrEqualTo(json.path("latency_us").path("p50").asDouble()).isPositive();
        assertThat(json.path("server_pids")).hasSize(2);
        assertThat(json.path("deliveries_per_server_cpu_s").asDouble()).isPositive();
        assertThat(json.path("ok").asBoolean()).isTrue();
    }

    @Test
    void manyChannelsSpreadOverTheNodesRoutesEachPublisherToItsChannelOnce() {
        BenchRun run = BenchRun.of("many-channels", "--url", nodes.get(0).wsUri().toString(),
                "--url", nodes.get(2).wsUri().toString(), "--channels", "4", "--subscribers-per-channel", "4",
                "--publishers", "4", "--rate", "80", "--duration", "1", "--warmup", "0.2", "--drain", "30", "--threads", "2",
                "--quiet");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("urls")).hasSize(2);
        assertThat(json.path("delivered").asLong()).isEqualTo(json.path("sent").asLong() * 4).isPositive();
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
    }

    @Test
    void refusesABadPublishIndexAndSeveralUrlsWhereOneServerIsMeant() {
        BenchRun bad = BenchRun.of("fan-out", "--urls", urls(), "--publish-on", "3", "--quiet");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--publish-on must be 0..2");

        BenchRun durable = BenchRun.of("durable", "--urls", urls(), "--quiet");
        assertThat(durable.exit()).isEqualTo(2);
        assertThat(durable.err()).contains("durable talks to one server");
    }
}
