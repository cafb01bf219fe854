package io.arqonbus.server.internal.metrics;

import io.arqonbus.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's meters, in one Prometheus registry (one per server, never global) — or, when the
 * embedding application passes its own {@link MeterRegistry}, in that one too (a Prometheus one is
 * used as the scrape registry itself; any other is joined to the server's Prometheus registry in a
 * composite, and the server's {@code arqonbus.*} meters are removed from it on {@link #close()}).
 * Names keep the original ArqonBus's ({@code arqonbus_active_clients},
 * {@code arqonbus_messages_sent_total}, …) and follow the Prometheus conventions, so that
 * {@code promtool check metrics} passes; the original's two gauges named {@code _total} are
 * exposed too only with {@code legacyNames} ({@code ARQONBUS_METRICS_LEGACY_NAMES}). The JVM,
 * process and Netty allocator meters come from {@link RuntimeMeters}. Counters on the fan-out path
 * are bumped once per batch, not once per delivery; the four latency timers are histograms with
 * fixed buckets ({@link #LATENCY_BUCKETS}).
 */
public final class BusMetrics implements AutoCloseable {
    /** The buckets of the latency histograms: 100 µs to 30 s. */
    public static final List<Duration> LATENCY_BUCKETS = List.of(Duration.ofNanos(100_000), Duration.ofNanos(250_000),
            Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

    private final PrometheusMeterRegistry prometheus;
    private final MeterRegistry registry;
    private final MeterRegistry embedder;
    private final boolean legacyNames;
    private final RuntimeMeters runtimeMeters;
    private final Counter messagesReceived;
    private final Counter messagesSent;
    private final Counter bytesSent;
    private final Counter slowConsumerDisconnects;
    private final Counter slowConsumerDrops;
    private final Counter droppedOldest;
    private final Counter conflated;
    private final Counter connectionsRejected;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Timer commandLatency;
    private final Timer fanOutLatency;
    private final Timer storeAppendLatency;
    private final Counter storeAppendFailures;
    private final Counter duplicatePublications;
    private final VerbatimGauges verbatimGauges = new VerbatimGauges();

    /** Meters in a registry of their own, with the conventional names only and no runtime meters (tests). */
    public BusMetrics() {
        this(null, false, null);
    }

    /**
     * @param embedder    the embedding application's registry, or {@code null}
     * @param legacyNames whether the original's gauges {@code arqonbus_rooms_total} and
     *                    {@code arqonbus_channels_total} are exposed besides {@code arqonbus_rooms}
     *                    and {@code arqonbus_channels}
     * @param allocator   the allocator whose pools are metered, or {@code null} for no JVM,
     *                    process and allocator meters
     */
    public BusMetrics(MeterRegistry embedder, boolean legacyNames, ByteBufAllocator allocator) {
        this.embedder = embedder;
        this.legacyNames = legacyNames;
        if (embedder instanceof PrometheusMeterRegistry given) {
            prometheus = given;
            registry = given;
        } else {
            prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            registry = embedder == null ? prometheus
                    : new CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM, List.of(prometheus, embedder));
        }
        runtimeMeters = allocator == null ? null : RuntimeMeters.bind(prometheus, allocator);
        messagesReceived = Counter.builder("arqonbus.messages.received")
                .description("Envelopes received from clients").register(registry);
        messagesSent = Counter.builder("arqonbus.messages.sent")
                .description("Frames written to clients (each delivery counts once)").register(registry);
        bytesSent = Counter.builder("arqonbus.deliveries.bytes")
                .description("Bytes of frames written to clients").register(registry);
        slowConsumerDisconnects = Counter.builder("arqonbus.slow.consumer.disconnects")
                .description("Connections closed because their pending output passed the budget").register(registry);
        slowConsumerDrops = Counter.builder("arqonbus.slow.consumer.drops")
                .description("Deliveries dropped for slow consumers (drop policy)").register(registry);
        droppedOldest = skipped(registry, "drop-oldest");
        conflated = skipped(registry, "conflate");
        connectionsRejected = Counter.builder("arqonbus.connections.rejected")
                .description("Connections refused (limit reached or authentication failed)").register(registry);
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(code, Counter.builder("arqonbus.errors")
                    .description("Errors sent to clients, by error code")
                    .tag("code", code.name())
                    .register(registry));
        }
        storeAppendFailures = Counter.builder("arqonbus.store.append.failures")
                .description("Publications the history store could not confirm").register(registry);
        duplicatePublications = Counter.builder("arqonbus.publications.duplicate")
                .description("Publications not stored again because their idempotency key was seen").register(registry);
        commandLatency = latency("arqonbus.command.duration", "Time to run a command");
        fanOutLatency = latency("arqonbus.publish.fanout.duration",
                "Time from a channel's receipt of a publication to its hand-off to the subscribers' event loops, "
                        + "the store's confirmation included when it is waited for");
        storeAppendLatency = latency("arqonbus.store.append.duration",
                "Time the history store took to confirm (or fail) one append");
    }

    private Timer latency(String name, String description) {
        return Timer.builder(name).description(description)
                .serviceLevelObjectives(LATENCY_BUCKETS.toArray(Duration[]::new))
                .register(registry);
    }

    /** A latency histogram with the buckets of {@link #LATENCY_BUCKETS}, for a part that times its own work. */
    public Timer timer(String name, String description) {
        return latency(name, description);
    }

    /** A publication was handed to the event loops {@code nanos} after the channel received it. */
    public void fannedOut(long nanos) {
        fanOutLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The store confirmed (or failed) one append after {@code nanos}. */
    public void storeAppended(long nanos) {
        storeAppendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A connection was closed by a limit ({@code rate_limit}, {@code idle_timeout}, {@code handshake_timeout}). */
    public void limitClose(String reason) {
        Counter.builder("arqonbus.limit.closes")
                .description("Connections closed by a limit, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** A new channel was refused, by code ({@code RATE_LIMITED}, {@code CHANNEL_LIMIT}). */
    public void channelRefused(ErrorCode code) {
        Counter.builder("arqonbus.channels.refused")
                .description("New channels refused by the channel bounds, by error code")
                .tag("code", code.name())
                .register(registry)
                .increment();
    }

    /** An empty, idle channel created implicitly was reclaimed. */
    public void channelReclaimed() {
        Counter.builder("arqonbus.channels.reclaimed")
                .description("Empty implicit channels removed after their idle grace")
                .register(registry)
                .increment();
    }

    /** The store could not confirm one append. */
    public void storeAppendFailed() {
        storeAppendFailures.increment();
    }

    /** A publication repeated an idempotency key and was not stored again. */
    public void duplicatePublication() {
        duplicatePublications.increment();
    }

    /** How many appends the store could not confirm. */
    public long storeAppendFailuresTotal() {
        return (long) storeAppendFailures.count();
    }

    /** One envelope came in. */
    public void received() {
        messagesReceived.increment();
    }

    /** {@code count} frames of {@code bytesEach} bytes went out. */
    public void sent(int count, int bytesEach) {
        if (count > 0) {
            messagesSent.increment(count);
            bytesSent.increment((double) count * bytesEach);
        }
    }

    /** An error frame or error reply with this code was sent. */
    public void error(ErrorCode code) {
        errors.get(code).increment();
    }

    /** A slow consumer was closed. */
    public void slowConsumerDisconnected() {
        slowConsumerDisconnects.increment();
    }

    /** A delivery to a slow consumer was dropped. */
    public void slowConsumerDropped() {
        slowConsumerDrops.increment();
    }

    private static Counter skipped(MeterRegistry registry, String policy) {
        return Counter.builder("arqonbus.slow.consumer.skipped")
                .description("Publications a member that fell behind did not get: dropped from its backlog "
                        + "(drop-oldest) or replaced by a newer one with the same key (conflate)")
                .tag("policy", policy).register(registry);
    }

    /** A publication was dropped from (or replaced in) a backlog under this channel policy. */
    public void slowConsumerSkipped(String policy) {
        ("conflate".equals(policy) ? conflated : droppedOldest).increment();
    }

    /** Publications skipped in backlogs under this channel policy ({@code drop-oldest} or {@code conflate}). */
    public long slowConsumerSkippedTotal(String policy) {
        return (long) ("conflate".equals(policy) ? conflated : droppedOldest).count();
    }

    /** A connection was refused. */
    public void connectionRejected() {
        connectionsRejected.increment();
    }

    /** A command ran for this long. */
    public void commandRan(long nanos) {
        commandLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Registers a gauge read from {@code value} at each scrape. A name whose Prometheus form ends
     * in a suffix the Prometheus conventions reserve for other types ({@code _total},
     * {@code _created}, {@code _bucket}, {@code _info}) — the original's
     * {@code arqonbus_rooms_total} and {@code arqonbus_channels_total} — is registered without the
     * suffix ({@code arqonbus_rooms}); with the legacy names on, {@link #scrape()} also writes it
     * under exactly the given name.
     */
    public void gauge(String name, String description, Supplier<Number> value) {
        String prometheusName = name.replace('.', '_');
        if (VerbatimGauges.needsVerbatim(prometheusName)) {
            if (legacyNames) {
                verbatimGauges.add(prometheusName, description + " (the original's name of "
                        + VerbatimGauges.conventional(prometheusName) + ")", value);
            }
            name = VerbatimGauges.conventional(prometheusName).replace('_', '.');
        }
        Gauge.builder(name, value).description(description).register(registry);
    }

    /** Total envelopes received. */
    public long receivedTotal() {
        return (long) messagesReceived.count();
    }

    /** Total frames sent. */
    public long sentTotal() {
        return (long) messagesSent.count();
    }

    /** Total slow-consumer disconnects. */
    public long slowConsumerDisconnectsTotal() {
        return (long) slowConsumerDisconnects.count();
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return scrape(MetricsFormat.PROMETHEUS_TEXT);
    }

    /** Every meter in the given exposition format. */
    public String scrape(MetricsFormat format) {
        StringBuilder out = new StringBuilder(prometheus.scrape(format.contentType()));
        if (format == MetricsFormat.OPENMETRICS_TEXT) {
            int eof = out.lastIndexOf("# EOF");
            StringBuilder legacy = new StringBuilder();
            verbatimGauges.writeTo(legacy);
            out.insert(eof < 0 ? out.length() : eof, legacy);
        } else {
            verbatimGauges.writeTo(out);
        }
        return out.toString();
    }

    /** The registry the server's meters are in (the composite one when the embedder passed a registry). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Stops the JVM meters' listeners and takes the server's meters out of the embedder's registry. */
    @Override
    public void close() {
        if (runtimeMeters != null) {
            runtimeMeters.close();
        }
        if (embedder != null) {
            List<Meter> ours = embedder.getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith("arqonbus.")).toList();
            ours.forEach(embedder::remove);
        }
    }
}
