package io.arqonbus.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.probe.ServerProbe;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The result of one run: a flat JSON object (one line on stdout, see docs/benchmarks.md for every
 * field) and a human summary derived from it (stderr). {@code ok} is true when nothing was lost,
 * duplicated or dropped and no error was recorded.
 */
public final class Report {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectNode json;

    private Report(ObjectNode json) {
        this.json = json;
    }

    /** The fields every workload starts with. */
    public static void header(ObjectNode json, String workload, RunSettings settings, String transport) {
        json.put("tool", "arqonbus-bench");
        json.put("workload", workload);
        json.put("dialect", settings.dialect().label());
        json.put("url", settings.uri().toString());
        if (settings.severalServers()) {
            ArrayNode urls = json.putArray("urls");
            settings.uris().forEach(u -> urls.add(u.toString()));
            json.put("publish_url", settings.publishUri().toString());
        }
        json.put("transport", transport);
        json.put("threads", settings.threads());
        json.put("source_addresses", settings.sources().size());
    }

    /** The timing and size options of a publishing workload. */
    public static void publishing(ObjectNode json, RunSettings settings) {
        json.put("payload_bytes", settings.payloadBytes());
        json.put("warmup_s", settings.warmup().toMillis() / 1000.0);
        json.put("duration_s", settings.duration().toMillis() / 1000.0);
    }

    /** {@code latency_us}: publish→receive (or publish→ack) latency in microseconds from the histogram (nanoseconds). */
    public static void latency(ObjectNode json, Histogram nanos) {
        ObjectNode latency = json.putObject("latency_us");
        latency.put("count", nanos.getTotalCount());
        if (nanos.getTotalCount() == 0) {
            latency.putNull("p50").putNull("p99").putNull("p999").putNull("max").putNull("mean");
            return;
        }
        latency.put("p50", micros(nanos.getValueAtPercentile(50)));
        latency.put("p99", micros(nanos.getValueAtPercentile(99)));
        latency.put("p999", micros(nanos.getValueAtPercentile(99.9)));
        latency.put("max", micros(nanos.getMaxValue()));
        latency.put("mean", micros(nanos.getMean()));
    }

    /** The server's CPU and memory over the measured window; nulls when no {@code --server-pid} was given. */
    public static void server(ObjectNode json, ServerProbe probe, ServerProbe.Sample from, ServerProbe.Sample to,
            long deliveries, double seconds) {
        server(json, probe, from, to, "deliveries_per_server_cpu_s", deliveries, seconds);
    }

    /**
     * The same with {@code count} events (deliveries, acks, …) per server CPU-second reported as
     * {@code perCpuField}.
     */
    public static void server(ObjectNode json, ServerProbe probe, ServerProbe.Sample from, ServerProbe.Sample to,
            String perCpuField, long count, double seconds) {
        json.put("server_pid", probe.pid());
        if (probe.pids().size() > 1) {
            ArrayNode pids = json.putArray("server_pids");
            probe.pids().forEach(pids::add);
        }
        if (!from.known() || !to.known()) {
            json.putNull("server_cpu_s").putNull("server_cpu_util").putNull(perCpuField).putNull("server_rss_bytes");
            return;
        }
        double cpu = (to.cpuNanos() - from.cpuNanos()) / 1e9;
        json.put("server_cpu_s", round(cpu, 3));
        json.put("server_cpu_util", round(cpu / seconds, 3));
        if (cpu > 0) {
            json.put(perCpuField, round(count / cpu, 1));
        } else {
            json.putNull(perCpuField);
        }
        json.put("server_rss_bytes", to.rssBytes());
    }

    /** Adds {@code errors} and {@code ok}; returns the finished report. */
    public static Report finish(ObjectNode json, List<String> errors) {
        ArrayNode list = json.putArray("errors");
        errors.forEach(list::add);
        json.put("ok", errors.isEmpty());
        return new Report(json);
    }

    public ObjectNode json() {
        return json;
    }

    public boolean ok() {
        return json.path("ok").asBoolean(false);
    }

    /** The JSON object on one line. */
    public String line() {
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A human summary: one "name: value" line per field, latencies and errors grouped. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append("== ").append(json.path("workload").asText()).append(" against ")
                .append(json.path("dialect").asText()).append(" at ").append(json.path("url").asText())
                .append(ok() ? " — ok" : " — NOT ok").append('\n');
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            if (key.equals("tool") || key.equals("workload") || key.equals("dialect") || key.equals("url")
                    || key.equals("ok")) {
                continue;
            }
            JsonNode value = field.getValue();
            if (value.isObject() || value.isArray()) {
                out.append(String.format("  %-30s %s%n", key, value));
            } else if (!value.isNull()) {
                out.append(String.format("  %-30s %s%n", key, value.asText()));
            }
        }
        return out.toString();
    }

    private static double micros(double nanos) {
        return round(nanos / 1000.0, 1);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
