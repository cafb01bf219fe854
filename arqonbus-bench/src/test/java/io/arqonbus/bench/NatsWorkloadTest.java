package io.arqonbus.bench;

import io.arqonbus.server.testing.ExternalServer;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load tool against a real {@code nats-server} (Debian's, started on a free loopback port):
 * the core NATS dialect for fan-out, many-channels and a fixed rate, and the JetStream dialect for
 * durable publishes with {@code --verify}. Short bounded runs.
 */
@Timeout(120)
class NatsWorkloadTest {

    @Test
    void fanOutOverCoreNatsDeliversEveryMessageToEverySubscriberOnce(@TempDir Path dir) throws Exception {
        try (ExternalServer nats = NatsServerProcess.start(dir, false)) {
            BenchRun run = BenchRun.of("fan-out", "--dialect", "nats", "--port", Integer.toString(nats.port()),
                    "--subscribers", "20", "--duration", "1", "--warmup", "0.2", "--threads", "2",
                    "--server-pid", Long.toString(nats.pid()));

            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode json = run.json();
            assertThat(json.path("dialect").asText()).isEqualTo("nats");
            long sent = json.path("sent").asLong();
            assertThat(sent).isPositive();
            assertThat(json.path("delivered").asLong()).isEqualTo(sent * 20);
            assertThat(json.path("lost").asLong()).isZero();
            assertThat(json.path("duplicates").asLong()).isZero();
            assertThat(json.path("unexpected").asLong()).isZero();
            assertThat(json.path("ok").asBoolean()).isTrue();
            assertThat(json.path("deliveries_per_s").asDouble()).isPositive();
            assertThat(json.path("latency_us").path("p50").asDouble()).isPositive();
            assertThat(json.path("latency_us").path("p99").asDouble())
                    .isGreaterThanOrEqualTo(json.path("latency_us").path("p50").asDouble());
            assertThat(json.path("server_cpu_s").asDouble()).isPositive();
            assertThat(json.path("deliveries_per_server_cpu_s").asDouble()).isPositive();
        }
    }

    @Test
    void manyChannelsAndAFixedRateOverCoreNatsKeepEachChannelApart(@TempDir Path dir) throws Exception {
        try (ExternalServer nats = NatsServerProcess.start(dir, false)) {
            String port = Integer.toString(nats.port());
            BenchRun channels = BenchRun.of("many-channels", "--dialect", "nats", "--port", port, "--channels", "4",
                    "--subscribers-per-channel", "3", "--publishers", "8", "--duration", "1", "--warmup", "0",
                    "--threads", "2", "--quiet");
            BenchRun rated = BenchRun.of("fan-out", "--dialect", "nats", "--port", port, "--subscribers", "5",
                    "--rate", "200", "--duration", "1", "--warmup", "0", "--threads", "2", "--quiet");

            assertThat(channels.exit()).as(channels.err()).isZero();
            assertThat(channels.json().path("delivered").asLong())
                    .isEqualTo(channels.json().path("sent").asLong() * 3).isPositive();
            assertThat(channels.json().path("lost").asLong()).isZero();
            assertThat(channels.json().path("duplicates").asLong()).isZero();
            assertThat(channels.json().path("unexpected").asLong()).isZero();
            assertThat(rated.exit()).as(rated.err()).isZero();
            assertThat(rated.json().path("sent").asLong()).isBetween(150L, 260L);
            assertThat(rated.json().path("delivered").asLong()).isEqualTo(rated.json().path("sent").asLong() * 5);
        }
    }

    @Test
    void durableOverJetStreamAcksEveryPublishAndVerifiesTheStream(@TempDir Path dir) throws Exception {
        try (ExternalServer nats = NatsServerProcess.start(dir, true)) {
            BenchRun run = BenchRun.of("durable", "--dialect", "jetstream", "--port", Integer.toString(nats.port()),
                    "--publishers", "2", "--channels", "2", "--window", "16", "--duration", "1", "--warmup", "0.2",
                    "--verify", "--server-pid", Long.toString(nats.pid()));

            assertThat(run.exit()).as(run.err()).isZero();
            JsonNode json = run.json();
            assertThat(json.path("dialect").asText()).isEqualTo("jetstream");
            long sent = json.path("sent").asLong();
            assertThat(sent).isPositive();
            assertThat(json.path("acked").asLong()).isEqualTo(sent);
            assertThat(json.path("unanswered").asLong()).isZero();
            assertThat(json.path("storage_errors").asLong()).isZero();
            assertThat(json.path("acks_per_s").asDouble()).isPositive();
            assertThat(json.path("acks_per_server_cpu_s").asDouble()).isPositive();
            assertThat(json.path("latency_us").path("p99").asDouble()).isPositive();
            JsonNode verify = json.path("verify");
            assertThat(verify.path("entries").asLong()).isEqualTo(sent);
            assertThat(verify.path("present").asLong()).isEqualTo(sent);
            assertThat(verify.path("missing").asLong()).isZero();
            assertThat(verify.path("offset_mismatches").asLong()).isZero();
            assertThat(verify.path("stored_twice").asLong()).isZero();
            assertThat(verify.path("out_of_order").asLong()).isZero();
            assertThat(json.path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void theDialectsRefuseTheWorkloadsTheyDoNotSpeak(@TempDir Path dir) throws Exception {
        try (ExternalServer nats = NatsServerProcess.start(dir, false)) {
            BenchRun durable = BenchRun.of("durable", "--dialect", "nats", "--port", Integer.toString(nats.port()),
                    "--duration", "1", "--quiet");
            BenchRun fanOut = BenchRun.of("fan-out", "--dialect", "jetstream", "--port", Integer.toString(nats.port()),
                    "--duration", "1", "--quiet");

            assertThat(durable.exit()).isEqualTo(2);
            assertThat(durable.err()).contains("--dialect arqonbus or jetstream");
            assertThat(fanOut.exit()).isEqualTo(2);
            assertThat(fanOut.err()).contains("--dialect nats");
        }
    }
}
