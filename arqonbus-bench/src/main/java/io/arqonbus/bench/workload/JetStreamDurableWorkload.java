package io.arqonbus.bench.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.ledger.AckLedger;
import io.arqonbus.bench.ledger.ChannelHistory;
import io.arqonbus.bench.ledger.LedgerCheck;
import io.arqonbus.bench.load.JetStreamPublisher;
import io.arqonbus.bench.load.LoopStats;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.Report;
import io.arqonbus.bench.report.RunSettings;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamSubscription;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PullSubscribeOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code bench durable --dialect jetstream}: the durable workload against NATS JetStream
 * ({@code nats-server -js}), through the official Java client {@code io.nats:jnats}. One stream
 * with file storage ({@code ARQBENCH_<run>}) over the run's subjects {@code bench.<channel>}
 * (publisher p → channel p mod C); P publishers, each on its own connection with at most
 * {@code window} {@code publishAsync} calls waiting for their PubAck. The figures are those of the
 * ArqonBus durable run: acks/s, acks per server CPU-second, publish→ack latency.
 *
 * <p>{@code --verify} reads the whole stream back through an ephemeral pull consumer (no acks)
 * and checks the PubAcks against it with {@link LedgerCheck}: every acked message present exactly
 * once, at the stream sequence its PubAck named, each publisher's messages in publication order.
 * The stream is deleted at the end.
 */
public final class JetStreamDurableWorkload {
    private static final String ROOM = "bench";
    private static final Duration API_TIMEOUT = Duration.ofSeconds(10);
    private static final int FETCH_BATCH = 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final int channels;
    private final int publishers;
    private final int window;
    private final boolean verify;

    /**
     * @param window messages waiting for their PubAck per publisher at most
     * @param verify read the stream back at the end and check the acks against it
     */
    public JetStreamDurableWorkload(int channels, int publishers, int window, boolean verify) {
        this.channels = channels;
        this.publishers = publishers;
        this.window = window;
        this.verify = verify;
    }

