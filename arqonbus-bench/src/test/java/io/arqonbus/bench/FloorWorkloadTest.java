package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.arqonbus.bench.floor.FloorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The load generator against the floor server, both on loopback, short bounded runs. */
@Timeout(120)
class FloorWorkloadTest {
    private static FloorServer floor;
    private static String port;
    private static final String PID = Long.toString(ProcessHandle.current().pid());

    @BeforeAll
    static void start() throws InterruptedException {
        floor = FloorServer.start("127.0.0.1", 0, 2);
        port = Integer.toString(floor.address().getPort());
    }

    @AfterAll
    static void stop() {
        floor.close();
    }

    @Test
    void fanOutDeliversEveryMessageToEverySubscriberOnce(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("result.json");
        BenchRun run = BenchRun.of("fan-out", "--dialect", "floor", "--port", port, "--subscribers", "10",
                "--duration", "1", "--warmup", "0.2", "--threads", "2", "--server-pid", PID,
                "--json-out", file.toString());

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("workload").asText()).isEqualTo("fan-out");
        assertThat(json.path("dialect").asText()).isEqualTo("floor");
        long sent = json.path("sent").asLong();
        assertThat(sent).isPositive();
        assertThat(json.path("expected").asLong()).isEqualTo(sent * 10);
        assertThat(json.path("delivered").asLong()).isEqualTo(sent * 10);
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("unexpected").asLong()).isZero();
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.path("deliveries_per_s").asDouble()).isPositive();
        assertThat(json.path("latency_us").path("count").asLong()).isPositive();
        assertThat(json.path("latency_us").path("p99").asDouble())
                .isGreaterThanOrEqualTo(json.path("latency_us").path("p50").asDouble());
        assertThat(json.path("server_cpu_s").isNumber()).isTrue();
        assertThat(json.path("server_rss_bytes").asLong()).isPositive();
        assertThat(run.err()).contains("fan-out against floor").contains("deliveries_per_s");
        JsonNode fromFile = new ObjectMapper().readTree(Files.readString(file));
        assertThat(fromFile).isEqualTo(json);
    }

    @Test
    void fixedRateSendsAboutTheRate() {
        BenchRun run = BenchRun.of("fan-out", "--dialect", "floor", "--port", port, "--subscribers", "3",
                "--rate", "200", "--duration", "1", "--warmup", "0", "--threads", "2", "--quiet");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("sent").asLong()).isBetween(150L, 260L);
        assertThat(json.path("delivered").asLong()).isEqualTo(json.path("sent").asLong() * 3);
        assertThat(json.path("window").asInt()).isZero();
    }

    @Test
    void manyChannelsRoutesEachPublisherToItsOwnChannel() {
        BenchRun run = BenchRun.of("many-channels", "--dialect", "floor", "--port", port, "--channels", "4",
                "--subscribers-per-channel", "3", "--publishers", "8", "--duration", "1", "--warmup", "0",
                "--threads", "2", "--quiet");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("subscribers").asInt()).isEqualTo(12);
        assertThat(json.path("publishers").asInt()).isEqualTo(8);
        assertThat(json.path("delivered").asLong()).isEqualTo(json.path("sent").asLong() * 3).isPositive();
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
    }

    @Test
    void connectionsHoldsIdleConnectionsFromSeveralSourceAddresses() {
        BenchRun run = BenchRun.of("connections", "--dialect", "floor", "--port", port, "--connections", "50",
                "--hold", "1", "--source-addresses", "3", "--server-pid", PID, "--threads", "2");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("connected").asInt()).isEqualTo(50);
        assertThat(json.path("failed").asInt()).isZero();
        assertThat(json.path("dropped").asInt()).isZero();
        assertThat(json.path("held").asInt()).isEqualTo(50);
        assertThat(json.path("source_addresses").asInt()).isEqualTo(3);
        assertThat(json.path("connect_rate_per_s").asDouble()).isPositive();
        assertThat(json.path("server_rss_per_connection_bytes").isNumber()).isTrue();
        assertThat(run.err()).contains("held=50");
    }
}
