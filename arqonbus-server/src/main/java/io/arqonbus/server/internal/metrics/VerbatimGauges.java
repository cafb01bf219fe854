package io.arqonbus.server.internal.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Gauges written in the Prometheus text format (0.0.4) under exactly their given name. The
 * Prometheus model behind Micrometer refuses metric names ending in {@code _total},
 * {@code _created}, {@code _bucket} or {@code _info} and strips those suffixes (and
 * {@code promtool check metrics} refuses a gauge named {@code _total}), but the original ArqonBus
 * exposes gauges named {@code arqonbus_rooms_total} and {@code arqonbus_channels_total}, and old
 * dashboards query those names: with {@code ARQONBUS_METRICS_LEGACY_NAMES=true} they are written
 * here as well.
 */
final class VerbatimGauges {
    private static final List<String> RESERVED_SUFFIXES = List.of("_total", "_created", "_bucket", "_info");

    private record Entry(String name, String help, Supplier<Number> value) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    /** Whether the registry would rename a gauge with this Prometheus name. */
    static boolean needsVerbatim(String prometheusName) {
        for (String suffix : RESERVED_SUFFIXES) {
            if (prometheusName.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** The name without its reserved suffix ({@code arqonbus_rooms_total} → {@code arqonbus_rooms}). */
    static String conventional(String prometheusName) {
        for (String suffix : RESERVED_SUFFIXES) {
            if (prometheusName.endsWith(suffix)) {
                return prometheusName.substring(0, prometheusName.length() - suffix.length());
            }
        }
        return prometheusName;
    }

    void add(String prometheusName, String help, Supplier<Number> value) {
        if (!prometheusName.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("not a Prometheus metric name: " + prometheusName);
        }
        entries.add(new Entry(prometheusName, help, value));
    }

    /** Appends one gauge family per entry. */
    void writeTo(StringBuilder out) {
        for (Entry entry : entries) {
            out.append("# HELP ").append(entry.name()).append(' ').append(escapeHelp(entry.help())).append('\n');
            out.append("# TYPE ").append(entry.name()).append(" gauge\n");
            out.append(entry.name()).append(' ').append(format(entry.value().get())).append('\n');
        }
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String format(Number number) {
        double value = number == null ? Double.NaN : number.doubleValue();
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }
}
