package io.arqonbus.server.internal.webhook;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.ExecutionContext;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import io.arqonbus.protocol.Envelope;
import io.arqonbus.server.config.WebhookSettings;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One rule's lane: its own queue, its bulkhead (requests at once), its circuit breaker and its
 * retry policy, all Failsafe policies, so a dead or slow endpoint holds only its own lane.
 *
 * <p>Retries: exponential backoff with full jitter (the wait before retry n is drawn uniformly in
 * {@code [0, min(max, initial × 2^(n-1))]}); a receiver's {@code Retry-After} replaces the draw (up
 * to the longest delay). Failures are no answer, 408, 429 and 5xx; any other answer is final.
 * Consecutive failures open the circuit; while it is open the lane starts nothing, and once its
 * delay has passed one delivery goes as the probe (half-open): a success closes it, a failure opens
 * it again. An attempt that meets the open circuit waits for it like a retry.
 */
final class RuleLane {
    private static final Logger log = LoggerFactory.getLogger(RuleLane.class);

    /** One event for this rule, through all its attempts. */
    static final class Delivery {
        final Envelope envelope;
        final String senderClientId;
        final String eventId;
        byte[] body;
        int attempts;

        Delivery(Envelope envelope, String senderClientId, String eventId) {
            this.envelope = envelope;
            this.senderClientId = senderClientId;
            this.eventId = eventId;
        }
    }

    final WebhookRule rule;
    final ConcurrentLinkedQueue<Delivery> waiting = new ConcurrentLinkedQueue<>();
    /** This rule's deliveries queued, under way or waiting for a retry. */
    final AtomicInteger size = new AtomicInteger();
    /** Deliveries started and not finished (their retry waits included); touched on the dispatcher's thread. */
    int running;
    final AtomicBoolean drainRequested = new AtomicBoolean();
    final AtomicBoolean overflowing = new AtomicBoolean();
    final Bulkhead<HttpResponse<Void>> bulkhead;
    final CircuitBreaker<HttpResponse<Void>> breaker;
    final FailsafeExecutor<HttpResponse<Void>> executor;
    private final WebhookSettings settings;
    private final Clock clock;

    /** @param stopped whether the dispatcher closed: retries are then abandoned */
    RuleLane(WebhookRule rule, WebhookSettings settings, Clock clock, ScheduledExecutorService scheduler,
            BooleanSupplier stopped) {
        this.rule = rule;
        this.settings = settings;
        this.clock = clock;
        this.bulkhead = Bulkhead.<HttpResponse<Void>>builder(settings.maxInFlightPerRule()).build();
        this.breaker = CircuitBreaker.<HttpResponse<Void>>builder()
                .handleIf((response, error) -> failed(response, error))
                .withFailureThreshold(settings.circuitFailureThreshold())
                .withSuccessThreshold(1)
                .withDelay(settings.circuitOpenDelay())
                .onOpen(e -> log.warn("event=webhook_circuit_open rule={} url={} msg=\"{} consecutive failures: "
                        + "deliveries wait {} s before a probe\"", rule.id(), rule.url(),
                        settings.circuitFailureThreshold(), settings.circuitOpenDelay().toMillis() / 1000.0))
                .onHalfOpen(e -> log.info("event=webhook_circuit_half_open rule={}", rule.id()))
                .onClose(e -> log.info("event=webhook_circuit_closed rule={}", rule.id()))
                .build();
        RetryPolicy<HttpResponse<Void>> retry = RetryPolicy.<HttpResponse<Void>>builder()
                .handleIf((response, error) -> failed(response, error))
                .abortIf((response, error) -> stopped.getAsBoolean() || !rule.active())
                .withMaxAttempts(settings.maxAttempts())
                .withDelayFn(this::delay)
                .onFailedAttempt(e -> {
                    if (!(e.getLastException() instanceof CircuitBreakerOpenException)) {
                        HttpResponse<Void> response = e.getLastResult();
                        rule.stats().answered(response == null ? 0 : response.statusCode(),
                                response == null ? WebhookDispatcher.describe(e.getLastException())
                                        : "HTTP " + response.statusCode());
                    }
                })
                .build();
        this.executor = Failsafe.with(retry, breaker).with(scheduler);
        rule.stats().circuitFrom(this::circuitState);
    }

    /** No answer, 408, 429 and 5xx are failures (retried, and counted by the circuit breaker). */
    static boolean failed(HttpResponse<Void> response, Throwable error) {
        if (error != null) {
            return true;
        }
        int status = response.statusCode();
        return status == 408 || status == 429 || status >= 500;
    }

    /** The wait before the next attempt. */
    private Duration delay(ExecutionContext<HttpResponse<Void>> context) {
        if (context.getLastException() instanceof CircuitBreakerOpenException) {
            Duration remaining = breaker.getRemainingDelay();
            return remaining.compareTo(settings.retryInitialDelay()) > 0 ? remaining : settings.retryInitialDelay();
        }
        HttpResponse<Void> response = context.getLastResult();
        if (response != null) {
            Duration asked = RetryAfter.parse(response.headers().firstValue("Retry-After"), clock.instant())
                    .orElse(null);
            if (asked != null) {
                return asked.compareTo(settings.retryMaxDelay()) > 0 ? settings.retryMaxDelay() : asked;
            }
        }
        long cap = settings.retryDelay(Math.max(1, context.getAttemptCount())).toMillis();
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(cap + 1));
    }

    /** {@code closed}, {@code open} or {@code half_open}. */
    String circuitState() {
        return switch (breaker.getState()) {
            case CLOSED -> "closed";
            case OPEN -> "open";
            case HALF_OPEN -> "half_open";
        };
    }

    /** The circuit state as a number for the gauge: 0 closed, 1 open, 2 half-open. */
    double circuitGauge() {
        return switch (breaker.getState()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }
}
