package io.arqonbus.server.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.DeclaredWebhook;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code webhooks:} section of a configuration file: a list of rules
 * ({@link DeclaredWebhook}, whose Javadoc shows the shape). Every error names the file and the rule.
 */
final class WebhookRulesSection {
    private static final Set<String> KEYS = Set.of("id", "url", "room", "channel", "secret", "timeout_seconds",
            "headers");

    private WebhookRulesSection() {
    }

    static List<DeclaredWebhook> read(Path path, JsonNode node) {
        String where = "config file " + path + ": webhooks";
        if (!node.isArray()) {
            throw new ConfigException(where + " must be a list of rules {id, url, room?, channel?, secret, "
                    + "timeout_seconds?, headers?}");
        }
        List<DeclaredWebhook> rules = new ArrayList<>();
        int index = 0;
        for (JsonNode rule : node) {
            String at = where + "[" + index++ + "]";
            if (!rule.isObject()) {
                throw new ConfigException(at + " must be a mapping");
            }
            for (Map.Entry<String, JsonNode> field : rule.properties()) {
                if (!KEYS.contains(field.getKey())) {
                    throw new ConfigException(at + ": unknown key '" + field.getKey() + "' (expected: " + KEYS + ")");
                }
            }
            try {
                rules.add(new DeclaredWebhook(text(rule, "id", at), url(text(rule, "url", at), at),
                        text(rule, "room", at), text(rule, "channel", at), headers(rule.get("headers"), at),
                        timeout(rule.get("timeout_seconds"), at), text(rule, "secret", at)));
            } catch (ConfigException e) {
                throw new ConfigException("config file " + path + ": " + e.getMessage());
            }
        }
        return rules;
    }

    private static String text(JsonNode rule, String key, String at) {
        JsonNode value = rule.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new ConfigException(at + "." + key + " must be a plain value");
        }
        return value.asText();
    }

    private static URI url(String text, String at) {
        if (text == null) {
            throw new ConfigException(at + ".url is required");
        }
        try {
            return new URI(text.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException(at + ".url is not a URL: " + e.getReason());
        }
    }

    private static Duration timeout(JsonNode node, String at) {
        if (node == null || node.isNull()) {
            return Duration.ofSeconds(2);
        }
        if (!node.isNumber() || !(node.asDouble() > 0)) {
            throw new ConfigException(at + ".timeout_seconds must be a number of seconds greater than 0");
        }
        return Duration.ofMillis(Math.max(1, Math.round(node.asDouble() * 1000)));
    }

    private static Map<String, String> headers(JsonNode node, String at) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return headers;
        }
        if (!node.isObject()) {
            throw new ConfigException(at + ".headers must map header names to strings");
        }
        for (Map.Entry<String, JsonNode> header : node.properties()) {
            if (!header.getValue().isValueNode() || header.getValue().isNull()) {
                throw new ConfigException(at + ".headers." + header.getKey() + " must be a string");
            }
            headers.put(header.getKey(), header.getValue().asText());
        }
        return headers;
    }
}
