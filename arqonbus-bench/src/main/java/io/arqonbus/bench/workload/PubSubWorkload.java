package io.arqonbus.bench.workload;

import io.arqonbus.bench.report.RunSettings;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.load.BenchConnection;
import io.arqonbus.bench.load.Dialect;
import io.arqonbus.bench.load.LoadClient;
import io.arqonbus.bench.load.PublishDriver;
import io.arqonbus.bench.load.PublishTemplate;
import io.arqonbus.bench.load.Publisher;
import io.arqonbus.bench.load.SeqTracker;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.Report;
import io.netty.channel.EventLoop;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Publish/subscribe load: {@code channels} channels × {@code subscribersPerChannel} subscriber
 * connections, {@code publishers} publisher connections (publisher p publishes to channel
 * p mod channels). Fan-out is the case of one channel and one publisher.
 *
 * <p>Phases, each bounded: connect and join all subscribers; connect the publishers; publish for
 * warm-up + duration (rates, CPU and latency are measured after the warm-up); wait for the drain
 * (until every sent message reached every subscriber, or the drain time ends); count the missing
 * tail as loss; close.
 *
 * <p>With several server URLs (the nodes of a cluster), subscriber i connects to URL i mod n and
 * every publisher to the chosen one, so each publication crosses the cluster to reach most of its
 * subscribers.
 */
public final class PubSubWorkload {
    private static final String ROOM = "bench";

    private final String name;
    private final int channels;
    private final int subscribersPerChannel;
    private final int publishers;
    private final double rate;
    private final int window;
    private final int stuckReaders;

    /**
     * @param rate   total messages per second over all publishers, 0 = as fast as the window allows
     * @param window messages in flight per publisher when the rate is 0
     */
    public PubSubWorkload(String name, int channels, int subscribersPerChannel, int publishers, double rate,
            int window) {
        this(name, channels, subscribersPerChannel, publishers, rate, window, 0);
    }

    private PubSubWorkload(String name, int channels, int subscribersPerChannel, int publishers, double rate,
            int window, int stuckReaders) {
        this.stuckReaders = stuckReaders;
        this.name = name;
        this.channels = channels;
        this.subscribersPerChannel = subscribersPerChannel;
        this.publishers = publishers;
        this.rate = rate;
        this.window = window;
    }

    /**
     * Adds {@code count} subscribers of the first channel that stop reading once joined (a slow
     * consumer that stays stuck): not counted in the expected deliveries; the report then says how
     * many the server disconnected and the server's RSS at the end of the warm-up and at the end.
     */
    public PubSubWorkload withStuckReaders(int count) {
        return new PubSubWorkload(name, channels, subscribersPerChannel, publishers, rate, window, count);
    }

