package io.arqonbus.server.internal.webhook;

import io.arqonbus.server.config.WebhookSettings;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.session.Session;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook lane: the rules, the dispatcher that sends to them, and their meters. Rules live in
 * memory until unregistered or until the connection that registered them closes (as the original).
 *
 * <p>Meters: {@code arqonbus.webhook.deliveries{rule_id, outcome=delivered|failed|retried|dropped}}
 * and {@code arqonbus.webhook.pending{rule_id}} per rule (removed with the rule),
 * {@code arqonbus.webhook.rules}, {@code arqonbus.webhook.queue.outstanding} and
 * {@code arqonbus.webhook.dropped} over all rules.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    private final WebhookSettings settings;
    private final WebhookRegistry registry;
    private final WebhookDispatcher dispatcher;
    private final MeterRegistry meters;
    private final Map<String, List<Meter>> ruleMeters = new ConcurrentHashMap<>();

    public Webhooks(WebhookSettings settings, EnvelopeCodec codec, Clock clock, MeterRegistry meters) {
        this.settings = settings;
        this.registry = new WebhookRegistry(settings);
        this.dispatcher = new WebhookDispatcher(registry, settings, codec, clock,
                Timer.builder("arqonbus.webhook.delivery.duration")
                        .description("Time from sending one webhook request to its answer or failure (each attempt)")
                        .serviceLevelObjectives(BusMetrics.LATENCY_BUCKETS.toArray(Duration[]::new)).register(meters));
        this.meters = meters;
        Gauge.builder("arqonbus.webhook.rules", registry, WebhookRegistry::size)
                .description("Webhook rules registered").register(meters);
        Gauge.builder("arqonbus.webhook.queue.outstanding", dispatcher, WebhookDispatcher::outstanding)
                .description("Webhook deliveries queued, under way or waiting for a retry").register(meters);
        FunctionCounter.builder("arqonbus.webhook.dropped", dispatcher, WebhookDispatcher::droppedTotal)
                .description("Webhook deliveries dropped because the delivery queue was full").register(meters);
    }

    public WebhookSettings settings() {
        return settings;
    }

    /** The listener to add to the hub. */
    public WebhookDispatcher dispatcher() {
        return dispatcher;
    }

    /** Adds a rule and its meters, or refuses it at a bound. */
    public void register(WebhookRule rule) throws WebhookLimitException {
        registry.add(rule);
        WebhookStats stats = rule.stats();
        List<Meter> list = new ArrayList<>();
        list.add(counter(rule, "delivered", s -> s.delivered.get()));
        list.add(counter(rule, "failed", s -> s.failed.get()));
        list.add(counter(rule, "retried", s -> s.retried.get()));
        list.add(counter(rule, "dropped", s -> s.dropped.get()));
        list.add(Gauge.builder("arqonbus.webhook.pending", stats, s -> s.pending.get())
                .description("Webhook deliveries of one rule queued, under way or waiting for a retry")
                .tag("rule_id", rule.id()).register(meters));
        ruleMeters.put(rule.id(), list);
        log.atDebug()
                .addKeyValue("event", "webhook_registered")
                .addKeyValue("rule", rule.id())
                .addKeyValue("owner", rule.owner().clientId())
                .addKeyValue("url", rule.url())
                .log("webhook_registered");
    }

    private Meter counter(WebhookRule rule, String outcome, ToDoubleFunction<WebhookStats> value) {
        return FunctionCounter.builder("arqonbus.webhook.deliveries", rule.stats(), value)
                .description("Webhook deliveries by rule and outcome")
                .tag("rule_id", rule.id()).tag("outcome", outcome).register(meters);
    }

    /** The rule with this id, or {@code null}. */
    public WebhookRule find(String id) {
        return registry.find(id);
    }

    /** Removes a rule and its meters; returns it, or {@code null}. */
    public WebhookRule unregister(String id) {
        WebhookRule rule = registry.remove(id);
        if (rule != null) {
            List<Meter> list = ruleMeters.remove(id);
            if (list != null) {
                list.forEach(meters::remove);
            }
            log.atDebug()
                    .addKeyValue("event", "webhook_unregistered")
                    .addKeyValue("rule", id)
                    .log("webhook_unregistered");
        }
        return rule;
    }

    /** The connection closed: its rules go (as the original). */
    public void ownerClosed(Session owner) {
        for (WebhookRule rule : registry.list(owner)) {
            unregister(rule.id());
        }
    }

    /** Every rule ({@code owner} null) or those of {@code owner}, oldest first. */
    public List<WebhookRule> list(Session owner) {
        return registry.list(owner);
    }

    /** Stops the dispatcher. */
    @Override
    public void close() {
        dispatcher.close();
    }
}
