package io.arqonbus.server.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.arqonbus.server.config.TracingMode;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** When the server traces: the mode, an embedder's instance, the standard OTEL_* variables. */
class TracingSetupTest {
    private static final Function<String, String> NO_PROPERTIES = name -> null;

    @Test
    void autoIsOnOnlyWhenTheVariablesAskForTraces() {
        assertThat(TracingSetup.configured(Map.of(), NO_PROPERTIES)).isFalse();
        assertThat(TracingSetup.configured(Map.of("OTEL_SERVICE_NAME", "x"), NO_PROPERTIES)).isFalse();
        assertThat(TracingSetup.configured(Map.of("OTEL_TRACES_EXPORTER", "otlp"), NO_PROPERTIES)).isTrue();
        assertThat(TracingSetup.configured(Map.of("OTEL_TRACES_EXPORTER", "none",
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), NO_PROPERTIES)).isFalse();
        assertThat(TracingSetup.configured(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"),
                NO_PROPERTIES)).isTrue();
        assertThat(TracingSetup.configured(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318"),
                NO_PROPERTIES)).isTrue();
        assertThat(TracingSetup.configured(Map.of(), Map.of("otel.traces.exporter", "otlp")::get)).isTrue();
        assertThat(TracingSetup.configured(Map.of("OTEL_TRACES_EXPORTER", "otlp", "OTEL_SDK_DISABLED", "true"),
                NO_PROPERTIES)).isFalse();
    }

    @Test
    void offWinsAndAnEmbeddersInstanceIsUsedOtherwise() {
        assertThat(TracingSetup.create(TracingMode.OFF, OpenTelemetry.noop(), Map.of("OTEL_TRACES_EXPORTER", "otlp"),
                NO_PROPERTIES)).isSameAs(BusTracing.off());
        assertThat(TracingSetup.create(TracingMode.AUTO, null, Map.of(), NO_PROPERTIES)).isSameAs(BusTracing.off());
        try (BusTracing embedded = TracingSetup.create(TracingMode.AUTO, OpenTelemetry.noop(), Map.of(),
                NO_PROPERTIES)) {
            assertThat(embedded.enabled()).isTrue();
        }
    }
}
