package io.arqonbus.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ArqonBus.builder().meterRegistry(…)}: the embedding application's registry gets the bus's meters. */
class MeterRegistryOptionTest {
    private static String scrape(ArqonBus bus) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + bus.httpAddress().getPort() + "/metrics");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void anyRegistryReceivesTheBusMetersWhileItRunsAndMetricsStillServesThem() throws Exception {
        SimpleMeterRegistry host = new SimpleMeterRegistry();
        try (ArqonBus bus = ArqonBus.builder().ephemeralPorts().meterRegistry(host).build().start().join()) {
            bus.publish("host", "events", Map.of("n", 1));
            assertThat(host.find("arqonbus.active.clients").gauge()).isNotNull();
            assertThat(host.find("arqonbus.messages.sent").counter()).isNotNull();
            assertThat(scrape(bus)).contains("\narqonbus_active_clients ", "\njvm_memory_used_bytes{");
        }
        assertThat(host.getMeters()).noneMatch(m -> m.getId().getName().startsWith("arqonbus."));
    }

    @Test
    void aPrometheusRegistryIsWhatMetricsServes() throws Exception {
        PrometheusMeterRegistry host = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Counter.builder("host.orders").description("Orders taken by the host").register(host).increment();
        try (ArqonBus bus = ArqonBus.builder().ephemeralPorts().meterRegistry(host).build().start().join()) {
            assertThat(scrape(bus)).contains("\nhost_orders_total 1.0", "\narqonbus_active_clients ");
            assertThat(host.scrape()).contains("\narqonbus_active_clients ");
        }
        try (ArqonBus again = ArqonBus.builder().ephemeralPorts().meterRegistry(host).build().start().join()) {
            assertThat(scrape(again)).contains("\narqonbus_active_clients ", "\nprocess_open_fds ");
        }
    }
}
