package io.arqonbus.bench.workload;

import io.arqonbus.bench.load.AckedPublisher;
import io.arqonbus.bench.load.BenchConnection;
import io.arqonbus.bench.load.CommandCaller;
import io.arqonbus.bench.load.CommandStats;
import io.arqonbus.bench.load.Dialect;
import io.arqonbus.bench.load.LoadClient;
import io.arqonbus.bench.load.PublishTemplate;
import io.arqonbus.bench.load.Publisher;
import io.arqonbus.bench.load.SeqTracker;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.report.RunSettings;
import io.arqonbus.bench.report.SoakChart;
import io.arqonbus.bench.report.SoakRow;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A long run of steady mixed traffic over many connections, sampled at a fixed interval (see
 * {@link SoakPlan} for the parts, docs/reliability.md "Soak" for the columns): a fan-out channel,
 * many small channels, durable publishes with acks whose channels have subscribers, command
 * clients (join, presence, history, leave, ping) and idle connections. Every subscriber checks its
 * publishers' sequence numbers; every durable publish is counted sent, acked and received.
 *
 * <p>Phases, each bounded: connect and join the subscribers, connect the rest; publish for warm-up
 * + duration, writing a CSV line per sample (and the server's class histogram at the end of the
 * warm-up and at the end); stop and wait for the drain; count the missing tail as lost; draw the
 * PNG; close.
 */
