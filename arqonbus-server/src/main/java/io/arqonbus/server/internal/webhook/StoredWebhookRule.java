package io.arqonbus.server.internal.webhook;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * A durable rule as stored ({@link WebhookRuleStore}): everything needed to deliver again after a
 * restart, its secret included (the store is the server's own; protect its directory or Redis).
 */
record StoredWebhookRule(
        @JsonProperty("rule_id") String ruleId,
        @JsonProperty("url") String url,
        @JsonProperty("room") String room,
        @JsonProperty("channel") String channel,
        @JsonProperty("headers") Map<String, String> headers,
        @JsonProperty("timeout_ms") long timeoutMs,
        @JsonProperty("secret") String secret,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("owner_client_id") String ownerClientId,
        @JsonProperty("owner_subject") String ownerSubject,
        @JsonProperty("owner_role") String ownerRole,
        @JsonProperty("tenant") String tenant) {
}
