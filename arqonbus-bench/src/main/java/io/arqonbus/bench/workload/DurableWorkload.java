package io.arqonbus.bench.workload;

import io.arqonbus.bench.report.RunSettings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.ledger.AckLedger;
import io.arqonbus.bench.ledger.ChannelHistory;
import io.arqonbus.bench.ledger.LedgerCheck;
import io.arqonbus.bench.load.AckedPublisher;
import io.arqonbus.bench.load.BenchConnection;
import io.arqonbus.bench.load.Dialect;
import io.arqonbus.bench.load.LoadClient;
import io.arqonbus.bench.load.PublishTemplate;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.Report;
import io.arqonbus.client.ArqonBusClient;
import io.arqonbus.client.ReconnectPolicy;
import java.time.Duration;
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
 * Acknowledged publishes: {@code publishers} connections publish with {@code "ack":"durable"}
 * (protocol §12) to {@code channels} channels (publisher p → channel p mod channels), each with at
 * most {@code window} messages waiting for their answer (the ack, or a {@code STORAGE_UNAVAILABLE}
 * error frame). Nobody subscribes: the figure is how fast the server takes, stores and confirms
 * publications, and how long a publisher waits for the confirmation.
 *
 * <p>Phases, each bounded: connect the publishers; publish for warm-up + duration; wait for the
 * drain (until every message was answered, or the drain time ends); optionally read every channel's
 * history by offset and check that each acked message is there exactly once, at its acked offset,
 * in publication order ({@link LedgerCheck}); close.
 */
public final class DurableWorkload {
    private static final String ROOM = "bench";
    private static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(30);

    private final int channels;
    private final int publishers;
    private final int window;
    private final boolean idempotencyKeys;
    private final boolean verify;

    /**
     * @param window          messages waiting for their answer per publisher at most
     * @param idempotencyKeys give each message its id as {@code metadata.idempotency_key}
     * @param verify          read the channels' history at the end and check the acks against it
     */
    public DurableWorkload(int channels, int publishers, int window, boolean idempotencyKeys, boolean verify) {
        this.channels = channels;
        this.publishers = publishers;
        this.window = window;
        this.idempotencyKeys = idempotencyKeys;
        this.verify = verify;
    }

