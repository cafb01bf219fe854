package io.arqonbus.server.config;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bounds, retry policy, circuit breaker and bulkhead of webhook delivery, and the rules the
 * configuration file declares.
 *
 * @param maxRules                rules on the server at most
 * @param maxRulesPerClient       rules one connection may own at most
 * @param queueSize               deliveries waiting, in flight or waiting for a retry at most, over all
 *                                rules; more are dropped
 * @param maxInFlight             HTTP requests under way at once at most, over all rules
 * @param maxAttempts             attempts per delivery (the first one included)
 * @param retryInitialDelay       the cap of the wait before the first retry; it doubles at each further
 *                                retry, and the wait is drawn at random below the cap (full jitter)
 * @param retryMaxDelay           the longest wait between two attempts (it caps the initial delay and a
 *                                receiver's {@code Retry-After} too)
 * @param maxTimeout              the largest {@code timeout_seconds} a rule may ask for
 * @param queueSizePerRule        deliveries of one rule waiting, in flight or waiting for a retry at most;
 *                                more of that rule's are dropped (a dead endpoint fills only its own)
 * @param maxInFlightPerRule      HTTP requests of one rule under way at once at most (its bulkhead)
 * @param circuitFailureThreshold consecutive failed attempts of one rule that open its circuit
 * @param circuitOpenDelay        how long an open circuit holds the rule's deliveries before one probe
 *                                (half-open) is let through
 * @param rules                   the rules of the configuration file ({@code webhooks:}); they fire from
 *                                start-up, belong to no connection and cannot be unregistered
 */
public record WebhookSettings(int maxRules,
        int maxRulesPerClient,
        int queueSize,
        int maxInFlight,
        int maxAttempts,
        Duration retryInitialDelay,
        Duration retryMaxDelay,
        Duration maxTimeout,
        int queueSizePerRule,
        int maxInFlightPerRule,
        int circuitFailureThreshold,
        Duration circuitOpenDelay,
        List<DeclaredWebhook> rules) {
    public static final int DEFAULT_MAX_RULES = 1_000;
    public static final int DEFAULT_MAX_RULES_PER_CLIENT = 100;
    public static final int DEFAULT_QUEUE_SIZE = 10_000;
    public static final int DEFAULT_MAX_IN_FLIGHT = 64;
    public static final int DEFAULT_MAX_ATTEMPTS = 6;
    public static final Duration DEFAULT_RETRY_INITIAL_DELAY = Duration.ofMillis(500);
    public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_MAX_TIMEOUT = Duration.ofSeconds(30);
    /** The per-rule timeout when {@code timeout_seconds} is absent: 2 s, as the original. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_QUEUE_SIZE_PER_RULE = 1_000;
    public static final int DEFAULT_MAX_IN_FLIGHT_PER_RULE = 8;
    public static final int DEFAULT_CIRCUIT_FAILURE_THRESHOLD = 10;
    public static final Duration DEFAULT_CIRCUIT_OPEN_DELAY = Duration.ofSeconds(30);

    public WebhookSettings {
        check(maxRules > 0, "webhook max rules: " + maxRules + " (expected: > 0)");
        check(maxRulesPerClient > 0, "webhook max rules per client: " + maxRulesPerClient + " (expected: > 0)");
        check(queueSize > 0, "webhook queue size: " + queueSize + " (expected: > 0)");
        check(maxInFlight > 0 && maxInFlight <= 10_000, "webhook max in flight: " + maxInFlight
                + " (expected: 1-10000)");
        check(maxAttempts >= 1 && maxAttempts <= 100, "webhook max attempts: " + maxAttempts + " (expected: 1-100)");
        check(retryInitialDelay.isPositive(), "webhook retry initial delay: " + retryInitialDelay + " (expected: > 0)");
        check(retryMaxDelay.isPositive(), "webhook retry max delay: " + retryMaxDelay + " (expected: > 0)");
        check(maxTimeout.isPositive() && maxTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
                "webhook max timeout: " + maxTimeout + " (expected: > 0 and <= 600 seconds)");
        check(queueSizePerRule > 0, "webhook queue size per rule: " + queueSizePerRule + " (expected: > 0)");
        check(maxInFlightPerRule > 0 && maxInFlightPerRule <= 10_000, "webhook max in flight per rule: "
                + maxInFlightPerRule + " (expected: 1-10000)");
        check(circuitFailureThreshold > 0 && circuitFailureThreshold <= 10_000, "webhook circuit failure threshold: "
                + circuitFailureThreshold + " (expected: 1-10000)");
        check(circuitOpenDelay.isPositive(), "webhook circuit open delay: " + circuitOpenDelay + " (expected: > 0)");
        rules = List.copyOf(rules);
        Set<String> ids = new HashSet<>();
        for (DeclaredWebhook rule : rules) {
            check(ids.add(rule.id()), "webhooks: rule id '" + rule.id() + "' is declared twice");
            check(rule.timeout().compareTo(maxTimeout) <= 0, "webhooks: rule '" + rule.id() + "': timeout "
                    + rule.timeout() + " is over the largest rule timeout " + maxTimeout);
        }
    }

    /** The defaults. */
    public static WebhookSettings defaults() {
        return new WebhookSettings(DEFAULT_MAX_RULES, DEFAULT_MAX_RULES_PER_CLIENT, DEFAULT_QUEUE_SIZE,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_INITIAL_DELAY, DEFAULT_RETRY_MAX_DELAY,
                DEFAULT_MAX_TIMEOUT, DEFAULT_QUEUE_SIZE_PER_RULE, DEFAULT_MAX_IN_FLIGHT_PER_RULE,
                DEFAULT_CIRCUIT_FAILURE_THRESHOLD, DEFAULT_CIRCUIT_OPEN_DELAY, List.of());
    }

    public WebhookSettings withMaxRules(int v) {
        return new WebhookSettings(v, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withMaxRulesPerClient(int v) {
        return new WebhookSettings(maxRules, v, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withQueueSize(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, v, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withMaxInFlight(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, v, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withMaxAttempts(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, v, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withRetryInitialDelay(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, v,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withRetryMaxDelay(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                v, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withMaxTimeout(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, v, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withQueueSizePerRule(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, v, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withMaxInFlightPerRule(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, v, circuitFailureThreshold, circuitOpenDelay, rules);
    }

    public WebhookSettings withCircuitFailureThreshold(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, v, circuitOpenDelay, rules);
    }

    public WebhookSettings withCircuitOpenDelay(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, v, rules);
    }

    public WebhookSettings withRules(List<DeclaredWebhook> v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout, queueSizePerRule, maxInFlightPerRule, circuitFailureThreshold, circuitOpenDelay, v);
    }
    /**
     * The cap of the wait before attempt {@code attempt + 1}, after {@code attempt} failed attempts
     * (≥ 1): the initial delay doubled {@code attempt - 1} times, at most the longest delay. The
     * wait itself is drawn uniformly below it (full jitter).
     */
    public Duration retryDelay(int attempt) {
        long initial = retryInitialDelay.toMillis();
        long max = retryMaxDelay.toMillis();
        int doublings = Math.min(attempt - 1, 30);
        long delay = initial << doublings;
        return Duration.ofMillis(delay <= 0 || delay > max ? max : delay);
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new ConfigException(problem);
        }
    }
}
