package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.TestClient;
import io.arqonbus.server.testing.ArqonBusExtension;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.hawkular.agent.prometheus.text.TextPrometheusMetricsProcessor;
import org.hawkular.agent.prometheus.types.Gauge;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.hawkular.agent.prometheus.walkers.CollectorPrometheusMetricsWalker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MetricsEndpointTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension();

    /** The original's metric names (protocol §9 of docs/protocol.md), with their Prometheus types. */
    private static final Map<String, MetricType> ORIGINAL = Map.of(
            "arqonbus_active_clients", MetricType.GAUGE,
            "arqonbus_messages_sent_total", MetricType.COUNTER,
            "arqonbus_messages_received_total", MetricType.COUNTER,
            "arqonbus_errors_total", MetricType.COUNTER,
            "arqonbus_rooms_total", MetricType.GAUGE,
            "arqonbus_channels_total", MetricType.GAUGE,
            "arqonbus_uptime_seconds", MetricType.GAUGE,
            "arqonbus_memory_usage_bytes", MetricType.GAUGE,
            "arqonbus_websocket_connections", MetricType.GAUGE,
            "arqonbus_telemetry_connections", MetricType.GAUGE);

    private static Map<String, MetricFamily> scrape() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(server.httpUri("/metrics")).timeout(ArqonBusExtension.TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type"))
                .hasValue("text/plain; version=0.0.4; charset=utf-8");
        CollectorPrometheusMetricsWalker walker = new CollectorPrometheusMetricsWalker();
        new TextPrometheusMetricsProcessor(
                new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)), walker).walk();
        List<MetricFamily> families = walker.getAllMetricFamilies();
        assertThat(families).isNotEmpty();
        return families.stream().collect(Collectors.toMap(MetricFamily::getName, Function.identity()));
    }

    private static double gauge(Map<String, MetricFamily> families, String name) {
        return ((Gauge) families.get(name).getMetrics().get(0)).getValue();
    }

    @Test
    void exposesEveryOriginalMetricNameWithItsType() throws Exception {
        Map<String, MetricFamily> families = scrape();
        for (Map.Entry<String, MetricType> expected : ORIGINAL.entrySet()) {
            assertThat(families).as("metric families").containsKey(expected.getKey());
            assertThat(families.get(expected.getKey()).getType()).as(expected.getKey()).isEqualTo(expected.getValue());
        }
        assertThat(families).containsKeys("arqonbus_deliveries_bytes_total", "arqonbus_slow_consumer_disconnects_total",
                "arqonbus_slow_consumer_drops_total", "arqonbus_connections_rejected_total",
                "arqonbus_command_duration_seconds");
        assertThat(families.get("arqonbus_command_duration_seconds").getType()).isEqualTo(MetricType.SUMMARY);
        assertThat(families.get("arqonbus_errors_total").getMetrics())
                .anySatisfy(m -> assertThat(m.getLabels()).containsEntry("code", "VALIDATION_ERROR"));
    }

    @Test
    void gaugesFollowTheBus() throws Exception {
        TestClient client = server.connect();
        client.joinChannel("metrics-room", "one").get();
        Map<String, MetricFamily> families = scrape();
        assertThat(gauge(families, "arqonbus_rooms_total")).isEqualTo(server.components().hub().roomCount());
        assertThat(gauge(families, "arqonbus_channels_total")).isEqualTo(server.components().hub().channelCount());
        assertThat(gauge(families, "arqonbus_rooms_total")).isGreaterThanOrEqualTo(2);
        assertThat(gauge(families, "arqonbus_active_clients")).isGreaterThanOrEqualTo(1);
        assertThat(gauge(families, "arqonbus_uptime_seconds")).isPositive();
        assertThat(gauge(families, "arqonbus_memory_usage_bytes")).isPositive();
        assertThat(families).doesNotContainKeys("arqonbus_rooms", "arqonbus_channels");
        assertThat(families.get("arqonbus_history_bytes").getType()).isEqualTo(MetricType.GAUGE);
        assertThat(gauge(families, "arqonbus_history_bytes")).isEqualTo(server.components().history().bytes());
    }
}