    /** Runs it; returns the result (the JSON object and the human summary). */
    public Report run(RunSettings settings) throws BenchException, InterruptedException {
        if (settings.dialect() != Dialect.ARQONBUS) {
            throw new IllegalArgumentException("durable needs --dialect arqonbus or jetstream (durable acks are not part of "
                    + settings.dialect().label() + ")");
        }
        StatsBoard board = new StatsBoard(publishers);
        String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        List<String> channelNames = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            channelNames.add("d" + run + "-" + c);
        }
        try (LoadClient client = new LoadClient(settings.threads(), settings.uri(), settings.dialect(),
                settings.sources(), board)) {
            long setupDeadline = System.nanoTime() + settings.setupTimeout().toNanos();
            Opener.Opened pubs = Opener.openReady(publishers, settings.connectConcurrency(), setupDeadline,
                    i -> client.connect(i, BenchConnection.Role.PUBLISHER, null));
            try {
                if (pubs.failed() > 0) {
                    throw new BenchException(pubs.failed() + " of " + publishers + " publishers could not connect: "
                            + pubs.firstFailure());
                }
                List<AckedPublisher> drivers = new ArrayList<>(publishers);
                for (int p = 0; p < publishers; p++) {
                    String idPrefix = "arq_bd_" + run + "_" + p + "_";
                    PublishTemplate template = PublishTemplate.durable(ROOM, channelNames.get(p % channels), p,
                            settings.payloadBytes(), idPrefix, idempotencyKeys);
                    drivers.add(new AckedPublisher(p, pubs.connections().get(p), template, idPrefix, window));
                }
                return publish(settings, client, board, drivers, pubs.connections(), channelNames);
            } finally {
                Opener.closeAll(pubs.connections());
            }
        }
    }

    private Report publish(RunSettings settings, LoadClient client, StatsBoard board, List<AckedPublisher> drivers,
            List<BenchConnection> connections, List<String> channelNames) throws InterruptedException {
        ServerProbe probe = settings.probe();
        long start = System.nanoTime();
        long warmEnd = start + settings.warmup().toNanos();
        long end = warmEnd + settings.duration().toNanos();
        drivers.forEach(d -> d.start(end));
        Progress progress = new Progress(settings, board, drivers, start, probe.sample());
        Ticks.run(start, warmEnd, end, progress);
        long sentTotal = PubSubWorkload.sum(PubSubWorkload.finalCounts(drivers, publishers));
        long stoppedAt = System.nanoTime();
        long ackedAtEnd = board.delivered();
        ServerProbe.Sample cpuAtEnd = probe.sample();
        long drainDeadline = System.nanoTime() + settings.drain().toNanos();
        while (answered(drivers) < sentTotal && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Histogram latency = board.takeLatency();
        Map<Integer, AckLedger> ledgers = ledgers(drivers);
        long answered = answered(drivers);
        long storageErrors = drivers.stream().mapToLong(AckedPublisher::storageErrors).sum();
        long otherErrors = drivers.stream().mapToLong(AckedPublisher::otherErrors).sum();
        long stray = drivers.stream().mapToLong(AckedPublisher::strayAnswers).sum();
        long acked = ledgers.values().stream().mapToLong(AckLedger::acked).sum();
        long duplicates = ledgers.values().stream().mapToLong(AckLedger::duplicateFlags).sum();
        long dropped = connections.stream().filter(BenchConnection::dropped).count();
        double measured = (stoppedAt - progress.warmAt) / 1e9;

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Report.header(json, "durable", settings, client.transport());
        Report.publishing(json, settings);
        json.put("channels", channels);
        json.put("publishers", publishers);
        json.put("window", window);
        json.put("idempotency_keys", idempotencyKeys);
        json.put("measured_s", PubSubWorkload.round(measured));
        json.put("sent", sentTotal);
        json.put("acked", acked);
        json.put("storage_errors", storageErrors);
        json.put("other_errors", otherErrors);
        json.put("unanswered", sentTotal - answered);
        json.put("duplicates", duplicates);
        json.put("stray_answers", stray);
        json.put("dropped_connections", dropped);
        json.put("acks_per_s", PubSubWorkload.round((ackedAtEnd - progress.ackedAtWarm) / measured));
        Report.latency(json, latency);
        Report.server(json, probe, progress.cpuAtWarm, cpuAtEnd, "acks_per_server_cpu_s",
                ackedAtEnd - progress.ackedAtWarm, measured);
        List<String> errors = new ArrayList<>();
        if (verify) {
            verify(settings, channelNames, ledgers, sentTotal, json, errors);
        } else {
            json.putNull("verify");
        }
        if (storageErrors > 0) {
            errors.add(storageErrors + " publishes refused with STORAGE_UNAVAILABLE");
        }
        if (otherErrors > 0) {
            errors.add(otherErrors + " error frames for published messages");
        }
        if (sentTotal > answered) {
            errors.add((sentTotal - answered) + " publishes got no answer within the drain");
        }
        if (duplicates > 0) {
            errors.add(duplicates + " acks said duplicate although every message had its own key");
        }
        if (stray > 0) {
            errors.add(stray + " answers for messages that were not waiting for one");
        }
        if (dropped > 0) {
            errors.add(dropped + " publishers were disconnected during the run");
        }
        return Report.finish(json, errors);
    }

    /** Reads every channel's history and checks the acks against it; adds {@code verify} to the JSON. */
    private void verify(RunSettings settings, List<String> channelNames, Map<Integer, AckLedger> ledgers,
            long sentTotal, ObjectNode json, List<String> errors) throws InterruptedException {
        ObjectNode out = json.putObject("verify");
        long entries = 0;
        long present = 0;
        long missing = 0;
        long misplaced = 0;
        long storedTwice = 0;
        long outOfOrder = 0;
        long unackedStored = 0;
        List<String> problems = new ArrayList<>();
        int maxEntries = (int) Math.min(Integer.MAX_VALUE - 1, sentTotal + ChannelHistory.PAGE);
        try (ArqonBusClient reader = ArqonBusClient.builder(settings.uri()).reconnect(ReconnectPolicy.none())
                .commandTimeout(HISTORY_TIMEOUT).build()) {
            reader.connect().get(HISTORY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            for (int c = 0; c < channels; c++) {
                Map<Integer, AckLedger> mine = new HashMap<>();
                for (int p = c; p < publishers; p += channels) {
                    mine.put(p, ledgers.get(p));
                }
                List<ChannelHistory.Entry> history = ChannelHistory.read(args -> reader.command("history", args).thenApply(ChannelHistory::tree), ROOM, channelNames.get(c), 0,
                        maxEntries, HISTORY_TIMEOUT);
                LedgerCheck.Result result = LedgerCheck.check(mine, history);
                entries += result.entries();
                present += result.present();
                missing += result.missing();
                misplaced += result.offsetMismatches();
                storedTwice += result.storedTwice();
                outOfOrder += result.outOfOrder();
                unackedStored += result.unackedStored();
                if (!history.isEmpty() && history.get(0).offset() > 1 && result.missing() > 0) {
                    problems.add("the history of " + channelNames.get(c) + " starts at offset " + history.get(0).offset()
                            + ": the server's --max-history-size must hold every message of the run");
                }
                result.problems().stream().limit(3).forEach(problems::add);
            }
        } catch (ExecutionException | TimeoutException | IllegalStateException e) {
            errors.add("verification failed: " + e.getMessage());
            out.put("failed", String.valueOf(e.getMessage()));
            return;
        }
        out.put("entries", entries);
        out.put("present", present);
        out.put("missing", missing);
        out.put("offset_mismatches", misplaced);
        out.put("stored_twice", storedTwice);
        out.put("out_of_order", outOfOrder);
        out.put("unacked_stored", unackedStored);
        if (missing + misplaced + storedTwice + outOfOrder > 0) {
            errors.add("verification: " + missing + " acked missing, " + misplaced + " at another offset, "
                    + storedTwice + " stored twice, " + outOfOrder + " out of order"
                    + (problems.isEmpty() ? "" : " (" + String.join("; ", problems) + ")"));
        }
    }

    private static Map<Integer, AckLedger> ledgers(List<AckedPublisher> drivers) throws InterruptedException {
        Map<Integer, AckLedger> ledgers = new HashMap<>();
        for (AckedPublisher driver : drivers) {
            try {
                ledgers.put(driver.index(), driver.onLoop(() -> driver.ledger().copy()).get(5, TimeUnit.SECONDS));
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("could not read publisher " + driver.index() + "'s acks", e);
            }
        }
        return ledgers;
    }

    private static long answered(List<AckedPublisher> drivers) {
        return drivers.stream().mapToLong(AckedPublisher::answered).sum();
    }

    /** The snapshot at the end of the warm-up and the once-a-second progress line. */
    private static final class Progress extends WarmProgress<AckedPublisher> {
        long ackedAtWarm;
        private long lastAcked;

        Progress(RunSettings settings, StatsBoard board, List<AckedPublisher> drivers, long start,
                ServerProbe.Sample cpu) {
            super(settings, board, drivers, start, cpu);
        }

        @Override
        void countAtWarm() {
            ackedAtWarm = board.delivered();
        }

        @Override
        public void tick(long now, double seconds, boolean warmingUp) {
            long acked = board.delivered();
            long sent = PubSubWorkload.sent(drivers);
            long storageErrors = drivers.stream().mapToLong(AckedPublisher::storageErrors).sum();
            PubSubWorkload.progress(settings, String.format(
                    "[durable] %4.0fs sent=%d acked=%d (%.0f/s) waiting=%d storage_errors=%d%s",
                    (now - start) / 1e9, sent, acked, (acked - lastAcked) / seconds, sent - answered(drivers),
                    storageErrors, warmingUp ? " (warm-up)" : ""));
            lastAcked = acked;
        }
    }
}
