package io.arqonbus.server.config;

import java.util.Locale;

/**
 * Whether the server records OpenTelemetry spans (docs/operations.md#tracing). Written as
 * {@code ARQONBUS_TRACING}. An embedder's own {@code OpenTelemetry} instance
 * ({@code ArqonBus.Builder.openTelemetry}) is used unless this is {@link #OFF}.
 */
public enum TracingMode {
    /**
     * On when the standard OpenTelemetry variables ask for spans: {@code OTEL_TRACES_EXPORTER} (other
     * than {@code none}), {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}
     * (or their {@code otel.*} system properties) is set; off otherwise. The default.
     */
    AUTO,
    /** On: the SDK is configured from the {@code OTEL_*} variables, whose defaults export OTLP to localhost. */
    OTEL,
    /** Off: no span, metadata passes unchanged. */
    OFF;

    /**
     * Reads {@code auto}, {@code otel} or {@code off}.
     *
     * @throws ConfigException naming {@code source} otherwise
     */
    public static TracingMode parse(String source, String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto" -> AUTO;
            case "otel", "on" -> OTEL;
            case "off", "none" -> OFF;
            default -> throw new ConfigException(source + ": '" + text + "' (expected: auto, otel or off)");
        };
    }

    /** The name as written in configuration. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
