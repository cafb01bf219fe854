package io.arqonbus.server.config;

import java.time.Duration;

/**
 * The bounds and retry policy of webhook delivery.
 *
 * @param maxRules          rules on the server at most
 * @param maxRulesPerClient rules one connection may own at most
 * @param queueSize         deliveries waiting, in flight or waiting for a retry at most; more are dropped
 * @param maxInFlight       HTTP requests under way at once at most
 * @param maxAttempts       attempts per delivery (the first one included)
 * @param retryInitialDelay the wait before the first retry; it doubles at each further retry
 * @param retryMaxDelay     the longest wait between two attempts (it caps the initial delay too)
 * @param maxTimeout        the largest {@code timeout_seconds} a rule may ask for
 */
public record WebhookSettings(int maxRules, int maxRulesPerClient, int queueSize, int maxInFlight, int maxAttempts,
        Duration retryInitialDelay, Duration retryMaxDelay, Duration maxTimeout) {
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
    }

    /** The defaults. */
    public static WebhookSettings defaults() {
        return new WebhookSettings(DEFAULT_MAX_RULES, DEFAULT_MAX_RULES_PER_CLIENT, DEFAULT_QUEUE_SIZE,
                DEFAULT_MAX_IN_FLIGHT, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_INITIAL_DELAY, DEFAULT_RETRY_MAX_DELAY,
                DEFAULT_MAX_TIMEOUT);
    }

    public WebhookSettings withMaxRules(int v) {
        return new WebhookSettings(v, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout);
    }

    public WebhookSettings withMaxRulesPerClient(int v) {
        return new WebhookSettings(maxRules, v, queueSize, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout);
    }

    public WebhookSettings withQueueSize(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, v, maxInFlight, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout);
    }

    public WebhookSettings withMaxInFlight(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, v, maxAttempts, retryInitialDelay,
                retryMaxDelay, maxTimeout);
    }

    public WebhookSettings withMaxAttempts(int v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, v, retryInitialDelay,
                retryMaxDelay, maxTimeout);
    }

    public WebhookSettings withRetryInitialDelay(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts, v,
                retryMaxDelay, maxTimeout);
    }

    public WebhookSettings withRetryMaxDelay(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts,
                retryInitialDelay, v, maxTimeout);
    }

    public WebhookSettings withMaxTimeout(Duration v) {
        return new WebhookSettings(maxRules, maxRulesPerClient, queueSize, maxInFlight, maxAttempts,
                retryInitialDelay, retryMaxDelay, v);
    }

    /** The wait before attempt {@code attempt + 1}, after {@code attempt} failed attempts (≥ 1). */
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
