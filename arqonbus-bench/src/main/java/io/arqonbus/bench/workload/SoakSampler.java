package io.arqonbus.bench.workload;

import io.arqonbus.bench.load.AckedPublisher;
import io.arqonbus.bench.load.BenchConnection;
import io.arqonbus.bench.load.CommandStats;
import io.arqonbus.bench.load.Publisher;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.probe.MetricsScrape;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.SoakRow;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Takes one {@link SoakRow} per call: the load tool's counters since the previous call, then the
 * server's RSS and CPU ({@code /proc}), open descriptors, direct memory ({@code /metrics}) and,
 * last, its heap after a full collection ({@code jcmd GC.run} then {@code GC.heap_info}). Used
 * from one thread.
 */
final class SoakSampler {
    private final SoakPlan plan;
    private final ServerProbe probe;
    private final MetricsScrape metrics;
    private final StatsBoard deliveries;
    private final StatsBoard acks;
    private final CommandStats commands;
    private final List<Publisher> plain;
    private final List<AckedPublisher> durable;
    private final List<BenchConnection> connections;
    private final long start;
    private long lastAt;
    private long lastPublished;
    private long lastDelivered;
    private long lastDurableSent;
    private long lastDurableAcked;
    private long lastDurableReceived;
    private long lastCommands;
    private ServerProbe.Sample lastServer;
    private long lastBenchCpu;

    SoakSampler(SoakPlan plan, ServerProbe probe, StatsBoard deliveries, StatsBoard acks, CommandStats commands,
            List<Publisher> plain, List<AckedPublisher> durable, List<BenchConnection> connections, long start) {
        this.plan = plan;
        this.probe = probe;
        this.metrics = new MetricsScrape(plan.metricsUrl());
        this.deliveries = deliveries;
        this.acks = acks;
        this.commands = commands;
        this.plain = plain;
        this.durable = durable;
        this.connections = connections;
        this.start = start;
        this.lastAt = start;
        this.lastServer = probe.sample();
        this.lastBenchCpu = benchCpuNanos();
        deliveries.resetLatency();
        acks.resetLatency();
        commands.takeLatency();
    }

    SoakRow sample(long now, boolean warmUp, boolean withHeap) {
        double seconds = Math.max(1e-3, (now - lastAt) / 1e9);
        long published = PubSubWorkload.sent(plain);
        long delivered = deliveries.delivered();
        long durableSent = PubSubWorkload.sent(durable);
        long durableAcked = acks.delivered();
        long durableReceived = durableReceived();
        long commandReplies = commands.succeededCount() + commands.failedCount();
        Histogram latency = deliveries.takeLatency();
        Histogram ackLatency = acks.takeLatency();
        Histogram commandLatency = commands.takeLatency();
        long open = connections.stream().filter(c -> c.channel() != null && c.channel().isActive()).count();
        long lost = deliveries.gaps();
        long duplicates = deliveries.duplicates() + acks.duplicates();
        long errors = errors();
        long benchCpu = benchCpuNanos();
        ServerProbe.Sample server = probe.sample();
        long fds = probe.openFiles();
        MetricsScrape.Direct direct = metrics.direct();
        long heap = withHeap ? probe.liveHeapBytes() : -1;
        SoakRow row = new SoakRow((now - start) / 60e9, warmUp, open, SoakRow.mib(server.rssBytes()), SoakRow.mib(heap),
                SoakRow.mib(direct.nettyBytes()), SoakRow.mib(direct.jvmBufferBytes()), fds,
                cpuPercent(lastServer, server, seconds), benchCpu < 0 || lastBenchCpu < 0 ? -1
                        : (benchCpu - lastBenchCpu) / 1e7 / seconds,
                (published - lastPublished) / seconds, (delivered - lastDelivered) / seconds,
                millis(latency, 50), millis(latency, 99), latency.getTotalCount() == 0 ? 0 : latency.getMaxValue() / 1e6,
                durableSent - lastDurableSent, durableAcked - lastDurableAcked, durableReceived - lastDurableReceived,
                millis(ackLatency, 99), commandReplies - lastCommands, millis(commandLatency, 99), lost, duplicates,
                errors, machineLoad());
        lastAt = now;
        lastPublished = published;
        lastDelivered = delivered;
        lastDurableSent = durableSent;
        lastDurableAcked = durableAcked;
        lastDurableReceived = durableReceived;
        lastCommands = commandReplies;
        lastServer = server;
        lastBenchCpu = benchCpu;
        return row;
    }

    /** Durable publications received by subscribers so far. */
    long durableReceived() {
        long sum = 0;
        for (int d = 0; d < plan.durableChannels(); d++) {
            sum += deliveries.deliveredFrom(plan.firstDurable() + d);
        }
        return sum;
    }

    /** Error replies, commands without a reply, durable errors and stray acks, unreadable payloads, drops. */
    long errors() {
        long sum = commands.failedCount() + commands.timedOutCount() + deliveries.unexpected() + acks.unexpected();
        for (AckedPublisher publisher : durable) {
            sum += publisher.storageErrors() + publisher.otherErrors() + publisher.strayAnswers();
        }
        return sum + connections.stream().filter(BenchConnection::dropped).count();
    }

    private static double cpuPercent(ServerProbe.Sample from, ServerProbe.Sample to, double seconds) {
        return from.known() && to.known() ? (to.cpuNanos() - from.cpuNanos()) / 1e7 / seconds : -1;
    }

    private static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1e6;
    }

    /** The one-minute load average of the machine, -1 when unknown. */
    private static double machineLoad() {
        try {
            String loadavg = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"));
            return Double.parseDouble(loadavg.substring(0, loadavg.indexOf(' ')));
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long benchCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
    }
}