public final class SoakWorkload {
    private static final String ROOM = "soak";
    private static final int DURABLE_WINDOW = 16;
    private static final long COMMAND_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final SoakPlan plan;
    private final String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));

    public SoakWorkload(SoakPlan plan) {
        this.plan = plan;
    }

    /** Runs it; returns the result (the JSON object and the human summary). */
    public Report run(RunSettings settings) throws BenchException, InterruptedException {
        if (settings.dialect() != Dialect.ARQONBUS) {
            throw new IllegalArgumentException("soak needs --dialect arqonbus (commands and durable acks)");
        }
        try {
            Files.createDirectories(plan.out());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot create --out " + plan.out() + ": " + e.getMessage());
        }
        StatsBoard deliveries = new StatsBoard(plan.publisherIndexes());
        StatsBoard acks = new StatsBoard(plan.publisherIndexes());
        try (LoadClient client = new LoadClient(settings.threads(), settings.uri(), settings.dialect(),
                settings.sources(), deliveries);
                LoadClient side = new LoadClient(1, settings.uri(), settings.dialect(), settings.sources(), acks)) {
            List<BenchConnection> all = new ArrayList<>();
            try {
                return soak(settings, client, side, deliveries, acks, all);
            } finally {
                Opener.closeAll(all);
            }
        }
    }

    private Report soak(RunSettings settings, LoadClient client, LoadClient side, StatsBoard deliveries,
            StatsBoard acks, List<BenchConnection> all) throws BenchException, InterruptedException {
        long deadline = System.nanoTime() + settings.setupTimeout().toNanos();
        Opener.Opened subs = Opener.open(plan.subscribers(), settings.connectConcurrency(), deadline, i -> {
            BenchConnection connection = client.connect(i, BenchConnection.Role.SUBSCRIBER,
                    new SeqTracker(plan.publisherIndexes(), publishersOf(i)));
            return new Opener.Started(connection, connection.ready().thenCompose(ready -> {
                ready.join(ROOM, channelOf(i), "arq_soak_" + run + "_" + i);
                return ready.joined();
            }));
        });
        all.addAll(subs.connections());
        expect(subs, plan.subscribers(), "subscribers could not connect and join");
        int base = plan.subscribers();
        Opener.Opened pubs = Opener.openReady(1 + plan.publishers(), settings.connectConcurrency(), deadline,
                i -> client.connect(base + i, BenchConnection.Role.PUBLISHER, null));
        all.addAll(pubs.connections());
        expect(pubs, 1 + plan.publishers(), "publishers could not connect");
        Opener.Opened durablePubs = Opener.openReady(plan.durableChannels(), settings.connectConcurrency(), deadline,
                i -> side.connect(base + i, BenchConnection.Role.PUBLISHER, null));
        all.addAll(durablePubs.connections());
        expect(durablePubs, plan.durableChannels(), "durable publishers could not connect");
        Opener.Opened callers = Opener.openReady(plan.commandClients(), settings.connectConcurrency(), deadline,
                i -> side.connect(base + i, BenchConnection.Role.PUBLISHER, null));
        all.addAll(callers.connections());
        expect(callers, plan.commandClients(), "command clients could not connect");
        Opener.Opened idle = Opener.openReady(plan.idle(), settings.connectConcurrency(), deadline,
                i -> client.connect(base + i, BenchConnection.Role.IDLE, null));
        all.addAll(idle.connections());
        expect(idle, plan.idle(), "idle connections could not connect");
        PubSubWorkload.progress(settings, String.format("[soak] %d connections open (%d subscribers), publishing",
                all.size(), plan.subscribers()));

        List<Publisher> plain = new ArrayList<>();
        plain.add(new Publisher(0, pubs.connections().get(0), new PublishTemplate(Dialect.ARQONBUS, ROOM,
                fanOutChannel(), 0, settings.payloadBytes()), deliveries, plan.fanOutSubscribers(), plan.fanOutRate(), 1));
        for (int p = 0; p < plan.publishers(); p++) {
            plain.add(new Publisher(1 + p, pubs.connections().get(1 + p), new PublishTemplate(Dialect.ARQONBUS, ROOM,
                    channel(p % plan.channels()), 1 + p, settings.payloadBytes()), deliveries,
                    plan.subscribersPerChannel(), plan.rate() / plan.publishers(), 1));
        }
        List<AckedPublisher> durable = new ArrayList<>();
        for (int d = 0; d < plan.durableChannels(); d++) {
            int index = plan.firstDurable() + d;
            String idPrefix = "arq_sd_" + run + "_" + d + "_";
            durable.add(new AckedPublisher(index, durablePubs.connections().get(d), PublishTemplate.durable(ROOM,
                    durableChannel(d), index, settings.payloadBytes(), idPrefix, true), idPrefix, DURABLE_WINDOW,
                    plan.durableRate() / plan.durableChannels()));
        }
        CommandStats commands = new CommandStats();
        List<CommandCaller> commandCallers = new ArrayList<>();
        int lobbies = Math.max(1, plan.commandClients() / 10);
        for (int i = 0; i < plan.commandClients(); i++) {
            commandCallers.add(new CommandCaller(callers.connections().get(i), commands, "arq_sc_" + run + "_" + i + "_",
                    ROOM, "l" + run + "-" + i % lobbies, channel(i % plan.channels()), COMMAND_TIMEOUT_NANOS));
        }
        return publish(settings, client.transport(), deliveries, acks, commands, plain, durable, commandCallers,
                subs.connections(), all);
    }

    private Report publish(RunSettings settings, String transport, StatsBoard deliveries, StatsBoard acks, CommandStats commands,
            List<Publisher> plain, List<AckedPublisher> durable, List<CommandCaller> callers,
            List<BenchConnection> subscribers, List<BenchConnection> all) throws InterruptedException {
        ServerProbe probe = settings.probe();
        long start = System.nanoTime();
        long warmEnd = start + settings.warmup().toNanos();
        long end = warmEnd + settings.duration().toNanos();
        long interval = plan.commandInterval().toNanos();
        plain.forEach(p -> p.start(start, end));
        durable.forEach(d -> d.start(end));
        callers.forEach(c -> c.start(ThreadLocalRandom.current().nextLong(interval), interval));
        SoakSampler sampler = new SoakSampler(plan, probe, deliveries, acks, commands, plain, durable, all, start);
        List<SoakRow> rows = new ArrayList<>();
        Path csv = plan.out().resolve("soak.csv");
        boolean histogramAtWarm = settings.warmup().isZero();
        if (histogramAtWarm) {
            histogram(probe, "histogram-warm.txt");
        }
        try (BufferedWriter writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            writer.write(SoakRow.HEADER);
            writer.newLine();
            writer.flush();
            long step = plan.sampleInterval().toNanos();
            long maxSamples = (end - start) / step + 2;
            for (long k = 1; k <= maxSamples; k++) {
                long next = Math.min(end, start + k * step);
                Ticks.parkUntil(next);
                long now = System.nanoTime();
                SoakRow row = sampler.sample(now, next <= warmEnd, k % plan.heapEvery() == 0 || next >= end);
                rows.add(row);
                writer.write(row.csv());
                writer.newLine();
                writer.flush();
                PubSubWorkload.progress(settings, progressLine(row));
                if (!histogramAtWarm && next >= warmEnd) {
                    histogramAtWarm = true;
                    histogram(probe, "histogram-warm.txt");
                }
                if (next >= end) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + csv, e);
        }
        callers.forEach(CommandCaller::stop);
        long[] finalSeq = new long[plan.publisherIndexes()];
        long[] plainCounts = PubSubWorkload.finalCounts(plain, plan.publisherIndexes());
        long[] durableCounts = PubSubWorkload.finalCounts(durable, plan.publisherIndexes());
        for (int i = 0; i < finalSeq.length; i++) {
            finalSeq[i] = plainCounts[i] + durableCounts[i];
        }
        long expected = expectedDeliveries(finalSeq);
        long drainDeadline = System.nanoTime() + settings.drain().toNanos();
        while ((deliveries.delivered() - deliveries.duplicates() < expected
                || answered(durable) < PubSubWorkload.sent(durable)) && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        long tail = PubSubWorkload.missingTail(subscribers, finalSeq);
        histogram(probe, "histogram-end.txt");
        Path png = plan.out().resolve("soak.png");
        try {
            SoakChart.write(rows, String.format("ArqonBus soak: %d connections, %.0f min", plan.connections(),
                    (end - start) / 60e9), png);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + png, e);
        }
        return SoakReport.of(settings, transport, plan, rows, finalSeq, expected, tail, deliveries, acks, commands, durable,
                sampler, all, csv, png);
    }

    private long expectedDeliveries(long[] finalSeq) {
        long expected = finalSeq[0] * plan.fanOutSubscribers();
        for (int p = 0; p < plan.publishers(); p++) {
            expected += finalSeq[1 + p] * plan.subscribersPerChannel();
        }
        for (int d = 0; d < plan.durableChannels(); d++) {
            expected += finalSeq[plan.firstDurable() + d] * plan.subscribersPerDurableChannel();
        }
        return expected;
    }

    private static long answered(List<AckedPublisher> durable) {
        return durable.stream().mapToLong(AckedPublisher::answered).sum();
    }

    private void histogram(ServerProbe probe, String file) {
        String histogram = probe.jcmd("GC.class_histogram");
        if (histogram == null) {
            return;
        }
        try {
            Files.writeString(plan.out().resolve(file), histogram, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    private static String progressLine(SoakRow row) {
        return String.format("[soak] %5.1f min%s conns=%d rss=%.0fMiB heap=%.0fMiB direct=%.0fMiB fds=%d cpu=%.0f%% "
                        + "deliveries=%.0f/s p50=%.1fms p99=%.1fms acks=%d cmds=%d lost=%d dup=%d errors=%d",
                row.minute(), row.warmUp() ? " (warm-up)" : "", row.connections(), row.rssMb(), row.heapAfterGcMb(),
                row.nettyDirectMb(), row.fds(), row.serverCpuPct(), row.deliveriesPerS(), row.p50Ms(), row.p99Ms(),
                row.durableAcked(), row.commands(), row.lost(), row.duplicates(), row.errors());
    }

    private static void expect(Opener.Opened opened, int count, String what) throws BenchException {
        if (opened.failed() > 0) {
            throw new BenchException(opened.failed() + " of " + count + " " + what + ": " + opened.firstFailure());
        }
    }

    /** The channel subscriber {@code i} joins. */
    private String channelOf(int i) {
        int manyStart = plan.fanOutSubscribers();
        int durableStart = manyStart + plan.channels() * plan.subscribersPerChannel();
        if (i < manyStart) {
            return fanOutChannel();
        }
        if (i < durableStart) {
            return channel((i - manyStart) / plan.subscribersPerChannel());
        }
        return durableChannel((i - durableStart) / plan.subscribersPerDurableChannel());
    }

    /** The publisher indexes subscriber {@code i} hears from. */
    private int[] publishersOf(int i) {
        int manyStart = plan.fanOutSubscribers();
        int durableStart = manyStart + plan.channels() * plan.subscribersPerChannel();
        if (i < manyStart) {
            return new int[] {0};
        }
        if (i < durableStart) {
            int c = (i - manyStart) / plan.subscribersPerChannel();
            List<Integer> list = new ArrayList<>();
            for (int p = c; p < plan.publishers(); p += plan.channels()) {
                list.add(1 + p);
            }
            return list.stream().mapToInt(Integer::intValue).toArray();
        }
        return new int[] {plan.firstDurable() + (i - durableStart) / plan.subscribersPerDurableChannel()};
    }

    private String fanOutChannel() {
        return "f" + run;
    }

    private String channel(int c) {
        return "m" + run + "-" + c;
    }

    private String durableChannel(int d) {
        return "d" + run + "-" + d;
    }
}
