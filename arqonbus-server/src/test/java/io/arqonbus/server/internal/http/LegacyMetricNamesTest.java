package io.arqonbus.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.testing.ArqonBusExtension;
import java.util.Map;
import org.hawkular.agent.prometheus.types.MetricFamily;
import org.hawkular.agent.prometheus.types.MetricType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code ARQONBUS_METRICS_LEGACY_NAMES=true}: the original's gauges named {@code _total} come back, beside the conventional ones. */
class LegacyMetricNamesTest {
    @RegisterExtension
    static final ArqonBusExtension server = new ArqonBusExtension(b -> b.metricsLegacyNames(true));

    @Test
    void exposesTheOriginalsTotalGaugesBesideTheConventionalNames() throws Exception {
        Map<String, MetricFamily> families = MetricsEndpointTest.scrape(server);
        for (String name : new String[] {"arqonbus_rooms_total", "arqonbus_channels_total", "arqonbus_rooms",
                "arqonbus_channels"}) {
            assertThat(families).containsKey(name);
            assertThat(families.get(name).getType()).as(name).isEqualTo(MetricType.GAUGE);
        }
        assertThat(MetricsEndpointTest.gauge(families, "arqonbus_rooms_total"))
                .isEqualTo(MetricsEndpointTest.gauge(families, "arqonbus_rooms"))
                .isEqualTo(server.components().hub().roomCount());
    }
}
