package io.arqonbus.server.internal.config;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.ServerConfig;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The Redis group of settings (protocol §8, declared in {@link Setting}): {@code ARQONBUS_STORAGE_BACKEND},
 * {@code ARQONBUS_REDIS_URL} or {@code ARQONBUS_REDIS_HOST/_PORT/_PASSWORD/_SSL} (each
 * {@code ARQONBUS_VALKEY_*} twin takes precedence), {@code ARQONBUS_REDIS_KEY_PREFIX} and
 * {@code ARQONBUS_REDIS_TIMEOUT_SECONDS}, read together because they make one store.
 */
final class RedisEnvironment {
    private final Map<String, String> env;

    RedisEnvironment(Map<String, String> env) {
        this.env = env;
    }

    void applyTo(ServerConfig.Builder b) {
        String backend = value("ARQONBUS_STORAGE_BACKEND");
        if (backend == null) {
            return;
        }
        switch (backend.trim().toLowerCase(Locale.ROOT)) {
            case "memory" -> b.redis(null);
            case "redis", "redis_streams" -> b.redis(redis("redis"));
            case "valkey", "valkey_streams" -> b.redis(redis("valkey"));
            default -> throw new ConfigException("ARQONBUS_STORAGE_BACKEND: '" + backend
                    + "' (expected: memory, redis, redis_streams, valkey or valkey_streams)");
        }
    }

    private RedisConfig redis(String backend) {
        RedisConfig config;
        String urlVar = first("ARQONBUS_VALKEY_URL", "ARQONBUS_REDIS_URL");
        if (urlVar != null) {
            config = RedisConfig.parseUrl(urlVar, value(urlVar));
        } else {
            String host = valueOf("HOST");
            String portVar = first("ARQONBUS_VALKEY_PORT", "ARQONBUS_REDIS_PORT");
            int port = RedisConfig.DEFAULT_PORT;
            if (portVar != null) {
                try {
                    port = Integer.parseInt(value(portVar).trim());
                } catch (NumberFormatException e) {
                    throw new ConfigException(portVar + ": '" + value(portVar) + "' (expected: a whole number)");
                }
            }
            config = RedisConfig.of(host == null ? "127.0.0.1" : host.trim(), port);
            String sslVar = first("ARQONBUS_VALKEY_SSL", "ARQONBUS_REDIS_SSL");
            if (sslVar != null) {
                config = config.withSsl(SettingValue.parseBoolean(sslVar, value(sslVar)));
            }
        }
        return refine(config, backend);
    }

    /** A Redis URL given as a flag, with the password, key prefix and timeout the environment sets. */
    RedisConfig fromFlag(String name, String url) {
        String backend = value("ARQONBUS_STORAGE_BACKEND");
        boolean valkey = backend != null && backend.trim().toLowerCase(Locale.ROOT).startsWith("valkey");
        return refine(RedisConfig.parseUrl(name, url), valkey ? "valkey" : "redis");
    }

    private RedisConfig refine(RedisConfig config, String backend) {
        String password = valueOf("PASSWORD");
        if (password != null && config.password() == null) {
            config = config.withPassword(password);
        }
        String prefix = valueOf("KEY_PREFIX");
        if (prefix != null) {
            config = config.withKeyPrefix(prefix.trim());
        }
        String timeoutVar = first("ARQONBUS_VALKEY_TIMEOUT_SECONDS", "ARQONBUS_REDIS_TIMEOUT_SECONDS");
        if (timeoutVar != null) {
            try {
                config = config.withCommandTimeout(
                        Duration.ofMillis(Math.round(Double.parseDouble(value(timeoutVar).trim()) * 1000)));
            } catch (NumberFormatException e) {
                throw new ConfigException(timeoutVar + ": '" + value(timeoutVar) + "' (expected: a number of seconds)");
            }
        }
        return config.withBackend(backend);
    }

    /** {@code ARQONBUS_VALKEY_<suffix>}, else {@code ARQONBUS_REDIS_<suffix>}, else {@code null}. */
    private String valueOf(String suffix) {
        String name = first("ARQONBUS_VALKEY_" + suffix, "ARQONBUS_REDIS_" + suffix);
        return name == null ? null : value(name);
    }

    /** The first of the two variables that is set, or {@code null}. */
    private String first(String preferred, String other) {
        return value(preferred) != null ? preferred : value(other) != null ? other : null;
    }

    private String value(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
