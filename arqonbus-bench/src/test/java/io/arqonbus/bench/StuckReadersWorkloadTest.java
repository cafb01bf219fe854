package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.SlowConsumerChannels;
import io.arqonbus.server.testing.ArqonBusExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code bench fan-out --stuck-readers}: the stuck readers are beside the measured ones, not counted as loss. */
@Timeout(120)
class StuckReadersWorkloadTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.slowConsumerChannels(
            c -> c.withRules(SlowConsumerChannels.parseRules("test", "bench:*=drop-oldest"))));

    @Test
    void theReadersGetEverythingAndTheReportNamesTheStuckOnes() {
        String port = Integer.toString(server.bus().busAddress().getPort());
        BenchRun run = BenchRun.of("fan-out", "--port", port, "--subscribers", "5", "--stuck-readers", "2",
                "--rate", "200", "--duration", "1", "--warmup", "0.2", "--threads", "2",
                "--server-pid", Long.toString(ProcessHandle.current().pid()));

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        long sent = json.path("sent").asLong();
        assertThat(sent).isPositive();
        assertThat(json.path("subscribers").asInt()).isEqualTo(5);
        assertThat(json.path("delivered").asLong()).isEqualTo(sent * 5);
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("stuck_readers").asInt()).isEqualTo(2);
        assertThat(json.path("stuck_readers_disconnected").asLong()).isZero();
        assertThat(json.path("server_rss_at_warm_bytes").asLong()).isPositive();
        assertThat(json.path("server_rss_bytes").asLong()).isPositive();
    }

    @Test
    void aNegativeCountIsBadUsage() {
        BenchRun run = BenchRun.of("fan-out", "--port", "1", "--stuck-readers", "-1");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("--stuck-readers must be 0..10000");
    }
}
