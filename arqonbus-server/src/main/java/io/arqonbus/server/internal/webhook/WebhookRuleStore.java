package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where durable webhook rules are kept across restarts: a file in the file store's directory
 * ({@link WebhookRuleFile}) or the server's reserved key-value namespace in Redis
 * ({@link WebhookRulesInKeyValueStore}). With the memory default there is none: durable rules then
 * outlive their connection but not the process.
 *
 * <p>The document: {@code {"version":1,"rules":[StoredWebhookRule…]}}.
 */
public interface WebhookRuleStore {
    /** The format version this server writes and the newest it reads: {@value}. */
    int VERSION = 1;

    /** Rules in {@code webhook-rules.json} in this directory (the file store's). */
    static WebhookRuleStore inDirectory(java.nio.file.Path directory) {
        return new WebhookRuleFile(directory);
    }

    /** Rules in the server's reserved key-value namespace {@code arqonbus:webhooks} (Redis). */
    static WebhookRuleStore inKeyValueStore(io.arqonbus.server.internal.kv.KeyValueStore store) {
        return new WebhookRulesInKeyValueStore(store);
    }

    /** The stored rules; none when nothing was stored yet. */
    List<StoredWebhookRule> load() throws IOException;

    /** Replaces the stored rules with these. */
    void save(List<StoredWebhookRule> rules) throws IOException;

    /** Where the rules are kept, for log lines. */
    String where();

    /** The document holding these rules. */
    static byte[] write(ObjectMapper mapper, List<StoredWebhookRule> rules) throws IOException {
        return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(
                java.util.Map.of("version", VERSION, "rules", rules));
    }

    /** The rules of a document; an entry that cannot be read is logged and left out. */
    static List<StoredWebhookRule> read(ObjectMapper mapper, byte[] json) throws IOException {
        JsonNode root = mapper.readTree(json);
        if (root == null || !root.isObject()) {
            return List.of();
        }
        int version = root.path("version").asInt(VERSION);
        if (version > VERSION) {
            throw new IOException("webhook rule document version " + version + " is newer than this server reads ("
                    + VERSION + ")");
        }
        List<StoredWebhookRule> rules = new ArrayList<>();
        for (JsonNode rule : root.path("rules")) {
            try {
                rules.add(mapper.convertValue(rule, new TypeReference<StoredWebhookRule>() { }));
            } catch (IllegalArgumentException e) {
                Logger log = LoggerFactory.getLogger(WebhookRuleStore.class);
                log.warn("event=webhook_rule_not_restored rule={} msg=\"{}\"", rule.path("rule_id").asText(),
                        e.getMessage());
            }
        }
        return rules;
    }
}
