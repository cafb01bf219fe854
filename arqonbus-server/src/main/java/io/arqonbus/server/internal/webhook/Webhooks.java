package io.arqonbus.server.internal.webhook;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.internal.tracing.BusTracing;
import io.arqonbus.server.config.ChannelPermissions;
import io.arqonbus.server.config.DeclaredWebhook;
import io.arqonbus.server.config.WebhookSettings;
import io.arqonbus.server.internal.auth.Grants;
import io.arqonbus.server.internal.auth.Principal;
import io.arqonbus.server.internal.session.Session;
import io.arqonbus.protocol.Timestamps;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook lane: the rules, the dispatcher that sends to them, and their meters. A connection's
 * rules live until unregistered or until the connection closes (as the original); an admin's
 * durable rules ({@code durable:true}) outlive it and are kept by the {@link WebhookRuleStore}
 * (saved off the event loops after every change, restored at start-up); the configuration file's
 * rules ({@link DeclaredWebhook}) are added at start-up.
 *
 * <p>Meters per rule (removed with the rule): {@code arqonbus.webhook.deliveries{rule_id,
 * outcome=delivered|failed|retried|dropped}}, {@code arqonbus.webhook.attempts{rule_id}},
 * {@code arqonbus.webhook.pending{rule_id}}, {@code arqonbus.webhook.queued{rule_id}} and
 * {@code arqonbus.webhook.circuit.state{rule_id}} (0 closed, 1 open, 2 half-open); over all rules
 * {@code arqonbus.webhook.rules}, {@code arqonbus.webhook.queue.outstanding} and
 * {@code arqonbus.webhook.dropped}.
 */
