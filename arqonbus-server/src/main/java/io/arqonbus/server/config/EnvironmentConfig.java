package io.arqonbus.server.config;

import io.arqonbus.server.inspect.CasilPolicyException;
import io.arqonbus.server.inspect.CasilPolicyParser;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads the {@code ARQONBUS_*} environment variables (the original ArqonBus's names, plus ours)
 * into a {@link ServerConfig.Builder}. Unset variables leave the builder's value alone; a value
 * that cannot be parsed is a {@link ConfigException} naming the variable.
 */
public final class EnvironmentConfig {
    private final Map<String, String> env;
    private final Set<String> known = new HashSet<>();

    public EnvironmentConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Applies every variable that is set to the builder and returns it. */
    public ServerConfig.Builder applyTo(ServerConfig.Builder b) {
        string("ARQONBUS_SERVER_HOST", b::host);
        integer("ARQONBUS_SERVER_PORT", b::port);
        string("ARQONBUS_TELEMETRY_HOST", b::telemetryHost);
        integer("ARQONBUS_TELEMETRY_PORT", b::telemetryPort);
        string("ARQONBUS_HTTP_HOST", b::httpHost);
        integer("ARQONBUS_HTTP_PORT", b::httpPort);
        integer("ARQONBUS_MAX_MESSAGE_SIZE", b::maxMessageSize);
        integer("ARQONBUS_MAX_FRAME_SIZE", b::maxFrameSize);
        integer("ARQONBUS_MAX_CONNECTIONS", b::maxConnections);
        bool("ARQONBUS_COMPRESSION", b::compression);
        seconds("ARQONBUS_KEEPALIVE_INTERVAL_SECONDS", b::keepAliveInterval);
        seconds("ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS", b::keepAliveTimeout);
        integer("ARQONBUS_MAX_VIOLATIONS", b::maxViolations);
        integer("ARQONBUS_MAX_PENDING_BYTES", b::maxPendingBytes);
        String policy = value("ARQONBUS_SLOW_CONSUMER_POLICY");
        if (policy != null) {
            try {
                b.slowConsumerPolicy(SlowConsumerPolicy.valueOf(policy.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("ARQONBUS_SLOW_CONSUMER_POLICY: '" + policy + "' (expected: close or drop)");
            }
        }
        integer("ARQONBUS_IO_THREADS", b::ioThreads);
        bool("ARQONBUS_ENABLE_AUTH", b::authEnabled);
        string("ARQONBUS_AUTH_JWT_SECRET", b::jwtSecret);
        string("ARQONBUS_AUTH_JWT_ALGORITHM", v -> b.jwtAlgorithm(v.trim().toUpperCase(Locale.ROOT)));
        string("ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE", b::jwtPublicKeyFile);
        string("ARQONBUS_AUTH_JWKS_URL", b::jwksUrl);
        string("ARQONBUS_AUTH_JWT_ISSUER", b::jwtIssuer);
        string("ARQONBUS_AUTH_JWT_AUDIENCE", b::jwtAudience);
        seconds("ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS", b::jwtClockSkew);
        seconds("ARQONBUS_AUTH_JWKS_REFRESH_SECONDS", b::jwksRefreshInterval);
        seconds("ARQONBUS_AUTH_JWKS_MIN_REFETCH_SECONDS", b::jwksMinRefetchInterval);
        integer("ARQONBUS_MAX_HISTORY_SIZE", b::maxHistorySize);
        integer("ARQONBUS_MAX_HISTORY_LIMIT", b::maxHistoryLimit);
        seconds("ARQONBUS_HISTORY_MAX_AGE_SECONDS", b::historyMaxAge);
        integer("ARQONBUS_RECOVERY_MAX_MESSAGES", b::recoveryMaxMessages);
        integer("ARQONBUS_MAX_CONNECTIONS_PER_CLIENT", b::maxConnectionsPerClient);
        string("ARQONBUS_ALLOWED_ORIGINS", v -> b.allowedOrigins(java.util.Arrays.stream(v.split(","))
                .map(String::trim).filter(o -> !o.isEmpty()).toList()));
        integer("ARQONBUS_RATE_LIMIT_PER_SECOND", b::rateLimitPerSecond);
        integer("ARQONBUS_RATE_LIMIT_BURST", b::rateLimitBurst);
        integer("ARQONBUS_RATE_LIMIT_CLOSE_AFTER", b::rateLimitCloseAfter);
        integer("ARQONBUS_MAX_CHANNELS_PER_CONNECTION", b::maxChannelsPerConnection);
        integer("ARQONBUS_MAX_SUBSCRIPTIONS_PER_CONNECTION", b::maxSubscriptionsPerConnection);
        seconds("ARQONBUS_HANDSHAKE_TIMEOUT_SECONDS", b::handshakeTimeout);
        seconds("ARQONBUS_IDLE_TIMEOUT_SECONDS", b::idleTimeout);
        seconds("ARQONBUS_DEDUP_WINDOW_SECONDS", b::dedupWindow);
        bool("ARQONBUS_LEGACY_ACKS", b::legacyAcks);
        integer("ARQONBUS_TELEMETRY_MAX_CLIENTS", b::telemetryMaxClients);
        integer("ARQONBUS_RECENT_EVENTS_SIZE", b::recentEventsSize);
        seconds("ARQONBUS_STATS_INTERVAL_SECONDS", b::statsInterval);
        seconds("ARQONBUS_SHUTDOWN_GRACE_SECONDS", b::shutdownGrace);
        seconds("ARQONBUS_CLOSE_WAIT_SECONDS", b::closeWait);
        bytes("ARQONBUS_MAX_PARTIAL_INBOUND_BYTES", b::maxPartialInboundBytes);
        seconds("ARQONBUS_RECEIVE_TIMEOUT_SECONDS", b::receiveTimeout);
        string("ARQONBUS_ON_OUT_OF_MEMORY", v -> b.onOutOfMemory(OutOfMemoryPolicy.parse("ARQONBUS_ON_OUT_OF_MEMORY", v)));
        bytes("ARQONBUS_DIRECT_MEMORY_HIGH_WATER_BYTES", b::directMemoryHighWater);
        bool("ARQONBUS_NATIVE_TRANSPORT", b::nativeTransport);
        string("ARQONBUS_TLS_CERT_FILE", b::tlsCertFile);
        string("ARQONBUS_TLS_KEY_FILE", b::tlsKeyFile);
        string("ARQONBUS_TLS_KEY_PASSWORD", b::tlsKeyPassword);
        string("ARQONBUS_TLS_PORTS", v -> b.tlsPorts(TlsConfig.parsePorts("ARQONBUS_TLS_PORTS", v)));
        // file history store
        string("ARQONBUS_STORE", v -> b.store(StoreLocation.parse("ARQONBUS_STORE", v)));
        string("ARQONBUS_STORE_SYNC", v -> b.storeSync(StoreSync.parse("ARQONBUS_STORE_SYNC", v)));
        // Accepted for compatibility: history is always kept in memory by default (protocol §8).
        bool("ARQONBUS_ENABLE_PERSISTENCE", ignored -> { });
        // operator lanes: key-value store and webhooks
        integer("ARQONBUS_KV_MAX_VALUE_BYTES", v -> b.kvLimits(b.kvLimits().withMaxValueBytes(v)));
        integer("ARQONBUS_KV_MAX_KEYS_PER_NAMESPACE", v -> b.kvLimits(b.kvLimits().withMaxKeysPerNamespace(v)));
        integer("ARQONBUS_KV_MAX_KEY_LENGTH", v -> b.kvLimits(b.kvLimits().withMaxKeyLength(v)));
        string("ARQONBUS_WEBHOOK_ALLOWED_HOSTS", v -> b.webhookAllowedHosts(java.util.Arrays.asList(v.split(","))));
        integer("ARQONBUS_WEBHOOK_MAX_RULES", v -> b.webhooks(b.webhooks().withMaxRules(v)));
        integer("ARQONBUS_WEBHOOK_MAX_RULES_PER_CLIENT", v -> b.webhooks(b.webhooks().withMaxRulesPerClient(v)));
        integer("ARQONBUS_WEBHOOK_QUEUE_SIZE", v -> b.webhooks(b.webhooks().withQueueSize(v)));
        integer("ARQONBUS_WEBHOOK_MAX_IN_FLIGHT", v -> b.webhooks(b.webhooks().withMaxInFlight(v)));
        integer("ARQONBUS_WEBHOOK_MAX_ATTEMPTS", v -> b.webhooks(b.webhooks().withMaxAttempts(v)));
        seconds("ARQONBUS_WEBHOOK_RETRY_INITIAL_SECONDS", v -> b.webhooks(b.webhooks().withRetryInitialDelay(v)));
        seconds("ARQONBUS_WEBHOOK_RETRY_MAX_SECONDS", v -> b.webhooks(b.webhooks().withRetryMaxDelay(v)));
        seconds("ARQONBUS_WEBHOOK_MAX_TIMEOUT_SECONDS", v -> b.webhooks(b.webhooks().withMaxTimeout(v)));
        new RedisEnvironment(env).applyTo(b);
        known.addAll(RedisEnvironment.NAMES);
        casil(b);
        known.addAll(CasilPolicyParser.envNames());
        operatorLanes(b);
        return b;
    }

    /** Every variable name {@link #applyTo} reads (known after it ran). */
    public Set<String> knownNames() {
        return Set.copyOf(known);
    }

    /**
     * The Redis store at {@code url} (a flag's value, {@code name} in errors), refined by the
     * environment's {@code ARQONBUS_REDIS_PASSWORD}, {@code _KEY_PREFIX} and {@code _TIMEOUT_SECONDS}
     * (or their {@code ARQONBUS_VALKEY_*} twins).
     */
    public RedisConfig redisFromUrl(String name, String url) {
        return new RedisEnvironment(env).fromFlag(name, url);
    }

    /** The {@code ARQONBUS_CRON_*} and {@code ARQONBUS_OMEGA_*} variables (operator lanes, protocol §5). */
    private void operatorLanes(ServerConfig.Builder b) {
        lane("ARQONBUS_CRON_MAX_JOBS_PER_CLIENT", () -> integer("ARQONBUS_CRON_MAX_JOBS_PER_CLIENT",
                v -> b.cron(b.cronSoFar().withMaxJobsPerClient(v))));
        lane("ARQONBUS_CRON_MAX_JOBS", () -> integer("ARQONBUS_CRON_MAX_JOBS",
                v -> b.cron(b.cronSoFar().withMaxJobs(v))));
        lane("ARQONBUS_CRON_MIN_INTERVAL_SECONDS", () -> seconds("ARQONBUS_CRON_MIN_INTERVAL_SECONDS",
                v -> b.cron(b.cronSoFar().withMinInterval(v))));
        lane("ARQONBUS_CRON_MAX_REPEAT_COUNT", () -> integer("ARQONBUS_CRON_MAX_REPEAT_COUNT",
                v -> b.cron(b.cronSoFar().withMaxRepeatCount(v))));
        lane("ARQONBUS_OMEGA_ENABLED", () -> bool("ARQONBUS_OMEGA_ENABLED",
                v -> b.omega(b.omegaSoFar().withEnabled(v))));
        lane("ARQONBUS_OMEGA_LAB_ROOM", () -> string("ARQONBUS_OMEGA_LAB_ROOM",
                v -> b.omega(b.omegaSoFar().withLabRoom(v))));
        lane("ARQONBUS_OMEGA_LAB_CHANNEL", () -> string("ARQONBUS_OMEGA_LAB_CHANNEL",
                v -> b.omega(b.omegaSoFar().withLabChannel(v))));
        lane("ARQONBUS_OMEGA_MAX_EVENTS", () -> integer("ARQONBUS_OMEGA_MAX_EVENTS",
                v -> b.omega(b.omegaSoFar().withMaxEvents(v))));
        lane("ARQONBUS_OMEGA_MAX_SUBSTRATES", () -> integer("ARQONBUS_OMEGA_MAX_SUBSTRATES",
                v -> b.omega(b.omegaSoFar().withMaxSubstrates(v))));
    }

    /** Runs one setting of a lane; a value out of its range is a {@link ConfigException} naming the variable. */
    private static void lane(String name, Runnable apply) {
        try {
            apply.run();
        } catch (ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
    }

    /** The {@code ARQONBUS_CASIL_*} variables (protocol §7) over the builder's policy. */
    private void casil(ServerConfig.Builder b) {
        if (CasilPolicyParser.anySet(env)) {
            try {
                b.casil(CasilPolicyParser.fromEnvironment(env, b.casilSoFar()));
            } catch (CasilPolicyException e) {
                throw new ConfigException(String.join("; ", e.problems()));
            }
        }
    }

    private String value(String name) {
        known.add(name);
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    private void string(String name, java.util.function.Consumer<String> setter) {
        String v = value(name);
        if (v != null) {
            setter.accept(v.trim());
        }
    }

    private void integer(String name, java.util.function.IntConsumer setter) {
        String v = value(name);
        if (v != null) {
            try {
                setter.accept(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(name + ": '" + v + "' (expected: a whole number)");
            }
        }
    }

    private void bytes(String name, java.util.function.LongConsumer setter) {
        String v = value(name);
        if (v != null) {
            try {
                setter.accept(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw new ConfigException(name + ": '" + v + "' (expected: a whole number of bytes)");
            }
        }
    }

    private void seconds(String name, java.util.function.Consumer<Duration> setter) {
        String v = value(name);
        if (v != null) {
            try {
                setter.accept(Duration.ofMillis(Math.round(Double.parseDouble(v.trim()) * 1000)));
            } catch (NumberFormatException e) {
                throw new ConfigException(name + ": '" + v + "' (expected: a number of seconds)");
            }
        }
    }

    private void bool(String name, java.util.function.Consumer<Boolean> setter) {
        String v = value(name);
        if (v != null) {
            setter.accept(parseBoolean(name, v));
        }
    }

    static boolean parseBoolean(String name, String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name + ": '" + v + "' (expected: true or false)");
        };
    }
}
