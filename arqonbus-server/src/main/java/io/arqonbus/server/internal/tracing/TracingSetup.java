package io.arqonbus.server.internal.tracing;

import io.arqonbus.server.config.TracingMode;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Chooses the server's {@link BusTracing}: an embedder's {@link OpenTelemetry} when it passed one,
 * else an SDK configured by the standard {@code OTEL_*} variables (and {@code otel.*} system
 * properties) when {@link TracingMode} says so, else {@link BusTracing#off()}.
 *
 * <p>The SDK built here exports traces only ({@code OTEL_METRICS_EXPORTER} and
 * {@code OTEL_LOGS_EXPORTER} default to {@code none}: metrics are Prometheus' business), names the
 * service {@code arqonbus} unless {@code OTEL_SERVICE_NAME} says otherwise, and exports from its
 * own thread (the batch span processor), never an event loop.
 */
public final class TracingSetup {
    /** Defaults under the variables: a trace exporter only, the service's name. */
    static final Map<String, String> DEFAULTS = Map.of(
            "otel.service.name", "arqonbus",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none");

    private TracingSetup() {
    }

    /**
     * @param embedder   an embedder's instance, or {@code null}
     * @param env        the process environment ({@code OTEL_*})
     * @param properties system properties by name ({@code otel.*})
     */
    public static BusTracing create(TracingMode mode, OpenTelemetry embedder, Map<String, String> env,
            Function<String, String> properties) {
        if (mode == TracingMode.OFF) {
            return BusTracing.off();
        }
        if (embedder != null) {
            return new OtelTracing(embedder, () -> { });
        }
        if (mode == TracingMode.AUTO && !configured(env, properties)) {
            return BusTracing.off();
        }
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> DEFAULTS)
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
        return new OtelTracing(sdk, () -> sdk.shutdown().join(5, TimeUnit.SECONDS));
    }

    /**
     * Whether the standard variables ask for traces: a trace exporter other than {@code none}, or
     * an OTLP endpoint; never while {@code OTEL_SDK_DISABLED=true}.
     */
    static boolean configured(Map<String, String> env, Function<String, String> properties) {
        if ("true".equalsIgnoreCase(value("otel.sdk.disabled", env, properties))) {
            return false;
        }
        String exporter = value("otel.traces.exporter", env, properties);
        if (exporter != null) {
            return !"none".equalsIgnoreCase(exporter.trim());
        }
        return value("otel.exporter.otlp.endpoint", env, properties) != null
                || value("otel.exporter.otlp.traces.endpoint", env, properties) != null;
    }

    /** A system property, else its variable ({@code otel.a.b} → {@code OTEL_A_B}); blank counts as unset. */
    private static String value(String property, Map<String, String> env, Function<String, String> properties) {
        String value = properties.apply(property);
        if (value == null || value.isBlank()) {
            value = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_'));
        }
        return value == null || value.isBlank() ? null : value;
    }
}
