package io.arqonbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.ApiKey;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code bench http-publish} against a real ArqonBus with an API key: every acknowledged publication arrives once. */
@Timeout(120)
class HttpPublishWorkloadTest {
    static final String KEY = "bench-test-key-0123456789";

    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b
            .httpApi(h -> h.withKeys(List.of(ApiKey.parse("bench:publish=" + KEY)))));

    @Test
    void everyAcknowledgedPublicationReachesTheSubscriberOnce() {
        BenchRun run = BenchRun.of("http-publish", "--port", Integer.toString(server.bus().busAddress().getPort()),
                "--http-url", "http://127.0.0.1:" + server.bus().httpAddress().getPort(), "--api-key", KEY,
                "--connections", "4", "--count", "500", "--duration", "5", "--warmup", "0", "--threads", "1");

        assertThat(run.exit()).as(run.err()).isZero();
        JsonNode json = run.json();
        assertThat(json.path("published").asLong()).isPositive().isLessThanOrEqualTo(500);
        assertThat(json.path("received").asLong()).isEqualTo(json.path("published").asLong());
        assertThat(json.path("lost").asLong()).isZero();
        assertThat(json.path("duplicates").asLong()).isZero();
        assertThat(json.path("failed").asLong()).isZero();
    }

    @Test
    void aWrongKeyIsReportedAsFailures() {
        BenchRun run = BenchRun.of("http-publish", "--port", Integer.toString(server.bus().busAddress().getPort()),
                "--http-url", "http://127.0.0.1:" + server.bus().httpAddress().getPort(), "--api-key", "wrong-key-0123456789",
                "--connections", "1", "--count", "3", "--duration", "2", "--warmup", "0", "--threads", "1");

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.json().path("errors").get(0).asText()).contains("HTTP 401");
    }
}
