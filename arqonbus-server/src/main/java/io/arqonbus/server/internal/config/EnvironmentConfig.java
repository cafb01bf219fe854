package io.arqonbus.server.internal.config;

import io.arqonbus.server.casil.CasilPolicyException;
import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.inspect.CasilPolicyParser;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the {@code ARQONBUS_*} environment variables (the original ArqonBus's names, plus ours),
 * over an optional configuration file, into a {@link ServerConfig.Builder}, one {@link Setting} at a
 * time; the Redis and CASIL settings are read as a group. Unset variables leave the builder's value
 * alone. A value that cannot be parsed is a {@link ConfigException} naming the variable, or the
 * file and the key when it came from the file.
 */
public final class EnvironmentConfig {
    private final Map<String, String> values = new HashMap<>();
    private final Map<String, String> env;
    private final ConfigFile file;

    /** The variables alone. */
    public EnvironmentConfig(Map<String, String> env) {
        this(null, env);
    }

    /** The variables over the file's settings ({@code file} may be {@code null}). */
    public EnvironmentConfig(ConfigFile file, Map<String, String> env) {
        this.file = file;
        this.env = Map.copyOf(env);
        if (file != null) {
            values.putAll(file.settings());
        }
        env.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                values.put(name, value);
            }
        });
    }

    /** Applies every setting that is set (and the file's channel permissions) to the builder and returns it. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder b) {
        for (Setting setting : Setting.values()) {
            String value = value(setting.envVar());
            if (!setting.grouped() && value != null) {
                setting.apply(b, value, origin(setting.envVar()));
            }
        }
        try {
            new RedisEnvironment(values).applyTo(b);
            casil(b);
        } catch (ConfigException e) {
            throw new ConfigException(originsIn(e.getMessage()));
        }
        if (file != null) {
            b.permissions(file.permissions());
            if (!file.webhooks().isEmpty()) {
                b.webhooks(w -> w.withRules(file.webhooks()));
            }
        }
        return b;
    }

    /**
     * Where a setting's value comes from: {@code env ARQONBUS_X}, {@code file <path>}, or
     * {@code null} when neither sets it.
     */
    public String source(Setting setting) {
        for (String name : setting.alias().map(alias -> new String[] {alias, setting.envVar()})
                .orElse(new String[] {setting.envVar()})) {
            String value = env.get(name);
            if (value != null && !value.isBlank()) {
                return "env " + name;
            }
        }
        for (String name : setting.alias().map(alias -> new String[] {alias, setting.envVar()})
                .orElse(new String[] {setting.envVar()})) {
            if (file != null && file.settings().containsKey(name)) {
                return "file " + file.path();
            }
        }
        return null;
    }

    /**
     * The Redis store at {@code url} (a flag's value, {@code name} in errors), refined by the
     * {@code ARQONBUS_REDIS_PASSWORD}, {@code _KEY_PREFIX} and {@code _TIMEOUT_SECONDS} settings
     * (or their {@code ARQONBUS_VALKEY_*} twins).
     */
    public RedisConfig redisFromUrl(String name, String url) {
        try {
            return new RedisEnvironment(values).fromFlag(name, url);
        } catch (ConfigException e) {
            throw new ConfigException(originsIn(e.getMessage()));
        }
    }

    /** The {@code ARQONBUS_CASIL_*} settings (protocol §7) over the builder's policy. */
    private void casil(ServerConfig.Builder b) {
        if (CasilPolicyParser.anySet(values)) {
            b.casil(base -> {
                try {
                    return CasilPolicyParser.fromEnvironment(values, base);
                } catch (CasilPolicyException e) {
                    throw new ConfigException(String.join("; ", e.problems()));
                }
            });
        }
    }

    private String value(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** How errors name a variable: itself, or the file's key when the value came from the file. */
    private String origin(String name) {
        String v = env.get(name);
        return file != null && (v == null || v.isBlank()) && file.settings().containsKey(name) ? file.origin(name) : name;
    }

    /** A group reader's message with each variable whose value came from the file named as the file's key. */
    private String originsIn(String message) {
        if (file == null) {
            return message;
        }
        String out = message;
        for (String name : file.settings().keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .toList()) {
            if (!origin(name).equals(name)) {
                out = out.replace(name, origin(name));
            }
        }
        return out;
    }
}
