package io.arqonbus.server.internal.config;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.DeclaredWebhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.arqonbus.server.config.ChannelAction;
import io.arqonbus.server.config.ChannelPermissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A configuration file (YAML, or JSON, which is YAML too). Every {@code ARQONBUS_X_Y} variable can
 * be written in it as {@code x_y: value} (lists are joined with commas), and it holds what has no
 * variable: the channel {@code permissions} and the {@code webhooks} rules ({@link DeclaredWebhook}). Precedence: flags &gt; environment &gt; file &gt;
 * defaults. The keys are those of the {@link Setting} table; an unknown key is refused with the
 * nearest known one, and every error names the file and the key.
 *
 * <pre>
 * server_port: 9100
 * max_history_size: 5000
 * permissions:
 *   anonymous_role: user          # role of connections without a token
 *   roles:
 *     admin: {subscribe: ["*"], publish: ["*"], history: ["*"]}
 *     user:
 *       subscribe: ["science:*", "tenant-{tenant}:*", "inbox:{sub}"]
 *       publish: ["science:*"]
 *       history: ["science:*"]
 * </pre>
 */
public final class ConfigFile {
    private static final String PERMISSIONS = "permissions";
    private static final String WEBHOOKS = "webhooks";
    private final Path path;
    private final Map<String, String> settings;
    private final ChannelPermissions permissions;
    private final List<DeclaredWebhook> webhooks;

    private ConfigFile(Path path, Map<String, String> settings, ChannelPermissions permissions,
            List<DeclaredWebhook> webhooks) {
        this.path = path;
        this.settings = settings;
        this.permissions = permissions;
        this.webhooks = webhooks;
    }

    /**
     * Reads and checks a file.
     *
     * @throws ConfigException when it cannot be read or a value has the wrong shape
     */
    public static ConfigFile load(Path path) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new ConfigException("config file " + path + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new ConfigFile(path, Map.of(), null, List.of());
        }
        if (!root.isObject()) {
            throw new ConfigException("config file " + path + ": expected a mapping of settings");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        ChannelPermissions permissions = null;
        List<DeclaredWebhook> webhooks = List.of();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.equals(PERMISSIONS)) {
                permissions = permissions(path, value);
            } else if (key.equals(WEBHOOKS)) {
                webhooks = WebhookRulesSection.read(path, value);
            } else if (Setting.byFileKey(key).isPresent()) {
                settings.put(Setting.envVar(key), scalar(path, key, value));
            } else {
                throw unknownKey(path, key);
            }
        }
        return new ConfigFile(path, Map.copyOf(settings), permissions, webhooks);
    }

    /** An unknown key, with the nearest known one when there is one close enough to be a typo. */
    private static ConfigException unknownKey(Path path, String key) {
        List<String> known = new ArrayList<>();
        known.add(PERMISSIONS);
        known.add(WEBHOOKS);
        for (Setting setting : Setting.values()) {
            known.add(setting.fileKey());
            setting.alias().ifPresent(alias -> known.add(Setting.fileKey(alias)));
        }
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = Levenshtein.distance(key.toLowerCase(Locale.ROOT), candidate);
            if (distance < best) {
                best = distance;
                nearest = candidate;
            }
        }
        if (nearest != null && best <= Math.max(2, key.length() / 4)) {
            return new ConfigException("unknown key '" + key + "' in " + path + "; did you mean '" + nearest + "'?");
        }
        return new ConfigException("unknown key '" + key + "' in " + path
                + " (every ARQONBUS_X_Y variable can be written as x_y)");
    }

    /** How errors name a value that came from this file: {@code key 'max_history_size' in <path>}. */
    public String origin(String envVar) {
        return "key '" + Setting.fileKey(envVar) + "' in " + path;
    }

    private static String scalar(Path path, String key, JsonNode value) {
        if (value.isValueNode() && !value.isNull()) {
            return value.asText();
        }
        if (value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.isNull()) {
                    throw new ConfigException("key '" + key + "' in " + path + ": expected a list of plain values");
                }
                items.add(item.asText());
            }
            return String.join(",", items);
        }
        throw new ConfigException("key '" + key + "' in " + path + ": expected a plain value or a list");
    }

    private static ChannelPermissions permissions(Path path, JsonNode node) {
        String where = "config file " + path + ": permissions";
        if (!node.isObject()) {
            throw new ConfigException(where + " must be a mapping with 'roles' (and 'anonymous_role')");
        }
        String anonymousRole = null;
        Map<String, Map<ChannelAction, List<String>>> roles = new HashMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            switch (field.getKey()) {
                case "anonymous_role" -> {
                    if (!field.getValue().isTextual()) {
                        throw new ConfigException(where + ".anonymous_role must be a role name");
                    }
                    anonymousRole = field.getValue().asText();
                }
                case "roles" -> roles = roles(where + ".roles", field.getValue());
                default -> throw new ConfigException(where + ": unknown key '" + field.getKey()
                        + "' (expected: roles, anonymous_role)");
            }
        }
        try {
            return new ChannelPermissions(roles, anonymousRole);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    private static Map<String, Map<ChannelAction, List<String>>> roles(String where, JsonNode node) {
        if (!node.isObject()) {
            throw new ConfigException(where + " must map role names to {subscribe, publish, history}");
        }
        Map<String, Map<ChannelAction, List<String>>> roles = new HashMap<>();
        for (Map.Entry<String, JsonNode> role : node.properties()) {
            String at = where + "." + role.getKey();
            if (!role.getValue().isObject()) {
                throw new ConfigException(at + " must map actions (subscribe, publish, history) to pattern lists");
            }
            Map<ChannelAction, List<String>> actions = new EnumMap<>(ChannelAction.class);
            for (Map.Entry<String, JsonNode> action : role.getValue().properties()) {
                ChannelAction parsed = null;
                for (ChannelAction a : ChannelAction.values()) {
                    if (a.key().equals(action.getKey())) {
                        parsed = a;
                    }
                }
                if (parsed == null) {
                    throw new ConfigException(at + ": unknown action '" + action.getKey()
                            + "' (expected: subscribe, publish, history)");
                }
                List<String> patterns = new ArrayList<>();
                for (JsonNode p : action.getValue().isArray() ? action.getValue() : List.of(action.getValue())) {
                    if (!p.isTextual()) {
                        throw new ConfigException(at + "." + action.getKey() + ": patterns must be strings");
                    }
                    patterns.add(p.asText());
                }
                actions.put(parsed, patterns);
            }
            roles.put(role.getKey(), actions);
        }
        return roles;
    }

    /** The file's settings by the name of their {@code ARQONBUS_*} variable. */
    public Map<String, String> settings() {
        return settings;
    }

    /** The channel permissions, or {@code null} when the file has none. */
    public ChannelPermissions permissions() {
        return permissions;
    }

    /** The webhook rules the file declares ({@code webhooks:}), perhaps none. */
    public List<DeclaredWebhook> webhooks() {
        return webhooks;
    }

    /** Where it was read from. */
    public Path path() {
        return path;
    }
}
