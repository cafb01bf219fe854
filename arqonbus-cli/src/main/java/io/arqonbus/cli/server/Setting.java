package io.arqonbus.cli.server;

import io.arqonbus.server.config.ServerConfig;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;

/**
 * Every server setting as {@code check-config} shows it: its name, environment variable, flag
 * (if it has one) and how to read its effective value from a {@link ServerConfig}.
 */
public enum Setting {
    HOST("host", "ARQONBUS_SERVER_HOST", "--host", ServerConfig::host),
    PORT("port", "ARQONBUS_SERVER_PORT", "--port", c -> Integer.toString(c.port())),
    TELEMETRY_HOST("telemetry_host", "ARQONBUS_TELEMETRY_HOST", "--telemetry-host", ServerConfig::telemetryHost),
    TELEMETRY_PORT("telemetry_port", "ARQONBUS_TELEMETRY_PORT", "--telemetry-port", c -> port(c.telemetryPort())),
    HTTP_HOST("http_host", "ARQONBUS_HTTP_HOST", "--http-host", ServerConfig::httpHost),
    HTTP_PORT("http_port", "ARQONBUS_HTTP_PORT", "--http-port", c -> port(c.httpPort())),
    IO_THREADS("io_threads", "ARQONBUS_IO_THREADS", "--io-threads", c -> Integer.toString(c.ioThreads())),
    NATIVE_TRANSPORT("native_transport", "ARQONBUS_NATIVE_TRANSPORT", null, c -> bool(c.nativeTransport())),
    COMPRESSION("compression", "ARQONBUS_COMPRESSION", "--compression", c -> bool(c.compression())),
    MAX_MESSAGE_SIZE("max_message_size", "ARQONBUS_MAX_MESSAGE_SIZE", "--max-message-size",
            c -> Integer.toString(c.maxMessageSize())),
    MAX_FRAME_SIZE("max_frame_size", "ARQONBUS_MAX_FRAME_SIZE", "--max-frame-size",
            c -> Integer.toString(c.maxFrameSize())),
    MAX_CONNECTIONS("max_connections", "ARQONBUS_MAX_CONNECTIONS", "--max-connections",
            c -> Integer.toString(c.maxConnections())),
    MAX_VIOLATIONS("max_violations", "ARQONBUS_MAX_VIOLATIONS", null, c -> Integer.toString(c.maxViolations())),
    MAX_PENDING_BYTES("max_pending_bytes", "ARQONBUS_MAX_PENDING_BYTES", null,
            c -> Integer.toString(c.maxPendingBytes())),
    SLOW_CONSUMER_POLICY("slow_consumer_policy", "ARQONBUS_SLOW_CONSUMER_POLICY", "--slow-consumer-policy",
            c -> c.slowConsumerPolicy().name().toLowerCase(Locale.ROOT)),
    KEEPALIVE_INTERVAL("keepalive_interval_seconds", "ARQONBUS_KEEPALIVE_INTERVAL_SECONDS", null,
            c -> seconds(c.keepAliveInterval())),
    KEEPALIVE_TIMEOUT("keepalive_timeout_seconds", "ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS", null,
            c -> seconds(c.keepAliveTimeout())),
    TELEMETRY_MAX_CLIENTS("telemetry_max_clients", "ARQONBUS_TELEMETRY_MAX_CLIENTS", null,
            c -> Integer.toString(c.telemetryMaxClients())),
    AUTH("auth", "ARQONBUS_ENABLE_AUTH", "--auth", c -> bool(c.authEnabled())),
    JWT_SECRET("jwt_secret", "ARQONBUS_AUTH_JWT_SECRET", "--jwt-secret",
            c -> c.jwtSecret() == null ? "(none)" : "********"),
    JWT_ALGORITHM("jwt_algorithm", "ARQONBUS_AUTH_JWT_ALGORITHM", "--jwt-algorithm", ServerConfig::jwtAlgorithm),
    JWT_PUBLIC_KEY_FILE("jwt_public_key_file", "ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE", "--jwt-public-key-file",
            c -> orNone(c.jwtPublicKeyFile())),
    JWKS_URL("jwks_url", "ARQONBUS_AUTH_JWKS_URL", "--jwks-url", c -> orNone(c.jwksUrl())),
    JWT_ISSUER("jwt_issuer", "ARQONBUS_AUTH_JWT_ISSUER", "--jwt-issuer", c -> orNone(c.jwtIssuer())),
    JWT_AUDIENCE("jwt_audience", "ARQONBUS_AUTH_JWT_AUDIENCE", "--jwt-audience", c -> orNone(c.jwtAudience())),
    JWT_CLOCK_SKEW("jwt_clock_skew_seconds", "ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS", "--jwt-clock-skew-seconds",
            c -> seconds(c.jwtClockSkew())),
    JWKS_REFRESH("jwks_refresh_seconds", "ARQONBUS_AUTH_JWKS_REFRESH_SECONDS", null,
            c -> seconds(c.jwksRefreshInterval())),
    JWKS_MIN_REFETCH("jwks_min_refetch_seconds", "ARQONBUS_AUTH_JWKS_MIN_REFETCH_SECONDS", null,
            c -> seconds(c.jwksMinRefetchInterval())),
    MAX_HISTORY_SIZE("max_history_size", "ARQONBUS_MAX_HISTORY_SIZE", "--max-history-size",
            c -> Integer.toString(c.maxHistorySize())),
    HISTORY_MAX_AGE("history_max_age_seconds", "ARQONBUS_HISTORY_MAX_AGE_SECONDS", null,
            c -> seconds(c.historyMaxAge())),
    MAX_HISTORY_LIMIT("max_history_limit", "ARQONBUS_MAX_HISTORY_LIMIT", null,
            c -> Integer.toString(c.maxHistoryLimit())),
    RATE_LIMIT_PER_SECOND("rate_limit_per_second", "ARQONBUS_RATE_LIMIT_PER_SECOND", null,
            c -> Integer.toString(c.rateLimitPerSecond())),
    RATE_LIMIT_BURST("rate_limit_burst", "ARQONBUS_RATE_LIMIT_BURST", null,
            c -> Integer.toString(c.rateLimitBurst())),
    RATE_LIMIT_CLOSE_AFTER("rate_limit_close_after", "ARQONBUS_RATE_LIMIT_CLOSE_AFTER", null,
            c -> Integer.toString(c.rateLimitCloseAfter())),
    MAX_CHANNELS_PER_CONNECTION("max_channels_per_connection", "ARQONBUS_MAX_CHANNELS_PER_CONNECTION", null,
            c -> Integer.toString(c.maxChannelsPerConnection())),
    MAX_SUBSCRIPTIONS_PER_CONNECTION("max_subscriptions_per_connection", "ARQONBUS_MAX_SUBSCRIPTIONS_PER_CONNECTION",
            null, c -> Integer.toString(c.maxSubscriptionsPerConnection())),
    HANDSHAKE_TIMEOUT("handshake_timeout_seconds", "ARQONBUS_HANDSHAKE_TIMEOUT_SECONDS", null,
            c -> seconds(c.handshakeTimeout())),
    IDLE_TIMEOUT("idle_timeout_seconds", "ARQONBUS_IDLE_TIMEOUT_SECONDS", null,
            c -> seconds(c.idleTimeout())),
    MAX_PARTIAL_INBOUND_BYTES("max_partial_inbound_bytes", "ARQONBUS_MAX_PARTIAL_INBOUND_BYTES", null,
            c -> Long.toString(c.maxPartialInboundBytes())),
    RECEIVE_TIMEOUT("receive_timeout_seconds", "ARQONBUS_RECEIVE_TIMEOUT_SECONDS", null,
            c -> seconds(c.receiveTimeout())),
    ON_OUT_OF_MEMORY("on_out_of_memory", "ARQONBUS_ON_OUT_OF_MEMORY", null, c -> c.onOutOfMemory().toString()),
    DIRECT_MEMORY_HIGH_WATER("direct_memory_high_water_bytes", "ARQONBUS_DIRECT_MEMORY_HIGH_WATER_BYTES", null,
            c -> Long.toString(c.directMemoryHighWater())),
    MAX_CONNECTIONS_PER_CLIENT("max_connections_per_client", "ARQONBUS_MAX_CONNECTIONS_PER_CLIENT", null,
            c -> Integer.toString(c.maxConnectionsPerClient())),
    TLS_CERT_FILE("tls_cert_file", "ARQONBUS_TLS_CERT_FILE", null,
            c -> c.tls() == null ? "(none)" : c.tls().certFile()),
    TLS_KEY_FILE("tls_key_file", "ARQONBUS_TLS_KEY_FILE", null, c -> c.tls() == null ? "(none)" : c.tls().keyFile()),
    TLS_KEY_PASSWORD("tls_key_password", "ARQONBUS_TLS_KEY_PASSWORD", null,
            c -> c.tls() == null || c.tls().keyPassword() == null ? "(none)" : "********"),
    TLS_PORTS("tls_ports", "ARQONBUS_TLS_PORTS", null, c -> c.tls() == null ? "(off)" : c.tls().portList()),
    ALLOWED_ORIGINS("allowed_origins", "ARQONBUS_ALLOWED_ORIGINS", null,
            c -> c.allowedOrigins().isEmpty() ? "(any)" : String.join(",", c.allowedOrigins())),
    WEBHOOK_ALLOWED_HOSTS("webhook_allowed_hosts", "ARQONBUS_WEBHOOK_ALLOWED_HOSTS", null,
            c -> c.webhookAllowedHosts().isEmpty() ? "(any)" : String.join(",", c.webhookAllowedHosts())),
    RECOVERY_MAX_MESSAGES("recovery_max_messages", "ARQONBUS_RECOVERY_MAX_MESSAGES", null,
            c -> Integer.toString(c.recoveryMaxMessages())),
    DEDUP_WINDOW("dedup_window_seconds", "ARQONBUS_DEDUP_WINDOW_SECONDS", null,
            c -> seconds(c.dedupWindow())),
    RECENT_EVENTS_SIZE("recent_events_size", "ARQONBUS_RECENT_EVENTS_SIZE", null,
            c -> Integer.toString(c.recentEventsSize())),
    STORE("store", "ARQONBUS_STORE", "--store", c -> c.store().toString()),
    STORE_SYNC("store_sync", "ARQONBUS_STORE_SYNC", "--store-sync", c -> c.storeSync().toString()),
    LEGACY_ACKS("legacy_acks", "ARQONBUS_LEGACY_ACKS", "--legacy-acks", c -> bool(c.legacyAcks())),
    STATS_INTERVAL("stats_interval_seconds", "ARQONBUS_STATS_INTERVAL_SECONDS", "--stats-interval-seconds",
            c -> seconds(c.statsInterval())),
    SHUTDOWN_GRACE("shutdown_grace_seconds", "ARQONBUS_SHUTDOWN_GRACE_SECONDS", "--shutdown-grace-seconds",
            c -> seconds(c.shutdownGrace())),
    // Redis history store (issue 4)
    STORAGE_BACKEND("storage_backend", "ARQONBUS_STORAGE_BACKEND", null,
            c -> c.redis() == null ? "memory" : c.redis().backend()),
    REDIS_URL("redis_url", "ARQONBUS_REDIS_URL", "--redis-url",
            c -> c.redis() == null ? "(none)" : c.redis().display()),
    STORAGE_MODE("storage_mode", "ARQONBUS_STORAGE_MODE", "--storage-mode", c -> c.storageMode().wireName()),
    CASIL_ENABLED("casil_enabled", "ARQONBUS_CASIL_ENABLED", null, c -> bool(c.casil().enabled())),
    CASIL_MODE("casil_mode", "ARQONBUS_CASIL_MODE", null, c -> c.casil().mode().wireName()),
    CASIL_DEFAULT_DECISION("casil_default_decision", "ARQONBUS_CASIL_DEFAULT_DECISION", null,
            c -> c.casil().blockByDefault() ? "block" : "allow"),
    CASIL_SCOPE_INCLUDE("casil_scope_include", "ARQONBUS_CASIL_SCOPE_INCLUDE", null,
            c -> list(c.casil().scopeInclude())),
    CASIL_SCOPE_EXCLUDE("casil_scope_exclude", "ARQONBUS_CASIL_SCOPE_EXCLUDE", null,
            c -> list(c.casil().scopeExclude())),
    CASIL_MAX_PAYLOAD_BYTES("casil_max_payload_bytes", "ARQONBUS_CASIL_MAX_PAYLOAD_BYTES", null,
            c -> Integer.toString(c.casil().maxPayloadBytes())),
    CASIL_MAX_INSPECT_BYTES("casil_max_inspect_bytes", "ARQONBUS_CASIL_MAX_INSPECT_BYTES", null,
            c -> Integer.toString(c.casil().maxInspectBytes())),
    CASIL_MAX_PATTERNS("casil_max_patterns", "ARQONBUS_CASIL_MAX_PATTERNS", null,
            c -> Integer.toString(c.casil().maxPatterns())),
    CASIL_BLOCK_ON_PROBABLE_SECRET("casil_block_on_probable_secret", "ARQONBUS_CASIL_BLOCK_ON_PROBABLE_SECRET", null,
            c -> bool(c.casil().blockOnProbableSecret())),
    CASIL_REDACTION_PATHS("casil_redaction_paths", "ARQONBUS_CASIL_REDACTION_PATHS", null,
            c -> list(c.casil().redactionPaths())),
    CASIL_REDACTION_PATTERNS("casil_redaction_patterns", "ARQONBUS_CASIL_REDACTION_PATTERNS", null,
            c -> c.casil().redactionPatterns().isEmpty() ? "(none)"
                    : c.casil().redactionPatterns().size() + " pattern(s)"),
    CASIL_TRANSPORT_REDACTION("casil_transport_redaction", "ARQONBUS_CASIL_TRANSPORT_REDACTION", null,
            c -> bool(c.casil().transportRedaction())),
    CASIL_NEVER_LOG_PAYLOAD_FOR("casil_never_log_payload_for", "ARQONBUS_CASIL_NEVER_LOG_PAYLOAD_FOR", null,
            c -> list(c.casil().neverLogPayloadFor())),
    CASIL_METADATA_TO_LOGS("casil_metadata_to_logs", "ARQONBUS_CASIL_METADATA_TO_LOGS", null,
            c -> bool(c.casil().metadataToLogs())),
    CASIL_METADATA_TO_TELEMETRY("casil_metadata_to_telemetry", "ARQONBUS_CASIL_METADATA_TO_TELEMETRY", null,
            c -> bool(c.casil().metadataToTelemetry())),
    CASIL_METADATA_TO_ENVELOPE("casil_metadata_to_envelope", "ARQONBUS_CASIL_METADATA_TO_ENVELOPE", null,
            c -> bool(c.casil().metadataToEnvelope()));

    private final String key;
    private final String envVar;
    private final String flag;
    private final Function<ServerConfig, String> reader;

    Setting(String key, String envVar, String flag, Function<ServerConfig, String> reader) {
        this.key = key;
        this.envVar = envVar;
        this.flag = flag;
        this.reader = reader;
    }

    /** The name shown by {@code check-config}. */
    public String key() { return key; }
    /** The environment variable. */
    public String envVar() { return envVar; }
    /** The long flag, or {@code null} when the setting is environment-only. */
    public String flag() { return flag; }

    /** The effective value as text (secrets masked). */
    public String read(ServerConfig config) {
        return reader.apply(config);
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }

    private static String port(int port) {
        return port < 0 ? "-1 (disabled)" : Integer.toString(port);
    }

    private static String list(java.util.List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(",", values);
    }

    private static String bool(boolean value) {
        return Boolean.toString(value);
    }

    private static String seconds(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