    /** Runs it; returns the result (the JSON object and the human summary). */
    public Report run(RunSettings settings) throws BenchException, InterruptedException {
        String run = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        String stream = "ARQBENCH_" + run;
        List<String> subjects = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            subjects.add(ROOM + ".d" + run + "-" + c);
        }
        String server = "nats://" + settings.uri().getHost() + ':' + settings.uri().getPort();
        List<Connection> connections = new ArrayList<>();
        try {
            Connection admin = connect(server, "arqon-bench-admin");
            connections.add(admin);
            try {
                admin.jetStreamManagement().addStream(StreamConfiguration.builder().name(stream).subjects(subjects)
                        .storageType(StorageType.File).replicas(1).build());
            } catch (JetStreamApiException e) {
                throw new BenchException("nats-server refused the stream (is JetStream on? nats-server -js): "
                        + e.getMessage());
            }
            try {
                Recorder latency = new Recorder(LoopStats.HIGHEST_NANOS, 3);
                List<JetStreamPublisher> drivers = new ArrayList<>(publishers);
                for (int p = 0; p < publishers; p++) {
                    Connection connection = connect(server, "arqon-bench-p" + p);
                    connections.add(connection);
                    drivers.add(new JetStreamPublisher(p, connection, subjects.get(p % channels), window,
                            settings.payloadBytes(), latency));
                }
                return publish(settings, admin, stream, subjects, drivers, latency);
            } finally {
                deleteQuietly(admin, stream);
            }
        } catch (IOException e) {
            throw new BenchException("could not talk to nats-server at " + server + ": " + e.getMessage());
        } finally {
            for (Connection connection : connections) {
                connection.close();
            }
        }
    }

    private static Connection connect(String server, String name) throws IOException, InterruptedException {
        Options options = Options.builder().server(server).connectionName(name).noReconnect()
                .connectionTimeout(API_TIMEOUT).build();
        return Nats.connect(options);
    }

    private Report publish(RunSettings settings, Connection admin, String stream, List<String> subjects,
            List<JetStreamPublisher> drivers, Recorder latency) throws InterruptedException {
        ServerProbe probe = settings.probe();
        long start = System.nanoTime();
        long warmEnd = start + settings.warmup().toNanos();
        long end = warmEnd + settings.duration().toNanos();
        drivers.forEach(d -> d.start(end));
        Progress progress = new Progress(settings, drivers, latency, start, probe.sample());
        Ticks.run(start, warmEnd, end, progress);
        long sentTotal = PubSubWorkload.sum(PubSubWorkload.finalCounts(drivers, publishers));
        long stoppedAt = System.nanoTime();
        long ackedAtEnd = acked(drivers);
        ServerProbe.Sample cpuAtEnd = probe.sample();
        long drainDeadline = System.nanoTime() + settings.drain().toNanos();
        while (answered(drivers) < sentTotal && System.nanoTime() < drainDeadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        Histogram histogram = latency.getIntervalHistogram();
        Map<Integer, AckLedger> ledgers = new HashMap<>();
        drivers.forEach(d -> ledgers.put(d.index(), d.ledger()));
        long answered = answered(drivers);
        long failures = drivers.stream().mapToLong(JetStreamPublisher::failures).sum();
        long acked = ledgers.values().stream().mapToLong(AckLedger::acked).sum();
        long duplicates = ledgers.values().stream().mapToLong(AckLedger::duplicateFlags).sum();
        double measured = (stoppedAt - progress.warmAt) / 1e9;

        ObjectNode json = JsonNodeFactory.instance.objectNode();
        Report.header(json, "durable", settings, "jnats");
        Report.publishing(json, settings);
        json.put("channels", channels);
        json.put("publishers", publishers);
        json.put("window", window);
        json.put("stream", stream);
        json.put("storage", "file");
        json.put("measured_s", PubSubWorkload.round(measured));
        json.put("sent", sentTotal);
        json.put("acked", acked);
        json.put("storage_errors", failures);
        json.put("unanswered", sentTotal - answered);
        json.put("duplicates", duplicates);
        json.put("acks_per_s", PubSubWorkload.round((ackedAtEnd - progress.ackedAtWarm) / measured));
        Report.latency(json, histogram);
        Report.server(json, probe, progress.cpuAtWarm, cpuAtEnd, "acks_per_server_cpu_s",
                ackedAtEnd - progress.ackedAtWarm, measured);
        List<String> errors = new ArrayList<>();
        if (verify) {
            verify(admin, stream, subjects, ledgers, json, errors);
        } else {
            json.putNull("verify");
        }
        if (failures > 0) {
            errors.add(failures + " publishes failed (first: " + drivers.stream().map(JetStreamPublisher::firstFailure)
                    .filter(f -> f != null).findFirst().orElse("?") + ")");
        }
        if (sentTotal > answered) {
            errors.add((sentTotal - answered) + " publishes got no PubAck within the drain");
        }
        if (duplicates > 0) {
            errors.add(duplicates + " PubAcks said duplicate although every message was new");
        }
        return Report.finish(json, errors);
    }

    /** Reads the whole stream and checks the PubAcks against it; adds {@code verify} to the JSON. */
    private static void verify(Connection admin, String stream, List<String> subjects, Map<Integer, AckLedger> ledgers,
            ObjectNode json, List<String> errors) throws InterruptedException {
        ObjectNode out = json.putObject("verify");
        List<ChannelHistory.Entry> entries = new ArrayList<>();
        try {
            long stored = admin.jetStreamManagement().getStreamInfo(stream).getStreamState().getMsgCount();
            for (String subject : subjects) {
                read(admin, stream, subject, stored, entries);
            }
            out.put("stream_messages", stored);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            errors.add("verification failed: " + e.getMessage());
            out.put("failed", String.valueOf(e.getMessage()));
            return;
        }
        LedgerCheck.Result result = LedgerCheck.check(ledgers, entries);
        out.put("entries", result.entries());
        out.put("present", result.present());
        out.put("missing", result.missing());
        out.put("offset_mismatches", result.offsetMismatches());
        out.put("stored_twice", result.storedTwice());
        out.put("out_of_order", result.outOfOrder());
        out.put("unacked_stored", result.unackedStored());
        if (!result.ok()) {
            errors.add("verification: " + result.missing() + " acked missing, " + result.offsetMismatches()
                    + " at another stream sequence, " + result.storedTwice() + " stored twice, "
                    + result.outOfOrder() + " out of order"
                    + (result.problems().isEmpty() ? "" : " (" + String.join("; ",
                            result.problems().subList(0, Math.min(3, result.problems().size()))) + ")"));
        }
    }

    /**
     * Reads one subject of the stream, oldest first, through an ephemeral pull consumer without
     * acks, until the consumer has nothing pending (at most {@code stored} messages).
     */
    private static void read(Connection admin, String stream, String subject, long stored,
            List<ChannelHistory.Entry> entries) throws IOException, JetStreamApiException, InterruptedException {
        ConsumerConfiguration consumer = ConsumerConfiguration.builder().ackPolicy(AckPolicy.None)
                .deliverPolicy(DeliverPolicy.All).filterSubject(subject).inactiveThreshold(Duration.ofMinutes(1)).build();
        JetStreamSubscription reader = admin.jetStream().subscribe(subject,
                PullSubscribeOptions.builder().stream(stream).configuration(consumer).build());
        try {
            long rounds = stored / FETCH_BATCH + 2;
            for (long r = 0; r < rounds; r++) {
                List<Message> batch = reader.fetch(FETCH_BATCH, API_TIMEOUT);
                for (Message message : batch) {
                    entries.add(entry(message));
                }
                if (batch.isEmpty() || batch.get(batch.size() - 1).metaData().pendingCount() == 0) {
                    return;
                }
            }
        } finally {
            reader.unsubscribe();
        }
    }

    /** A stream message as a history entry: its stream sequence and its payload's bench markers. */
    private static ChannelHistory.Entry entry(Message message) throws IOException {
        long sequence = message.metaData().streamSequence();
        JsonNode payload = MAPPER.readTree(message.getData());
        return new ChannelHistory.Entry(sequence, "", message.getSubject() + '#' + sequence,
                payload.path("bp").asLong(-1), payload.path("bseq").asLong(-1));
    }

    private static void deleteQuietly(Connection admin, String stream) {
        try {
            admin.jetStreamManagement().deleteStream(stream);
        } catch (IOException | JetStreamApiException | IllegalStateException e) {
            // The run's result stands; a stream left behind goes with the server's store directory.
        }
    }

    private static long acked(List<JetStreamPublisher> drivers) {
        return drivers.stream().mapToLong(JetStreamPublisher::acked).sum();
    }

    private static long answered(List<JetStreamPublisher> drivers) {
        return drivers.stream().mapToLong(JetStreamPublisher::answered).sum();
    }

    /** The snapshot at the end of the warm-up and the once-a-second progress line. */
    private static final class Progress implements Ticks.Listener {
        private final RunSettings settings;
        private final List<JetStreamPublisher> drivers;
        private final Recorder latency;
        private final long start;
        ServerProbe.Sample cpuAtWarm;
        long warmAt;
        long ackedAtWarm;
        private long lastAcked;

        Progress(RunSettings settings, List<JetStreamPublisher> drivers, Recorder latency, long start,
                ServerProbe.Sample cpu) {
            this.settings = settings;
            this.drivers = drivers;
            this.latency = latency;
            this.start = start;
            this.cpuAtWarm = cpu;
            this.warmAt = start;
        }

        @Override
        public void warm(long now) {
            warmAt = now;
            ackedAtWarm = acked(drivers);
            cpuAtWarm = settings.probe().sample();
            latency.getIntervalHistogram();
        }

        @Override
        public void tick(long now, double seconds, boolean warmingUp) {
            long acked = acked(drivers);
            PubSubWorkload.progress(settings, String.format(
                    "[durable jetstream] %4.0fs sent=%d acked=%d (%.0f/s) waiting=%d failures=%d%s",
                    (now - start) / 1e9, PubSubWorkload.sent(drivers), acked, (acked - lastAcked) / seconds,
                    PubSubWorkload.sent(drivers) - answered(drivers),
                    drivers.stream().mapToLong(JetStreamPublisher::failures).sum(), warmingUp ? " (warm-up)" : ""));
            lastAcked = acked;
        }
    }
}
