package io.arqonbus.server.internal.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.config.ChannelSlowConsumerPolicy;
import io.arqonbus.server.internal.channel.ChannelKey;
import io.arqonbus.server.internal.cron.CronScheduler;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.inspect.CasilCommands;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.webhook.Webhooks;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the control plane's changes from other nodes ({@link ClusterControl}) to this node's hub,
 * CASIL policy and webhook rules: one change, or the whole state. Each is idempotent: a channel that
 * exists is not made again, a missing one is not deleted, a rule this node has is not added twice,
 * the policy in force is not put in force again. Called on the control plane's one thread, but for
 * the {@code announced…} methods.
 */
final class ControlApplier {
    private static final Logger log = LoggerFactory.getLogger(ControlApplier.class);

    private final Hub hub;
    private final CasilPolicyHolder casil;
    private final Webhooks webhooks;
    private final CronScheduler cron;
    private final ObjectMapper mapper;
    /** The rules of connections on other nodes this node holds copies of: rule id → the owner's node. */
    private final Map<String, String> connectionRules = new ConcurrentHashMap<>();
    /** The channels of the cluster's state as this node knows them. */
    private final Set<ChannelKey> shared = ConcurrentHashMap.newKeySet();
    private volatile String casilApplied = "";

    ControlApplier(Hub hub, CasilPolicyHolder casil, Webhooks webhooks, CronScheduler cron, ObjectMapper mapper) {
        this.cron = cron;
        this.hub = hub;
        this.casil = casil;
        this.webhooks = webhooks;
        this.mapper = mapper;
    }

    /** This node announced a channel it created ({@code created}) or deleted. */
    void announced(ChannelKey key, boolean created) {
        if (created) {
            shared.add(key);
        } else {
            shared.remove(key);
        }
    }

    /** This node announced the policy it reloaded. */
    void announcedCasil(String snapshot) {
        casilApplied = snapshot;
    }

    /** Applies one change another node made. */
    void apply(ControlChange change) {
        try {
            switch (change.kind()) {
                case ClusterControl.CHANNEL_CREATED -> createChannel(mapper.readTree(change.value()), change.node());
                case ClusterControl.CHANNEL_DELETED -> deleteChannel(change.field(), change.node());
                case ClusterControl.WEBHOOK_REGISTERED -> applyRule(change.field(), change.value());
                case ClusterControl.WEBHOOK_UNREGISTERED -> removeRule(change.field());
                case ClusterControl.CASIL_RELOADED -> applyCasil(change.value(), change.node());
                case ClusterControl.CRON_SCHEDULED -> cron.applyCopy(change.value());
                case ClusterControl.CRON_CANCELLED -> cron.removeCopy(change.field());
                case ClusterControl.CRON_FINISHED -> {
                    // every node finishes the job by itself
                }
                default -> log.atWarn().addKeyValue("event", "control_change_unknown")
                        .addKeyValue("change", change.kind()).addKeyValue("from", change.node())
                        .log("control_change_unknown");
            }
        } catch (Exception e) {
            notApplied(change.kind(), change.field(), e);
        }
    }

    private static void notApplied(String kind, String field, Exception e) {
        log.atWarn()
                .addKeyValue("event", "control_change_not_applied")
                .addKeyValue("change", kind)
                .addKeyValue("field", field)
                .addKeyValue("msg", e.getMessage())
                .log("control_change_not_applied");
    }

    /**
     * Adds a copy of a rule as the state holds it: the rule with {@code node}, the node its owner
     * connection is on (absent in a state written before it was shared), which the copy leaves out.
     */
    private void applyRule(String id, String value) {
        try {
            ObjectNode tree = (ObjectNode) mapper.readTree(value);
            JsonNode node = tree.remove("node");
            String ruleId = id != null ? id : tree.path("rule_id").asText(null);
            if (node != null && ruleId != null && "connection".equals(tree.path("origin").asText())) {
                connectionRules.put(ruleId, node.asText());
            }
            webhooks.applyCopy(tree.toString());
        } catch (Exception e) {
            notApplied(ClusterControl.WEBHOOK_REGISTERED, id, e);
        }
    }

    private void removeRule(String id) {
        connectionRules.remove(id);
        webhooks.removeCopy(id);
    }

    /** The rules of connections on other nodes this node holds: rule id → the owner's node. */
    Map<String, String> connectionRules() {
        return Map.copyOf(connectionRules);
    }

    /** A rule whose owner's node is gone was removed from the state: its copy goes here too. */
    void ownerNodeGone(String id) {
        removeRule(id);
    }

    private void createChannel(JsonNode value, String from) {
        ChannelKey key = ChannelKey.of(value.path("room").asText(), value.path("channel").asText());
        Set<String> admitted = null;
        if (value.has("members")) {
            admitted = new LinkedHashSet<>();
            for (JsonNode member : value.path("members")) {
                admitted.add(member.asText());
            }
        }
        // Absent in a state written before the policy was shared: the configured patterns' then.
        ChannelSlowConsumerPolicy slowConsumer = ChannelSlowConsumerPolicy.ofWireName(
                value.path("slow_consumer").asText(""));
        shared.add(key);
        if (hub.createCopy(key, value.path("created_by").asText(null), admitted, slowConsumer)) {
            log.atInfo().addKeyValue("event", "control_channel_created").addKeyValue("room", key.room())
                    .addKeyValue("channel", key.channel()).addKeyValue("from", from).log("control_channel_created");
        }
    }

