package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.testing.ArqonBusExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The load generator against a real ArqonBus started in-process on loopback. */
@Timeout(120)
class ArqonBusWorkloadTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.maxHistorySize(1_000_000));
    private static String port;

    @BeforeAll
    static void port() {
        port = Integer.toString(server.bus().busAddress().getPort());
    }

    @Test
    void fanOutDeliversEveryMessageToEverySubscriberOnce() {
        BenchRun run = BenchRun.of("fan-out", "--dialect", "arqonbus", "--port", port, "--subscribers", "10",
                "--duration", "1", "--warmup", "0.2", "--threads", "2",
                "--server-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        long sent = json.path("sent").asLong();
        assertThat(sent).isPositive();
        assertThat(json.path("delivered").asLong()).isEqualTo(sent * 10);
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("unexpected").asLong()).isZero();
        assertThat(json.path("dropped_connections").asLong()).isZero();
        assertThat(json.path("latency_us").path("count").asLong()).isPositive();
        assertThat(json.path("deliveries_per_server_cpu_s").asDouble()).isPositive();
        assertThat(json.path("ok").asBoolean()).isTrue();
    }

    @Test
    void durableAcksEveryMessageAndTheHistoryHoldsEachOnceInOrder() {
        BenchRun run = BenchRun.of("durable", "--port", port, "--publishers", "3", "--channels", "2", "--window", "16",
                "--duration", "1", "--warmup", "0.2", "--threads", "2", "--verify",
                "--server-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        long sent = json.path("sent").asLong();
        assertThat(sent).isPositive();
        assertThat(json.path("acked").asLong()).isEqualTo(sent);
        assertThat(json.path("unanswered").asLong()).isZero();
        assertThat(json.path("storage_errors").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("acks_per_s").asDouble()).isPositive();
        assertThat(json.path("latency_us").path("count").asLong()).isPositive();
        assertThat(json.path("acks_per_server_cpu_s").asDouble()).isPositive();
        JsonNode verify = json.path("verify");
        assertThat(verify.path("present").asLong()).isEqualTo(sent);
        assertThat(verify.path("entries").asLong()).isEqualTo(sent);
        assertThat(verify.path("missing").asLong()).isZero();
        assertThat(verify.path("stored_twice").asLong()).isZero();
        assertThat(verify.path("out_of_order").asLong()).isZero();
        assertThat(json.path("ok").asBoolean()).isTrue();
    }

    @Test
    void connectionsAreHeldAndCounted() {
        BenchRun run = BenchRun.of("connections", "--port", port, "--connections", "50", "--hold", "1",
                "--source-addresses", "2", "--threads", "2", "--quiet");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("connected").asInt()).isEqualTo(50);
        assertThat(json.path("dropped").asInt()).isZero();
        assertThat(json.path("server_rss_per_connection_bytes").isNull()).isTrue();
    }
}
