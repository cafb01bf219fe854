package io.arqonbus.server.internal.webhook;

import io.arqonbus.server.config.WebhookSettings;

import io.arqonbus.server.internal.session.Session;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The registered rules, bounded in total and per owning connection. Thread-safe; the
 * dispatcher iterates {@link #all()} for every publication, so reads take no lock.
 */
public final class WebhookRegistry {
    private final WebhookSettings settings;
    private final ConcurrentHashMap<String, WebhookRule> rules = new ConcurrentHashMap<>();
    private final Object writes = new Object();

    public WebhookRegistry(WebhookSettings settings) {
        this.settings = settings;
    }

    /** Adds a rule, or refuses it when a bound is reached. */
    public void add(WebhookRule rule) throws WebhookLimitException {
        synchronized (writes) {
            if (rules.size() >= settings.maxRules()) {
                throw new WebhookLimitException("The server holds the maximum of " + settings.maxRules()
                        + " webhook rules (ARQONBUS_WEBHOOK_MAX_RULES)");
            }
            long owned = rule.owner() == null ? 0
                    : rules.values().stream().filter(r -> r.owner() == rule.owner()).count();
            if (owned >= settings.maxRulesPerClient()) {
                throw new WebhookLimitException("This connection holds the maximum of " + settings.maxRulesPerClient()
                        + " webhook rules (ARQONBUS_WEBHOOK_MAX_RULES_PER_CLIENT)");
            }
            rules.put(rule.id(), rule);
        }
    }

    /** The rule with this id, or {@code null}. */
    public WebhookRule find(String id) {
        return rules.get(id);
    }

    /** Removes a rule; its queued deliveries are dropped. Returns it, or {@code null}. */
    public WebhookRule remove(String id) {
        WebhookRule rule;
        synchronized (writes) {
            rule = rules.remove(id);
        }
        if (rule != null) {
            rule.deactivate();
        }
        return rule;
    }

    /** Removes every rule {@code owner} registered that does not outlive it; returns them. */
    public List<WebhookRule> removeOwnedBy(Session owner) {
        List<WebhookRule> removed = new ArrayList<>();
        for (WebhookRule rule : rules.values()) {
            if (rule.owner() == owner && !rule.outlivesConnection() && remove(rule.id()) != null) {
                removed.add(rule);
            }
        }
        return removed;
    }

    /** Every rule (a live view). */
    public Collection<WebhookRule> all() {
        return rules.values();
    }

    /** Every rule, or those of {@code owner}, oldest first. */
    public List<WebhookRule> list(Session owner) {
        return rules.values().stream()
                .filter(r -> owner == null || r.owner() == owner)
                .sorted(Comparator.comparing(WebhookRule::createdAt).thenComparing(WebhookRule::id))
                .toList();
    }

    /** How many rules there are. */
    public int size() {
        return rules.size();
    }

    /** Whether there are none (checked per publication: the fast path). */
    public boolean isEmpty() {
        return rules.isEmpty();
    }
}