    private void deleteChannel(String field, String from) {
        ChannelKey key = keyOf(field);
        if (key == null) {
            return;
        }
        shared.remove(key);
        Hub.DeleteOutcome outcome = hub.deleteCopy(key);
        if (outcome == Hub.DeleteOutcome.NOT_EMPTY) {
            log.atWarn().addKeyValue("event", "control_channel_kept").addKeyValue("room", key.room())
                    .addKeyValue("channel", key.channel()).addKeyValue("from", from)
                    .addKeyValue("msg", "deleted on another node, kept here: it has members or is bootstrapped")
                    .log("control_channel_kept");
        } else if (outcome == Hub.DeleteOutcome.DELETED) {
            log.atInfo().addKeyValue("event", "control_channel_deleted").addKeyValue("room", key.room())
                    .addKeyValue("channel", key.channel()).addKeyValue("from", from).log("control_channel_deleted");
        }
    }

    /** The channel a field of the channels hash names ({@link ClusterControl#field}), or {@code null}. */
    static ChannelKey keyOf(String field) {
        int colon = field.indexOf(':');
        try {
            int length = Integer.parseInt(field.substring(0, colon));
            String room = field.substring(colon + 1, colon + 1 + length);
            return ChannelKey.of(room, field.substring(colon + 2 + length));
        } catch (RuntimeException e) {
            return null;
        }
    }

    private void applyCasil(String snapshot, String from) throws Exception {
        if (snapshot.isEmpty() || snapshot.equals(casilApplied)) {
            return;
        }
        try {
            CasilCommands.apply(casil, (ObjectNode) mapper.readTree(snapshot), from);
            casilApplied = snapshot;
        } catch (CasilPolicyException e) {
            throw new IllegalArgumentException(String.join("; ", e.problems()), e);
        }
    }

    /**
     * Applies the whole state as {@link ClusterControl#STATE} reads it. A state whose version is
     * older than {@code applied} (Redis lost its data) only adds: nothing is deleted because it is
     * missing.
     *
     * @return the state's version
     */
    long applyState(List<Object> state, long applied) {
        long version = Long.parseLong(String.valueOf(state.get(0)));
        Map<String, String> channels = pairs(state.get(1));
        Map<String, String> rules = pairs(state.get(2));
        String policy = String.valueOf(state.get(3));
        Map<String, String> jobs = state.size() > 4 ? pairs(state.get(4)) : Map.of();
        boolean wentBack = version < applied;
        if (wentBack) {
            log.atWarn()
                    .addKeyValue("event", "control_state_reset")
                    .addKeyValue("version", version)
                    .addKeyValue("was", applied)
                    .addKeyValue("msg", "the cluster's control state went back (Redis lost its data); nothing is deleted")
                    .log("control_state_reset");
        }
        Set<ChannelKey> present = new HashSet<>();
        for (Map.Entry<String, String> entry : channels.entrySet()) {
            try {
                JsonNode value = mapper.readTree(entry.getValue());
                present.add(ChannelKey.of(value.path("room").asText(), value.path("channel").asText()));
                createChannel(value, "state");
            } catch (Exception e) {
                notApplied(ClusterControl.CHANNEL_CREATED, entry.getKey(), e);
            }
        }
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            applyRule(rule.getKey(), rule.getValue());
        }
        for (String job : jobs.values()) {
            cron.applyCopy(job);
        }
        if (!wentBack) {
            for (String id : cron.copyIds()) {
                if (!jobs.containsKey(id)) {
                    cron.removeCopy(id);
                }
            }
            for (ChannelKey key : Set.copyOf(shared)) {
                if (!present.contains(key)) {
                    deleteChannel(ClusterControl.field(key), "state");
                }
            }
            for (String id : webhooks.copyIds()) {
                if (!rules.containsKey(id)) {
                    removeRule(id);
                }
            }
        }
        try {
            applyCasil(policy, "state");
        } catch (Exception e) {
            notApplied(ClusterControl.CASIL_RELOADED, "policy", e);
        }
        log.atDebug().addKeyValue("event", "control_state_loaded").addKeyValue("version", version)
                .addKeyValue("channels", channels.size()).addKeyValue("webhooks", rules.size())
                .log("control_state_loaded");
        return version;
    }

    private static Map<String, String> pairs(Object reply) {
        Map<String, String> out = new HashMap<>();
        if (reply instanceof List<?> list) {
            for (int i = 0; i + 1 < list.size(); i += 2) {
                out.put(String.valueOf(list.get(i)), String.valueOf(list.get(i + 1)));
            }
        }
        return out;
    }
}
