package io.arqonbus.bench.workload;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.load.AckedPublisher;
import io.arqonbus.bench.load.BenchConnection;
import io.arqonbus.bench.load.CommandStats;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.report.RunSettings;
import io.arqonbus.bench.report.SoakRow;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The JSON result of a soak run: totals (sent, delivered, lost, duplicates, durable acks, commands,
 * errors) and the drift of the server's memory from the end of the warm-up to the last sample.
 */
final class SoakReport {
    private SoakReport() {
    }

    static Report of(RunSettings settings, String transport, SoakPlan plan, List<SoakRow> rows, long[] finalSeq, long expected,
            long tail, StatsBoard deliveries, StatsBoard acks, CommandStats commands, List<AckedPublisher> durable,
            SoakSampler sampler, List<BenchConnection> all, Path csv, Path png) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Report.header(json, "soak", settings, transport);
        Report.publishing(json, settings);
        json.put("connections", plan.connections());
        json.put("subscribers", plan.subscribers());
        json.put("idle", plan.idle());
        json.put("command_clients", plan.commandClients());
        json.put("samples", rows.size());
        long durableSent = PubSubWorkload.sent(durable);
        long plainSent = PubSubWorkload.sum(finalSeq) - durableSent;
        long lost = deliveries.gaps() + tail;
        long duplicates = deliveries.duplicates() + acks.duplicates();
        long answered = durable.stream().mapToLong(AckedPublisher::answered).sum();
        long dropped = all.stream().filter(BenchConnection::dropped).count();
        long errors = sampler.errors();
        json.put("sent", plainSent);
        json.put("expected", expected);
        json.put("delivered", deliveries.delivered());
        json.put("lost", lost);
        json.put("duplicates", duplicates);
        json.put("durable_sent", durableSent);
        json.put("durable_acked", acks.delivered());
        json.put("durable_unanswered", durableSent - answered);
        json.put("durable_received", sampler.durableReceived());
        json.put("durable_expected_received", durableSent * plan.subscribersPerDurableChannel());
        json.put("commands_sent", commands.sentCount());
        json.put("commands_succeeded", commands.succeededCount());
        json.put("commands_failed", commands.failedCount());
        json.put("commands_timed_out", commands.timedOutCount());
        json.put("first_command_failure", commands.firstFailure());
        json.put("dropped_connections", dropped);
        ObjectNode droppedByRole = json.putObject("dropped_by_role");
        for (BenchConnection.Role role : BenchConnection.Role.values()) {
            droppedByRole.put(role.name().toLowerCase(java.util.Locale.ROOT),
                    all.stream().filter(c -> c.role() == role && c.dropped()).count());
        }
        ObjectNode droppedByCode = json.putObject("dropped_by_close_code");
        all.stream().filter(BenchConnection::dropped)
                .collect(Collectors.groupingBy(c -> c.closeCode() + (c.closeReason().isEmpty() ? ""
                        : " " + c.closeReason()), TreeMap::new, Collectors.counting()))
                .forEach(droppedByCode::put);
        json.put("errors", errors);
        drift(json, rows);
        json.put("csv", csv.toString());
        json.put("png", png.toString());
        List<String> problems = new ArrayList<>();
        if (lost > 0) {
            problems.add(lost + " deliveries lost");
        }
        if (duplicates > 0) {
            problems.add(duplicates + " duplicates");
        }
        if (durableSent > answered) {
            problems.add((durableSent - answered) + " durable publishes got no answer");
        }
        if (errors > 0) {
            problems.add(errors + " errors (first command failure: " + commands.firstFailure() + ", dropped "
                    + dropped + ")");
        }
        return Report.finish(json, problems);
    }

    /**
     * {@code drift}: the base is the last warm-up sample (the first sample without a warm-up); RSS,
     * heap after GC (from the last warm-up sample that read it) and Netty direct memory of the last
     * sample against it in %; the measured samples' delivery p99 and p50 (min, median, max).
     */
    private static void drift(ObjectNode json, List<SoakRow> rows) {
        ObjectNode drift = json.putObject("drift");
        if (rows.isEmpty()) {
            return;
        }
        SoakRow base = rows.stream().filter(SoakRow::warmUp).reduce((a, b) -> b).orElse(rows.get(0));
        SoakRow last = rows.get(rows.size() - 1);
        SoakRow heapBase = rows.stream().filter(r -> r.warmUp() && r.heapAfterGcMb() >= 0).reduce((a, b) -> b)
                .orElse(rows.stream().filter(r -> r.heapAfterGcMb() >= 0).findFirst().orElse(base));
        drift.put("base_minute", round(base.minute()));
        drift.put("last_minute", round(last.minute()));
        drift.put("rss_pct", percent(base.rssMb(), last.rssMb()));
        drift.put("heap_base_minute", round(heapBase.minute()));
        drift.put("heap_after_gc_pct", percent(heapBase.heapAfterGcMb(), last.heapAfterGcMb()));
        drift.put("netty_direct_pct", percent(base.nettyDirectMb(), last.nettyDirectMb()));
        List<SoakRow> measured = rows.stream().filter(r -> !r.warmUp()).toList();
        percentiles(drift, "p99_ms", measured, SoakRow::p99Ms);
        percentiles(drift, "p50_ms", measured, SoakRow::p50Ms);
    }

    private static void percentiles(ObjectNode json, String name, List<SoakRow> rows, ToDoubleFunction<SoakRow> value) {
        double[] values = rows.stream().mapToDouble(value).sorted().toArray();
        ObjectNode out = json.putObject(name);
        if (values.length == 0) {
            return;
        }
        out.put("min", round(values[0]));
        out.put("median", round(values[values.length / 2]));
        out.put("max", round(values[values.length - 1]));
    }

    private static Double percent(double base, double last) {
        return base <= 0 || last < 0 ? null : round((last - base) / base * 100);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
