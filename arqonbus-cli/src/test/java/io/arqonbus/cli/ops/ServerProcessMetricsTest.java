package io.arqonbus.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.cli.crash.ServerProcess;
import io.arqonbus.server.testing.Promtool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code promtool check metrics} on the {@code /metrics} of {@code arqon serve} run as a process
 * of its own, with the defaults an operator gets (what {@code .ci/run} gates on).
 */
class ServerProcessMetricsTest {
    @TempDir
    Path dir;

    @Test
    void promtoolAcceptsTheServersMetrics() throws Exception {
        Promtool promtool = Promtool.require();
        try (ServerProcess server = ServerProcess.startWithHttp(Map.of(), List.of(), dir.resolve("server.log"))) {
            HttpResponse<String> scrape = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(server.httpUri().resolve("/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("\narqonbus_active_clients ", "\nprocess_resident_memory_bytes ");
            Promtool.Result result = promtool.checkMetrics(scrape.body());
            assertThat(result.output()).as("promtool check metrics").isEmpty();
            assertThat(result.exitCode()).isZero();
        }
    }
}
