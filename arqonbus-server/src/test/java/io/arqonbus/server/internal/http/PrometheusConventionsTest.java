package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import io.arqonbus.server.testing.Promtool;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} of a live server follows the Prometheus conventions ({@code promtool check
 * metrics}), carries the JVM, process and Netty allocator meters and the latency histograms, and
 * speaks OpenMetrics to a scraper that asks for it.
 */
class PrometheusConventionsTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    private static HttpResponse<String> get(String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.httpUri("/metrics")).timeout(ArqonBusExtension.TIMEOUT);
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String busyScrape() throws Exception {
        TestClient client = server.connect();
        client.joinChannel("conventions", "one").get();
        client.publish("conventions", "one", Map.of("n", 1)).get();
        await().atMost(ArqonBusExtension.TIMEOUT).until(() -> server.components().metrics().registry()
                .get("arqonbus.publish.fanout.duration").timer().count() > 0);
        return get(null).body();
    }

    @Test
    void promtoolFindsNothingToComplainAbout() throws Exception {
        Promtool promtool = Promtool.require();
        Promtool.Result result = promtool.checkMetrics(busyScrape());
        assertThat(result.output()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void carriesJvmProcessAndNettyMeters() throws Exception {
        String scrape = busyScrape();
        assertThat(scrape).contains("\njvm_memory_used_bytes{", "\njvm_gc_", "\njvm_threads_live_threads ",
                "\njvm_classes_loaded_classes ", "\njvm_buffer_memory_used_bytes{id=\"direct\"",
                "\nprocess_cpu_usage ", "\nprocess_resident_memory_bytes ", "\nprocess_open_fds ",
                "\nprocess_cpu_seconds_total ", "\nnetty_allocator_memory_used{");
    }

    @Test
    void latencyHistogramsHaveBuckets() throws Exception {
        String scrape = busyScrape();
        assertThat(scrape).contains("# TYPE arqonbus_command_duration_seconds histogram",
                "arqonbus_command_duration_seconds_bucket{le=\"0.001\"}",
                "# TYPE arqonbus_publish_fanout_duration_seconds histogram",
                "arqonbus_publish_fanout_duration_seconds_bucket{le=\"+Inf\"}",
                "# TYPE arqonbus_store_append_duration_seconds histogram",
                "# TYPE arqonbus_webhook_delivery_duration_seconds histogram");
        assertThat(scrape).doesNotContain("arqonbus_publish_fanout_duration_seconds_count 0\n");
    }

    @Test
    void answersOpenMetricsWhenAskedAndTheTextFormatOtherwise() throws Exception {
        HttpResponse<String> open = get("application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        assertThat(open.headers().firstValue("content-type"))
                .hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.body()).endsWith("# EOF\n").contains("# TYPE arqonbus_messages_received counter");

        HttpResponse<String> text = get("text/plain");
        assertThat(text.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text.body()).doesNotContain("# EOF");
        assertThat(get("application/openmetrics-text;q=0").body()).doesNotContain("# EOF");
    }
}