    /** Runs it; returns the result (the JSON object and the human summary). */
    public Report run(RunSettings settings) throws BenchException, InterruptedException {
        if (settings.dialect() == Dialect.JETSTREAM) {
            throw new IllegalArgumentException("--dialect jetstream is for bench durable; use --dialect nats for "
                    + name + " against nats-server");
        }
        StatsBoard board = new StatsBoard(publishers);
        String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        List<String> channelNames = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            channelNames.add("c" + run + "-" + c);
        }
        try (LoadClient client = new LoadClient(settings.threads(), settings.uri(), settings.dialect(),
                settings.sources(), board)) {
            List<BenchConnection> all = new ArrayList<>();
            try {
                return measure(settings, client, board, run, channelNames, all);
            } finally {
                Opener.closeAll(all);
            }
        }
    }

    private Report measure(RunSettings settings, LoadClient client, StatsBoard board, String run,
            List<String> channelNames, List<BenchConnection> all) throws BenchException, InterruptedException {
        long setupDeadline = System.nanoTime() + settings.setupTimeout().toNanos();
        int subscriberCount = channels * subscribersPerChannel;
        List<URI> servers = settings.uris();
        Opener.Opened subs = Opener.open(subscriberCount, settings.connectConcurrency(), setupDeadline, i -> {
            int channel = i / subscribersPerChannel;
            URI server = settings.dialect().target(servers.get(i % servers.size()), ROOM, channelNames.get(channel));
            BenchConnection connection = client.connect(server, i, BenchConnection.Role.SUBSCRIBER,
                    new SeqTracker(publishers, publishersOf(channel)));
            return new Opener.Started(connection, connection.ready().thenCompose(ready -> {
                ready.join(ROOM, channelNames.get(channel), joinId(run, i));
                return ready.joined();
            }));
        });
        all.addAll(subs.connections());
        if (subs.failed() > 0) {
            throw new BenchException(subs.failed() + " of " + subscriberCount + " subscribers could not connect and join: "
                    + subs.firstFailure());
        }
        List<BenchConnection> stuck = openStuck(client, run, channelNames.get(0), subscriberCount, setupDeadline,
                settings);
        all.addAll(stuck);
        Opener.Opened pubs = Opener.openReady(publishers, settings.connectConcurrency(), setupDeadline,
                i -> client.connect(settings.dialect().target(settings.publishUri(), ROOM, channelNames.get(i % channels)),
                        subscriberCount + i, BenchConnection.Role.PUBLISHER, null));
        all.addAll(pubs.connections());
        if (pubs.failed() > 0) {
            throw new BenchException(pubs.failed() + " of " + publishers + " publishers could not connect: "
                    + pubs.firstFailure());
        }
        List<Publisher> drivers = new ArrayList<>(publishers);
        for (int p = 0; p < publishers; p++) {
            PublishTemplate template = new PublishTemplate(settings.dialect(), ROOM, channelNames.get(p % channels), p,
                    settings.payloadBytes());
            drivers.add(new Publisher(p, pubs.connections().get(p), template, board, subscribersPerChannel,
                    rate / publishers, window));
        }
        return publish(settings, client, board, subs.connections(), drivers, stuck);
    }

    /** Opens the stuck readers: joined, then never read from again. */
    private List<BenchConnection> openStuck(LoadClient client, String run, String channel, int firstIndex,
            long setupDeadline, RunSettings settings) throws BenchException, InterruptedException {
        if (stuckReaders == 0) {
            return List.of();
        }
        int base = firstIndex + publishers;
        Opener.Opened opened = Opener.open(stuckReaders, settings.connectConcurrency(), setupDeadline, i -> {
            BenchConnection connection = client.connect(base + i, BenchConnection.Role.SUBSCRIBER,
                    new SeqTracker(publishers, publishersOf(0)));
            return new Opener.Started(connection, connection.ready().thenCompose(ready -> {
                ready.join(ROOM, channel, joinId(run, base + i));
                return ready.joined();
            }).thenRun(() -> connection.channel().config().setAutoRead(false)));
        });
        if (opened.failed() > 0) {
            Opener.closeAll(opened.connections());
            throw new BenchException(opened.failed() + " of " + stuckReaders + " stuck readers could not connect and join: "
                    + opened.firstFailure());
        }
        return opened.connections();
    }

    private Report publish(RunSettings settings, LoadClient client, StatsBoard board, List<BenchConnection> subscribers,
            List<Publisher> drivers, List<BenchConnection> stuck) throws InterruptedException {
        ServerProbe probe = settings.probe();
        long start = System.nanoTime();
        long warmEnd = start + settings.warmup().toNanos();
        long end = warmEnd + settings.duration().toNanos();
        drivers.forEach(d -> d.start(start, end));
        Progress progress = new Progress(settings, board, drivers, start, probe.sample());
        Ticks.run(start, warmEnd, end, progress);
        long[] finalSeq = finalCounts(drivers, publishers);
        long stoppedAt = System.nanoTime();
        long sentTotal = sum(finalSeq);
        long deliveredAtEnd = board.delivered();
        ServerProbe.Sample cpuAtEnd = probe.sample();
        long expected = sentTotal * subscribersPerChannel;
        long drainDeadline = System.nanoTime() + settings.drain().toNanos();
        while (board.delivered() - board.duplicates() < expected && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Histogram latency = board.takeLatency();
        long tail = missingTail(subscribers, finalSeq);
        long lost = board.gaps() + tail;
        long dropped = subscribers.stream().filter(BenchConnection::dropped).count();
        double measured = (stoppedAt - progress.warmAt) / 1e9;

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Report.header(json, name, settings, client.transport());
        Report.publishing(json, settings);
        json.put("channels", channels);
        json.put("subscribers_per_channel", subscribersPerChannel);
        json.put("subscribers", subscribers.size());
        json.put("publishers", publishers);
        if (settings.severalServers()) {
            ArrayNode spread = json.putArray("subscribers_per_url");
            for (int s = 0; s < settings.uris().size(); s++) {
                spread.add((subscribers.size() + settings.uris().size() - 1 - s) / settings.uris().size());
            }
        }
        json.put("rate", rate);
        json.put("window", rate > 0 ? 0 : window);
        json.put("measured_s", round(measured));
        json.put("sent", sentTotal);
        json.put("expected", expected);
        json.put("delivered", board.delivered());
        json.put("lost", lost);
        json.put("duplicates", board.duplicates());
        json.put("unexpected", board.unexpected());
        json.put("dropped_connections", dropped);
        json.put("publish_rate", round((sentTotal - progress.sentAtWarm) / measured));
        double deliveriesPerSecond = (deliveredAtEnd - progress.deliveredAtWarm) / measured;
        json.put("deliveries_per_s", round(deliveriesPerSecond));
        Report.latency(json, latency);
        Report.server(json, probe, progress.cpuAtWarm, cpuAtEnd, deliveredAtEnd - progress.deliveredAtWarm, measured);
        if (!stuck.isEmpty()) {
            json.put("stuck_readers", stuck.size());
            json.put("stuck_readers_disconnected", stuck.stream().filter(BenchConnection::dropped).count());
            json.put("server_rss_at_warm_bytes", progress.cpuAtWarm.rssBytes());
        }
        List<String> errors = new ArrayList<>();
        if (lost > 0) {
            errors.add(lost + " deliveries lost");
        }
        if (board.duplicates() > 0) {
            errors.add(board.duplicates() + " duplicate deliveries");
        }
        if (board.unexpected() > 0) {
            errors.add(board.unexpected() + " frames with unreadable or foreign bench markers");
        }
        if (dropped > 0) {
            errors.add(dropped + " subscribers were disconnected during the run");
        }
        return Report.finish(json, errors);
    }

    /** The snapshot at the end of the warm-up and the once-a-second progress line. */
    private final class Progress extends WarmProgress<Publisher> {
        long sentAtWarm;
        long deliveredAtWarm;
        private long lastSent;
        private long lastDelivered;

        Progress(RunSettings settings, StatsBoard board, List<Publisher> drivers, long start, ServerProbe.Sample cpu) {
            super(settings, board, drivers, start, cpu);
        }

        @Override
        void countAtWarm() {
            sentAtWarm = sent(drivers);
            deliveredAtWarm = board.delivered();
        }

        @Override
        public void tick(long now, double seconds, boolean warmingUp) {
            long sent = sent(drivers);
            long delivered = board.delivered();
            progress(settings, String.format("[%s %s] %4.0fs sent=%d (%.0f/s) delivered=%d (%.0f/s) lost=%d dup=%d%s",
                    name, settings.dialect().label(), (now - start) / 1e9, sent, (sent - lastSent) / seconds,
                    delivered, (delivered - lastDelivered) / seconds, board.gaps(), board.duplicates(),
                    warmingUp ? " (warm-up)" : ""));
            lastSent = sent;
            lastDelivered = delivered;
        }
    }

    private int[] publishersOf(int channel) {
        List<Integer> list = new ArrayList<>();
        for (int p = channel; p < publishers; p += channels) {
            list.add(p);
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    static long missingTail(List<BenchConnection> subscribers, long[] finalSeq) throws InterruptedException {
        Map<EventLoop, List<BenchConnection>> byLoop = new HashMap<>();
        for (BenchConnection subscriber : subscribers) {
            byLoop.computeIfAbsent(subscriber.channel().eventLoop(), l -> new ArrayList<>()).add(subscriber);
        }
        long missing = 0;
        for (Map.Entry<EventLoop, List<BenchConnection>> entry : byLoop.entrySet()) {
            try {
                missing += entry.getKey().submit(() -> entry.getValue().stream()
                        .mapToLong(s -> s.tracker().missingTail(finalSeq)).sum()).get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("could not read the subscribers' last sequence numbers", e);
            }
        }
        return missing;
    }

    /**
     * Waits (up to two seconds) for every driver to finish and returns each one's final count by
     * index; a driver that does not finish in time is stopped and its count so far taken.
     */
    static long[] finalCounts(List<? extends PublishDriver> drivers, int size) throws InterruptedException {
        long[] counts = new long[size];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        for (PublishDriver driver : drivers) {
            try {
                counts[driver.index()] = driver.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                driver.stop();
                counts[driver.index()] = driver.sent();
            }
        }
        return counts;
    }

    static long sent(List<? extends PublishDriver> drivers) {
        long sum = 0;
        for (PublishDriver driver : drivers) {
            sum += driver.sent();
        }
        return sum;
    }

    static long sum(long[] values) {
        long sum = 0;
        for (long value : values) {
            sum += value;
        }
        return sum;
    }

    static void progress(RunSettings settings, String line) {
        if (settings.progress() != null) {
            settings.progress().println(line);
            settings.progress().flush();
        }
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String joinId(String run, int index) {
        return "arq_bench_" + run + "_" + index;
    }
}