public final class Webhooks implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Webhooks.class);
    /** The prefix of the ids of the configuration file's rules. */
    public static final String CONFIG_PREFIX = "cfg_";
    private final WebhookSettings settings;
    private final WebhookRegistry registry;
    private final WebhookDispatcher dispatcher;
    private final MeterRegistry meters;
    private final Clock clock;
    private final WebhookRuleStore store;
    private final ExecutorService saver;
    private final Map<String, List<Meter>> ruleMeters = new ConcurrentHashMap<>();
    private final ObjectMapper mapper;
    /** The rules applied from other nodes of a cluster. */
    private final Set<String> copies = ConcurrentHashMap.newKeySet();
    private volatile WebhookRuleChanges changes = WebhookRuleChanges.NONE;
    private volatile ChannelPermissions permissions;

    /** @param store where durable rules are kept, or {@code null} (memory: not across restarts) */
    public Webhooks(WebhookSettings settings, EnvelopeCodec codec, Clock clock, MeterRegistry meters,
            WebhookRuleStore store) {
        this(settings, codec, clock, meters, store, BusTracing.off());
    }

    /** Like the other constructor, with a span for each delivery attempt (docs/operations.md#tracing). */
    public Webhooks(WebhookSettings settings, EnvelopeCodec codec, Clock clock, MeterRegistry meters,
            WebhookRuleStore store, BusTracing tracing) {
        this.settings = settings;
        this.registry = new WebhookRegistry(settings);
        this.dispatcher = new WebhookDispatcher(registry, settings, codec, clock,
                Timer.builder("arqonbus.webhook.delivery.duration")
                        .description("Time from sending one webhook request to its answer or failure (each attempt)")
                        .serviceLevelObjectives(BusMetrics.LATENCY_BUCKETS.toArray(Duration[]::new)).register(meters),
                tracing);
        this.meters = meters;
        this.clock = clock;
        this.store = store;
        this.mapper = codec.mapper();
        this.saver = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "arqonbus-webhook-store");
            thread.setDaemon(true);
            return thread;
        });
        Gauge.builder("arqonbus.webhook.rules", registry, WebhookRegistry::size)
                .description("Webhook rules registered").register(meters);
        Gauge.builder("arqonbus.webhook.queue.outstanding", dispatcher, WebhookDispatcher::outstanding)
                .description("Webhook deliveries queued, under way or waiting for a retry").register(meters);
        FunctionCounter.builder("arqonbus.webhook.dropped", dispatcher, WebhookDispatcher::droppedTotal)
                .description("Webhook deliveries dropped because a delivery queue was full").register(meters);
    }

    public Webhooks(WebhookSettings settings, EnvelopeCodec codec, Clock clock, MeterRegistry meters) {
        this(settings, codec, clock, meters, null);
    }

    public WebhookSettings settings() {
        return settings;
    }

    /** The listener to add to the hub. */
    public WebhookDispatcher dispatcher() {
        return dispatcher;
    }

    /** Whether durable rules are kept across restarts (a durable store is configured). */
    public boolean keepsDurableRules() {
        return store != null;
    }

    /**
     * At start-up: adds the configuration file's rules, then restores the stored durable ones.
     *
     * @param permissions the channel permissions restored rules deliver under, or {@code null}
     */
    public void start(ChannelPermissions permissions) {
        this.permissions = permissions;
        Instant now = clock.instant();
        for (DeclaredWebhook declared : settings.rules()) {
            WebhookRule rule = new WebhookRule(CONFIG_PREFIX + declared.id(), declared.url(), null, null, null,
                    WebhookRule.Origin.CONFIG, null, declared.room(), declared.channel(), declared.headers(),
                    declared.timeout(), now, declared.secret(), Grants.ALL);
            addQuietly(rule);
        }
        if (store == null) {
            return;
        }
        List<StoredWebhookRule> stored;
        try {
            stored = store.load();
        } catch (IOException e) {
            log.atError()
                    .addKeyValue("event", "webhook_rules_not_restored")
                    .addKeyValue("where", store.where())
                    .addKeyValue("msg", e.getMessage())
                    .log("webhook_rules_not_restored");
            return;
        }
        for (StoredWebhookRule s : stored) {
            try {
                Principal principal = new Principal(s.ownerSubject(), s.ownerRole(), s.tenant(), null);
                Grants grants = permissions == null ? Grants.ALL : Grants.of(permissions, principal);
                addQuietly(new WebhookRule(s.ruleId(), URI.create(s.url()), null, s.ownerClientId(), s.ownerSubject(),
                        WebhookRule.Origin.DURABLE, s.tenant(), s.room(), s.channel(),
                        s.headers() == null ? Map.of() : s.headers(), Duration.ofMillis(s.timeoutMs()),
                        Timestamps.parse(s.createdAt()), s.secret(), grants));
            } catch (RuntimeException e) {
                log.atWarn()
                        .addKeyValue("event", "webhook_rule_not_restored")
                        .addKeyValue("rule", s.ruleId())
                        .addKeyValue("msg", e.getMessage())
                        .log("webhook_rule_not_restored");
            }
        }
        log.atInfo()
                .addKeyValue("event", "webhook_rules_restored")
                .addKeyValue("count", stored.size())
                .addKeyValue("where", store.where())
                .log("webhook_rules_restored");
    }

    private void addQuietly(WebhookRule rule) {
        try {
            add(rule);
        } catch (WebhookLimitException e) {
            log.atWarn()
                    .addKeyValue("event", "webhook_rule_not_added")
                    .addKeyValue("rule", rule.id())
                    .addKeyValue("msg", e.getMessage())
                    .log("webhook_rule_not_added");
        }
    }

    /** Adds a rule and its meters, or refuses it at a bound; a durable rule is saved. */
    public void register(WebhookRule rule) throws WebhookLimitException {
        changes.checkAvailable();
        add(rule);
        if (rule.origin() == WebhookRule.Origin.DURABLE) {
            save();
        }
        changes.registered(rule.id(), shared(rule));
    }

    /** Tells {@code changes} of the rules registered and unregistered at run time. Set once, before traffic. */
    public void onChange(WebhookRuleChanges changes) {
        this.changes = changes;
    }

    /** A rule as {@link WebhookRuleChanges#registered} gives it to other nodes. */
    private String shared(WebhookRule rule) {
        String role = rule.owner() == null ? "admin" : rule.owner().principal().role();
        StoredWebhookRule s = new StoredWebhookRule(rule.id(), rule.url().toString(), rule.room(), rule.channel(),
                rule.headers(), rule.timeout().toMillis(), rule.secret(), Timestamps.format(rule.createdAt()),
                rule.ownerClientId(), rule.ownerSubject(), role, rule.tenant());
        ObjectNode tree = mapper.valueToTree(s);
        tree.put("origin", rule.origin().wireName());
        return tree.toString();
    }

    /**
     * Applies a rule another node of a cluster registered ({@code shared} as
     * {@link WebhookRuleChanges#registered} gave it): it then matches the publications this node
     * accepts. A rule this node already has is left as it is. Not told to the {@link #onChange}
     * listener; a refused or unreadable rule is logged.
     *
     * @return whether the rule was added
     */
    public boolean applyCopy(String shared) {
        try {
            ObjectNode tree = (ObjectNode) mapper.readTree(shared);
            WebhookRule.Origin origin = WebhookRule.Origin.valueOf(tree.path("origin").asText("connection")
                    .toUpperCase(Locale.ROOT));
            tree.remove("origin");
            StoredWebhookRule s = mapper.treeToValue(tree, StoredWebhookRule.class);
            if (registry.find(s.ruleId()) != null) {
                return false;
            }
            Principal principal = new Principal(s.ownerSubject(), s.ownerRole(), s.tenant(), null);
            ChannelPermissions granted = permissions;
            Grants grants = granted == null ? Grants.ALL : Grants.of(granted, principal);
            add(new WebhookRule(s.ruleId(), URI.create(s.url()), null, s.ownerClientId(), s.ownerSubject(), origin,
                    s.tenant(), s.room(), s.channel(), s.headers() == null ? Map.of() : s.headers(),
                    Duration.ofMillis(s.timeoutMs()), Timestamps.parse(s.createdAt()), s.secret(), grants));
            copies.add(s.ruleId());
            return true;
        } catch (JsonProcessingException | ClassCastException | WebhookLimitException | IllegalArgumentException e) {
            log.atWarn()
                    .addKeyValue("event", "webhook_copy_not_added")
                    .addKeyValue("msg", e.getMessage())
                    .log("webhook_copy_not_added");
            return false;
        }
    }

    /** Removes a rule another node of a cluster unregistered; not told to the {@link #onChange} listener. */
    public void removeCopy(String id) {
        remove(id, false);
    }

    /** The ids of the rules applied from other nodes. */
    public Set<String> copyIds() {
        return Set.copyOf(copies);
    }

    private void add(WebhookRule rule) throws WebhookLimitException {
        registry.add(rule);
        dispatcher.open(rule);
        RuleLane lane = dispatcher.lane(rule.id());
        WebhookStats stats = rule.stats();
        List<Meter> list = new ArrayList<>();
        list.add(counter(rule, "delivered", s -> s.delivered.get()));
        list.add(counter(rule, "failed", s -> s.failed.get()));
        list.add(counter(rule, "retried", s -> s.retried.get()));
        list.add(counter(rule, "dropped", s -> s.dropped.get()));
        list.add(FunctionCounter.builder("arqonbus.webhook.attempts", stats, s -> s.attempts.get())
                .description("Webhook HTTP requests made (first attempts and retries)")
                .tag("rule_id", rule.id()).register(meters));
        list.add(Gauge.builder("arqonbus.webhook.pending", stats, s -> s.pending.get())
                .description("Webhook deliveries of one rule queued, under way or waiting for a retry")
                .tag("rule_id", rule.id()).register(meters));
        list.add(Gauge.builder("arqonbus.webhook.queued", stats, s -> s.queued.get())
                .description("Webhook deliveries of one rule waiting for their first attempt")
                .tag("rule_id", rule.id()).register(meters));
        list.add(Gauge.builder("arqonbus.webhook.circuit.state", lane, RuleLane::circuitGauge)
                .description("A webhook rule's circuit: 0 closed, 1 open, 2 half-open")
                .tag("rule_id", rule.id()).register(meters));
        ruleMeters.put(rule.id(), list);
        log.atDebug()
                .addKeyValue("event", "webhook_registered")
                .addKeyValue("rule", rule.id())
                .addKeyValue("origin", rule.origin().wireName())
                .addKeyValue("owner", rule.ownerClientId())
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

    /** Removes a rule and its meters; returns it, or {@code null}. A durable rule's removal is saved. */
    public WebhookRule unregister(String id) {
        changes.checkAvailable();
        return remove(id, true);
    }

    private WebhookRule remove(String id, boolean tell) {
        WebhookRule rule = registry.remove(id);
        boolean copy = copies.remove(id);
        if (rule != null) {
            dispatcher.forget(rule);
            List<Meter> list = ruleMeters.remove(id);
            if (list != null) {
                list.forEach(meters::remove);
            }
            if (rule.origin() == WebhookRule.Origin.DURABLE && !copy) {
                save();
            }
            if (tell) {
                changes.unregistered(id);
            }
            log.atDebug()
                    .addKeyValue("event", "webhook_unregistered")
                    .addKeyValue("rule", id)
                    .log("webhook_unregistered");
        }
        return rule;
    }

    /** The connection closed: its rules go (as the original), but not its durable ones. */
    public void ownerClosed(Session owner) {
        for (WebhookRule rule : registry.list(owner)) {
            if (!rule.outlivesConnection()) {
                remove(rule.id(), true);
            }
        }
    }

    /** Every rule ({@code owner} null) or those of {@code owner}, oldest first. */
    public List<WebhookRule> list(Session owner) {
        return registry.list(owner);
    }

    /** Saves the durable rules as they are when the save runs, on the store's own thread. */
    private void save() {
        if (store == null) {
            return;
        }
        try {
            saver.execute(() -> {
                List<StoredWebhookRule> durable = registry.list(null).stream()
                        .filter(r -> r.origin() == WebhookRule.Origin.DURABLE)
                        .map(Webhooks::stored)
                        .toList();
                try {
                    store.save(durable);
                } catch (IOException e) {
                    log.atError()
                            .addKeyValue("event", "webhook_rules_not_saved")
                            .addKeyValue("where", store.where())
                            .addKeyValue("msg", e.getMessage())
                            .log("webhook_rules_not_saved");
                }
            });
        } catch (RejectedExecutionException e) {
            log.atWarn()
                    .addKeyValue("event", "webhook_rules_not_saved")
                    .addKeyValue("msg", "the server is stopping")
                    .log("webhook_rules_not_saved");
        }
    }

    private static StoredWebhookRule stored(WebhookRule r) {
        return new StoredWebhookRule(r.id(), r.url().toString(), r.room(), r.channel(), r.headers(),
                r.timeout().toMillis(), r.secret(), Timestamps.format(r.createdAt()), r.ownerClientId(),
                r.ownerSubject(), "admin", r.tenant());
    }

    /** Stops the dispatcher after the last save. */
    @Override
    public void close() {
        saver.shutdown();
        try {
            if (!saver.awaitTermination(10, TimeUnit.SECONDS)) {
                log.atWarn()
                        .addKeyValue("event", "webhook_rules_not_saved")
                        .addKeyValue("msg", "the last save did not finish in 10 s")
                        .log("webhook_rules_not_saved");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dispatcher.close();
    }
}
