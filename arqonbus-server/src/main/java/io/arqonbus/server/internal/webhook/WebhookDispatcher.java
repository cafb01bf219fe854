package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.internal.tracing.TraceSpan;
import io.arqonbus.server.config.WebhookSettings;
import io.arqonbus.server.internal.async.Failures;
import io.arqonbus.server.internal.hub.PublicationListener;
import io.arqonbus.server.internal.session.Session;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends publications to the webhook rules that match them, off the event loops, each rule in its
 * own {@link RuleLane} (queue, bulkhead, circuit breaker, retries), so one dead endpoint never
 * delays the others.
 *
 * <p>As a {@link PublicationListener} it only matches rules (cheap comparisons) and queues one
 * delivery per matching rule. Deciding what starts runs on the dispatcher's own thread; attempts
 * and retries run on Failsafe's scheduler and the JDK {@link HttpClient}'s {@code sendAsync}. A
 * delivery holds one of the rule's {@link WebhookSettings#maxInFlightPerRule()} permits and one of
 * the server's {@link WebhookSettings#maxInFlight()} from its first attempt to its end. Deliveries
 * waiting, under way or waiting for a retry are bounded per rule
 * ({@link WebhookSettings#queueSizePerRule()}) and in all ({@link WebhookSettings#queueSize()}):
 * past either a delivery is dropped, counted and a WARN logged once per burst.
 *
 * <p>Every attempt of one delivery carries the same event id ({@code <envelope id>:<rule id>}) in
 * {@code webhook-id} and {@code X-ArqonBus-Event-Id}, so a receiver that answered too late
 * deduplicates; it is signed twice, in the Standard Webhooks form ({@link StandardSignature}) and
 * in the original {@code X-ArqonBus-Signature} ({@link Signature}). Delivery is at least once within
 * the retry budget, not ordered; deliveries under way are not kept across a restart.
 */
public final class WebhookDispatcher implements PublicationListener, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** The body's {@code rule_version}. */
    public static final String RULE_VERSION = "v1";
    public static final String EVENT_ID_HEADER = "X-ArqonBus-Event-Id";
    public static final String TIMESTAMP_HEADER = "X-ArqonBus-Timestamp";
    public static final String SIGNATURE_HEADER = "X-ArqonBus-Signature";
    private static final int MAX_ERROR_LENGTH = 200;

    private final WebhookRegistry registry;
    private final Timer attemptDuration;
    private final BusTracing tracing;
    private final WebhookSettings settings;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final WebhookHttpClient http = new WebhookHttpClient();
    private final ExecutorService worker;
    private final ScheduledExecutorService scheduler;
    private final Map<String, RuleLane> lanes = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<RuleLane> starved = new ConcurrentLinkedQueue<>();
    private final Semaphore inFlight;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private volatile boolean closed;

    /** @param tracing a span for each attempt of a traced publication */
    public WebhookDispatcher(WebhookRegistry registry, WebhookSettings settings, EnvelopeCodec codec, Clock clock,
            Timer attemptDuration, BusTracing tracing) {
        this.tracing = tracing;
        this.attemptDuration = attemptDuration;
        this.registry = registry;
        this.settings = settings;
        this.codec = codec;
        this.clock = clock;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.worker = Executors.newSingleThreadExecutor(daemon("arqonbus-webhooks"));
        this.scheduler = Executors.newScheduledThreadPool(2, daemon("arqonbus-webhook-attempts"));
    }

    /** Opens the lane of a registered rule. */
    void open(WebhookRule rule) {
        lanes.put(rule.id(), new RuleLane(rule, settings, clock, scheduler, () -> closed));
    }

    /** Closes the lane of an unregistered rule: what it still queued is dropped, retries abandoned. */
    void forget(WebhookRule rule) {
        RuleLane lane = lanes.remove(rule.id());
        if (lane != null) {
            requestDrain(lane);
        }
    }

    /** The lane of a rule, or {@code null}: for its meters. */
    RuleLane lane(String ruleId) {
        return lanes.get(ruleId);
    }

    @Override
    public void published(Envelope delivered, Session sender) {
        if (closed || registry.isEmpty()) {
            return;
        }
        String senderId = sender != null ? sender.clientId() : delivered.sender();
        for (WebhookRule rule : registry.all()) {
            if (rule.matches(delivered, sender)) {
                RuleLane lane = lanes.get(rule.id());
                if (lane != null) {
                    admit(lane, new RuleLane.Delivery(delivered, senderId, delivered.id() + ":" + rule.id()));
                }
            }
        }
    }

    private void admit(RuleLane lane, RuleLane.Delivery delivery) {
        WebhookStats stats = lane.rule.stats();
        if (lane.size.incrementAndGet() > settings.queueSizePerRule()) {
            lane.size.decrementAndGet();
            drop(lane, lane.overflowing, "rule", settings.queueSizePerRule());
            return;
        }
        if (outstanding.incrementAndGet() > settings.queueSize()) {
            outstanding.decrementAndGet();
            lane.size.decrementAndGet();
            drop(lane, overflowing, "server", settings.queueSize());
            return;
        }
        if (lane.overflowing.get() && lane.overflowing.compareAndSet(true, false)) {
            log.atInfo()
                    .addKeyValue("event", "webhook_queue_drained")
                    .addKeyValue("rule", lane.rule.id())
                    .addKeyValue("dropped", stats.dropped())
                    .log("webhook_queue_drained");
        }
        if (overflowing.get() && overflowing.compareAndSet(true, false)) {
            log.atInfo()
                    .addKeyValue("event", "webhook_queue_drained")
                    .addKeyValue("dropped_total", droppedTotal.get())
                    .log("webhook_queue_drained");
        }
        stats.pending.incrementAndGet();
        stats.queued.incrementAndGet();
        lane.waiting.add(delivery);
        requestDrain(lane);
    }

    private void drop(RuleLane lane, AtomicBoolean burst, String queue, int size) {
        lane.rule.stats().dropped.incrementAndGet();
        droppedTotal.incrementAndGet();
        if (burst.compareAndSet(false, true)) {
            log.atWarn()
                    .addKeyValue("event", "webhook_queue_full")
                    .addKeyValue("code", "RATE_LIMITED")
                    .addKeyValue("queue", queue)
                    .addKeyValue("queue_size", size)
                    .addKeyValue("rule", lane.rule.id())
                    .addKeyValue("msg", "Webhook deliveries are dropped until the queue drains; "
                            + "counted per rule as dropped")
                    .log("webhook_queue_full");
        }
    }

    /** Asks the dispatcher's thread to start what the lane may start (once, however often asked). */
    private void requestDrain(RuleLane lane) {
        if (lane.drainRequested.compareAndSet(false, true)) {
            onWorker(() -> {
                lane.drainRequested.set(false);
                drain(lane);
            });
        }
    }

    private void onWorker(Runnable task) {
        try {
            worker.execute(task);
        } catch (RejectedExecutionException e) {
            // closed: nothing more starts
        }
    }

    /** On the dispatcher's thread: starts waiting deliveries while the circuit, the bulkhead and the server allow. */
    private void drain(RuleLane lane) {
        while (!lane.waiting.isEmpty()) {
            if (closed || !lane.rule.active() || lanes.get(lane.rule.id()) != lane) {
                abandonWaiting(lane);
                return;
            }
            if (!lane.breaker.isClosed()) {
                Duration wait = lane.breaker.getRemainingDelay();
                if (lane.breaker.isOpen() && wait.isPositive()) {
                    schedule(() -> requestDrain(lane), wait);
                    return;
                }
                if (lane.running > 0) {
                    return; // one probe at a time; its end drains again
                }
            }
            if (!lane.bulkhead.tryAcquirePermit()) {
                return; // a delivery's end drains again
            }
            if (!inFlight.tryAcquire()) {
                lane.bulkhead.releasePermit();
                starved.add(lane);
                return;
            }
            RuleLane.Delivery next = lane.waiting.poll();
            if (next == null) {
                lane.bulkhead.releasePermit();
                inFlight.release();
                return;
            }
            lane.rule.stats().queued.decrementAndGet();
            lane.running++;
            start(lane, next);
        }
    }

    private void abandonWaiting(RuleLane lane) {
        RuleLane.Delivery dropped;
        while ((dropped = lane.waiting.poll()) != null) {
            lane.rule.stats().queued.decrementAndGet();
            finish(lane);
        }
    }

    private void start(RuleLane lane, RuleLane.Delivery delivery) {
        try {
            lane.executor.getStageAsync(() -> attempt(lane, delivery))
                    .whenComplete((response, error) -> onWorker(() -> completed(lane, delivery, response, error)));
        } catch (RuntimeException e) {
            completed(lane, delivery, null, e);
        }
    }

    /** One HTTP attempt (on Failsafe's scheduler): signed afresh, with the delivery's event id. */
    private java.util.concurrent.CompletableFuture<HttpResponse<Void>> attempt(RuleLane lane,
            RuleLane.Delivery delivery) {
        WebhookRule rule = lane.rule;
        if (delivery.body == null) {
            delivery.body = body(delivery);
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        HttpRequest.Builder builder = HttpRequest.newBuilder(rule.url())
                .timeout(rule.timeout())
                .header("Content-Type", "application/json");
        for (Map.Entry<String, String> header : rule.headers().entrySet()) {
            builder.header(header.getKey(), header.getValue());
        }
        TraceSpan span = WebhookSpans.start(tracing, delivery, rule, builder);
        HttpRequest request = builder
                .header(StandardSignature.ID_HEADER, delivery.eventId)
                .header(StandardSignature.TIMESTAMP_HEADER, timestamp)
                .header(StandardSignature.SIGNATURE_HEADER,
                        StandardSignature.sign(rule.secret(), delivery.eventId, timestamp, delivery.body))
                .header(EVENT_ID_HEADER, delivery.eventId)
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, Signature.sign(rule.secret(), timestamp, delivery.body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body))
                .build();
        delivery.attempts++;
        rule.stats().attempts.incrementAndGet();
        if (delivery.attempts > 1) {
            rule.stats().retried.incrementAndGet();
        }
        long sent = System.nanoTime();
        return http.get().sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .whenComplete((response, error) -> {
                    attemptDuration.record(System.nanoTime() - sent, java.util.concurrent.TimeUnit.NANOSECONDS);
                    WebhookSpans.ended(span, response, error);
                });
    }

    private byte[] body(RuleLane.Delivery delivery) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("rule_version", RULE_VERSION);
        body.put("event_id", delivery.eventId);
        if (delivery.senderClientId != null) {
            body.put("sender_client_id", delivery.senderClientId);
        } else {
            body.putNull("sender_client_id");
        }
        body.set("envelope", codec.toTree(delivery.envelope));
        return codec.writeTree(body);
    }

    /** On the dispatcher's thread: the delivery's outcome, its permits back, and what may start next. */
    private void completed(RuleLane lane, RuleLane.Delivery delivery, HttpResponse<Void> response, Throwable error) {
        lane.running--;
        lane.bulkhead.releasePermit();
        inFlight.release();
        WebhookStats stats = lane.rule.stats();
        int status = response == null ? 0 : response.statusCode();
        if (error == null && status >= 200 && status < 300) {
            stats.answered(status, null);
            stats.delivered.incrementAndGet();
        } else if (!closed && lane.rule.active()) {
            String problem = error != null ? describe(error) : "HTTP " + status;
            stats.answered(status, problem);
            stats.failed.incrementAndGet();
            log.atDebug()
                    .addKeyValue("event", "webhook_failed")
                    .addKeyValue("rule", lane.rule.id())
                    .addKeyValue("event_id", delivery.eventId)
                    .addKeyValue("attempts", delivery.attempts)
                    .addKeyValue("status", status)
                    .addKeyValue("msg", problem)
                    .log("webhook_failed");
        }
        finish(lane);
        drain(lane);
        RuleLane waitingForServer;
        while (inFlight.availablePermits() > 0 && (waitingForServer = starved.poll()) != null) {
            drain(waitingForServer);
        }
    }

    private void finish(RuleLane lane) {
        lane.rule.stats().pending.decrementAndGet();
        lane.size.decrementAndGet();
        outstanding.decrementAndGet();
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            scheduler.schedule(task, Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    static String describe(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        if (cause == null) {
            return "no answer";
        }
        String text = cause instanceof HttpTimeoutException ? "timeout: " + cause.getMessage()
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** Deliveries queued, under way or waiting for a retry, over all rules. */
    public int outstanding() {
        return outstanding.get();
    }

    /** Deliveries dropped because a queue was full, over all rules. */
    public long droppedTotal() {
        return droppedTotal.get();
    }

    /** Stops delivering: waiting deliveries and retries are abandoned, requests under way cancelled. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.shutdownNow();
        http.shutdownNow();
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lanes.clear();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
