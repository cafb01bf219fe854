package io.arqonbus.server.internal.metrics;

import io.arqonbus.protocol.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The server's meters, in one Prometheus registry (one per server, never global). Names keep the
 * original ArqonBus's ({@code arqonbus_active_clients}, {@code arqonbus_messages_sent_total}, …);
 * the rest follow the same prefix. Counters on the fan-out path are bumped once per batch, not
 * once per delivery.
 */
public final class BusMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter messagesReceived;
    private final Counter messagesSent;
    private final Counter bytesSent;
    private final Counter slowConsumerDisconnects;
    private final Counter slowConsumerDrops;
    private final Counter connectionsRejected;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);
    private final Timer commandLatency;
    private final Counter storeAppendFailures;
    private final Counter duplicatePublications;
    private final VerbatimGauges verbatimGauges = new VerbatimGauges();

    public BusMetrics() {
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
        commandLatency = Timer.builder("arqonbus.command.duration")
                .description("Time to run a command")
                .register(registry);
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
     * in a suffix the Prometheus model reserves for other types ({@code _total}, {@code _created},
     * {@code _bucket}, {@code _info}) — the original's {@code arqonbus_rooms_total} and
     * {@code arqonbus_channels_total} — would be renamed by the registry; such gauges are written
     * by {@link #scrape()} under exactly the given name instead.
     */
    public void gauge(String name, String description, Supplier<Number> value) {
        String prometheusName = name.replace('.', '_');
        if (VerbatimGauges.needsVerbatim(prometheusName)) {
            verbatimGauges.add(prometheusName, description, value);
            return;
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
        StringBuilder out = new StringBuilder(registry.scrape());
        verbatimGauges.writeTo(out);
        return out.toString();
    }

    /** The registry, for embedding applications that add their own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }
}
