package io.arqonbus.server.internal.webhook;

import io.arqonbus.server.config.WebhookSettings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.protocol.EnvelopeCodec;
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
 * Sends publications to the webhook rules that match them, off the event loops.
 *
 * <p>As a {@link PublicationListener} it only matches rules (cheap comparisons) and queues one
 * delivery per matching rule; the JSON body, the signature and the HTTP request are made on the
 * dispatcher's own thread and sent with the JDK {@link HttpClient}'s {@code sendAsync}, at most
 * {@link WebhookSettings#maxInFlight()} at once. Deliveries waiting, under way or waiting for a
 * retry are bounded by {@link WebhookSettings#queueSize()}: past it a delivery is dropped, counted
 * and a WARN logged once per burst.
 *
 * <p>A 2xx answer delivers. No answer (refused connection, timeout), 408, 429 and 5xx are retried
 * after {@link WebhookSettings#retryDelay(int)} until {@link WebhookSettings#maxAttempts()}; any
 * other answer fails at once. Every attempt of one delivery carries the same
 * {@code X-ArqonBus-Event-Id} ({@code <envelope id>:<rule id>}), so a receiver that answered too
 * late deduplicates. Delivery is at least once within the retry budget, not ordered; nothing
 * survives a restart.
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
    private final WebhookSettings settings;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService worker;
    private final ScheduledExecutorService retries;
    private final ConcurrentLinkedQueue<Delivery> waiting = new ConcurrentLinkedQueue<>();
    private final Semaphore inFlight;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final AtomicBoolean overflowing = new AtomicBoolean();
    private volatile boolean closed;

    public WebhookDispatcher(WebhookRegistry registry, WebhookSettings settings, EnvelopeCodec codec, Clock clock,
            Timer attemptDuration) {
        this.attemptDuration = attemptDuration;
        this.registry = registry;
        this.settings = settings;
        this.codec = codec;
        this.clock = clock;
        this.inFlight = new Semaphore(settings.maxInFlight());
        this.worker = Executors.newSingleThreadExecutor(daemon("arqonbus-webhooks"));
        this.retries = Executors.newSingleThreadScheduledExecutor(daemon("arqonbus-webhook-retries"));
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** One event for one rule, through all its attempts. */
    private static final class Delivery {
        final WebhookRule rule;
        final Envelope envelope;
        final String senderClientId;
        final String eventId;
        byte[] body;
        int attempts;

        Delivery(WebhookRule rule, Envelope envelope, String senderClientId) {
            this.rule = rule;
            this.envelope = envelope;
            this.senderClientId = senderClientId;
            this.eventId = envelope.id() + ":" + rule.id();
        }
    }

    @Override
    public void published(Envelope delivered, Session sender) {
        if (closed || registry.isEmpty()) {
            return;
        }
        String senderId = sender != null ? sender.clientId() : delivered.sender();
        for (WebhookRule rule : registry.all()) {
            if (rule.matches(delivered, sender)) {
                admit(new Delivery(rule, delivered, senderId));
            }
        }
    }

    private void admit(Delivery delivery) {
        WebhookStats stats = delivery.rule.stats();
        if (outstanding.incrementAndGet() > settings.queueSize()) {
            outstanding.decrementAndGet();
            stats.dropped.incrementAndGet();
            droppedTotal.incrementAndGet();
            if (overflowing.compareAndSet(false, true)) {
                log.atWarn()
                        .addKeyValue("event", "webhook_queue_full")
                        .addKeyValue("code", "RATE_LIMITED")
                        .addKeyValue("queue_size", settings.queueSize())
                        .addKeyValue("rule", delivery.rule.id())
                        .addKeyValue("msg", "Webhook deliveries are dropped until the queue drains; "
                                + "counted per rule as dropped")
                        .log("webhook_queue_full");
            }
            return;
        }
        if (overflowing.get() && overflowing.compareAndSet(true, false)) {
            log.atInfo()
                    .addKeyValue("event", "webhook_queue_drained")
                    .addKeyValue("dropped_total", droppedTotal.get())
                    .log("webhook_queue_drained");
        }
        stats.pending.incrementAndGet();
        waiting.add(delivery);
        drain();
    }

    /** Starts waiting deliveries while permits are free; bounded by the in-flight limit. */
    private void drain() {
        for (int i = 0; i < settings.maxInFlight(); i++) {
            if (waiting.isEmpty() || !inFlight.tryAcquire()) {
                return;
            }
            Delivery next = waiting.poll();
            if (next == null) {
                inFlight.release();
                continue;
            }
            try {
                worker.execute(() -> attempt(next));
            } catch (RejectedExecutionException e) {
                inFlight.release();
                finish(next);
                return;
            }
        }
    }

    private void attempt(Delivery delivery) {
        WebhookRule rule = delivery.rule;
        if (closed || !rule.active()) {
            inFlight.release();
            finish(delivery);
            drain();
            return;
        }
        HttpRequest request;
        try {
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
            request = builder
                    .header(EVENT_ID_HEADER, delivery.eventId)
                    .header(TIMESTAMP_HEADER, timestamp)
                    .header(SIGNATURE_HEADER, Signature.sign(rule.secret(), timestamp, delivery.body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body))
                    .build();
        } catch (RuntimeException e) {
            inFlight.release();
            giveUp(delivery, 0, "request not built: " + e.getMessage());
            drain();
            return;
        }
        delivery.attempts++;
        try {
            long sent = System.nanoTime();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        attemptDuration.record(System.nanoTime() - sent, TimeUnit.NANOSECONDS);
                        answered(delivery, response, error);
                    });
        } catch (RuntimeException e) {
            answered(delivery, null, e);
        }
    }

    private byte[] body(Delivery delivery) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("rule_version", RULE_VERSION);
        if (delivery.senderClientId != null) {
            body.put("sender_client_id", delivery.senderClientId);
        } else {
            body.putNull("sender_client_id");
        }
        body.set("envelope", codec.toTree(delivery.envelope));
        return codec.writeTree(body);
    }

    private void answered(Delivery delivery, HttpResponse<Void> response, Throwable error) {
        inFlight.release();
        try {
            WebhookStats stats = delivery.rule.stats();
            int status = response == null ? 0 : response.statusCode();
            if (error == null && status >= 200 && status < 300) {
                stats.answered(status, null);
                stats.delivered.incrementAndGet();
                finish(delivery);
                return;
            }
            String problem = error != null ? describe(error) : "HTTP " + status;
            boolean retryable = error != null || status == 408 || status == 429 || status >= 500;
            if (retryable && delivery.attempts < settings.maxAttempts() && !closed && delivery.rule.active()) {
                stats.answered(status, problem);
                retry(delivery);
            } else {
                giveUp(delivery, status, problem);
            }
        } finally {
            drain();
        }
    }

    private void retry(Delivery delivery) {
        Duration delay = settings.retryDelay(delivery.attempts);
        try {
            retries.schedule(() -> {
                delivery.rule.stats().retried.incrementAndGet();
                waiting.add(delivery);
                drain();
            }, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            finish(delivery);
        }
    }

    private void giveUp(Delivery delivery, int status, String problem) {
        WebhookStats stats = delivery.rule.stats();
        stats.answered(status, problem);
        stats.failed.incrementAndGet();
        finish(delivery);
        log.atDebug()
                .addKeyValue("event", "webhook_failed")
                .addKeyValue("rule", delivery.rule.id())
                .addKeyValue("event_id", delivery.eventId)
                .addKeyValue("attempts", delivery.attempts)
                .addKeyValue("status", status)
                .addKeyValue("msg", problem)
                .log("webhook_failed");
    }

    private void finish(Delivery delivery) {
        delivery.rule.stats().pending.decrementAndGet();
        outstanding.decrementAndGet();
    }

    private static String describe(Throwable error) {
        Throwable cause = Failures.unwrap(error);
        String text = cause instanceof HttpTimeoutException ? "timeout: " + cause.getMessage()
                : cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
        return text.length() > MAX_ERROR_LENGTH ? text.substring(0, MAX_ERROR_LENGTH) : text;
    }

    /** Deliveries queued, under way or waiting for a retry, over all rules. */
    public int outstanding() {
        return outstanding.get();
    }

    /** Deliveries dropped because the queue was full, over all rules. */
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
        retries.shutdownNow();
        http.shutdownNow();
        worker.shutdownNow();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        waiting.clear();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }
}
