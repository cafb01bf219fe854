package io.arqonbus.bench;

import io.arqonbus.server.testing.ExternalServer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reconnect storm against a cluster: clients spread over three nodes (in this JVM, on a real
 * redis-server); one node is stopped (a drain: 1001); its clients move to the next node and
 * recover their positions there, the others are untouched.
 */
@Timeout(240)
class ClusterStormTest {
    @TempDir
    Path dir;
    private ExternalServer redis;
    private final List<ArqonBusExtension> nodes = new ArrayList<>();

    @AfterEach
    void stopCluster() throws Exception {
        for (ArqonBusExtension node : nodes) {
            node.stop();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theClientsOfAStoppedNodeComeBackOnTheOthersAndRecover() throws Exception {
        redis = RedisProcess.start(dir);
        RedisConfig shared = RedisConfig.of("127.0.0.1", redis.port()).withKeyPrefix("storm:" + UUID.randomUUID() + ":");
        for (String id : List.of("a", "b", "c")) {
            ArqonBusExtension node = new ArqonBusExtension(b -> b.redis(shared).cluster(shared).nodeId("node-" + id));
            node.start();
            nodes.add(node);
        }
        String urls = String.join(",", nodes.stream().map(n -> n.wsUri().toString()).toList());

        BenchRun.Running storm = BenchRun.start("reconnect-storm", "--urls", urls, "--clients", "81", "--channels", "9",
                "--threads", "2", "--setup-timeout", "60", "--wait-for-drop", "60", "--storm-timeout", "60",
                "--backoff-initial-ms", "100", "--backoff-max-ms", "1000");
        await("storm ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .until(() -> storm.errSoFar().contains("event=storm_ready") || storm.exit().isDone());
        nodes.get(0).stop();
        BenchRun run = storm.finish(Duration.ofSeconds(120));
        System.out.println("event=cluster_storm_test result=" + run.out().strip());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("urls")).hasSize(3);
        assertThat(json.path("how").asText()).isEqualTo("external");
        assertThat(json.path("clients").asInt()).isEqualTo(81);
        assertThat(json.path("dropped").asInt()).as("the stopped node's third").isEqualTo(27);
        assertThat(json.path("dropped_by_code").path("1001").asInt()).as("a drain says 1001").isEqualTo(27);
        assertThat(json.path("back").asInt()).isEqualTo(27);
        assertThat(json.path("recovered").asInt()).isEqualTo(27);
        assertThat(json.path("not_recovered").asLong()).isZero();
        assertThat(json.path("publish_after_restart").asInt()).isEqualTo(1);
        assertThat(json.path("positions_behind_after").asLong()).as("every late publication reached every client")
                .isZero();
        assertThat(json.path("gaps").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("recovered_100_ms").isNumber()).isTrue();
        assertThat(json.path("ok").asBoolean()).isTrue();
    }
}
