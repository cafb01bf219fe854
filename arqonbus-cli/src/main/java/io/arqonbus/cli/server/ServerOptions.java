package io.arqonbus.cli.server;

import io.arqonbus.server.config.ConfigException;
import io.arqonbus.server.internal.config.ConfigFile;
import io.arqonbus.server.internal.config.EnvironmentConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.config.StoreSync;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/**
 * The server flags shared by {@code serve} and {@code check-config}. Every field is {@code null}
 * until its flag is given, so precedence is simply: defaults, then the configuration file
 * ({@link ConfigFile}), then {@code ARQONBUS_*} variables ({@link EnvironmentConfig}), then the
 * flags that were given.
 */
public final class ServerOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML (or JSON) configuration file: any ARQONBUS_X_Y variable as x_y, and the channel "
                    + "permissions (env ARQONBUS_CONFIG_FILE). Flags and variables override it.")
    Path configFile;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Bus bind host (env ARQONBUS_SERVER_HOST, default 127.0.0.1); also the default "
                    + "telemetry and HTTP host.")
    String host;

    @Option(names = "--port", paramLabel = "PORT",
            description = "Bus WebSocket port; 0 picks a free port (env ARQONBUS_SERVER_PORT, default 9100).")
    Integer port;

    @Option(names = "--telemetry-host", paramLabel = "HOST",
            description = "Telemetry bind host (env ARQONBUS_TELEMETRY_HOST, default: the bus host).")
    String telemetryHost;

    @Option(names = "--telemetry-port", paramLabel = "PORT",
            description = "Telemetry WebSocket port; 0 = free port, -1 = off (env ARQONBUS_TELEMETRY_PORT, "
                    + "default 8081).")
    Integer telemetryPort;

    @Option(names = "--http-host", paramLabel = "HOST",
            description = "HTTP bind host (env ARQONBUS_HTTP_HOST, default: the bus host).")
    String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "HTTP port; 0 = free port, -1 = off (env ARQONBUS_HTTP_PORT, default 8080).")
    Integer httpPort;

    @Option(names = "--io-threads", paramLabel = "N",
            description = "Event loops (env ARQONBUS_IO_THREADS, default: number of cores).")
    Integer ioThreads;

    @Option(names = "--compression", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Offer permessage-deflate (env ARQONBUS_COMPRESSION, default false).")
    Boolean compression;

    @Option(names = "--max-message-size", paramLabel = "BYTES",
            description = "Largest accepted message (env ARQONBUS_MAX_MESSAGE_SIZE, default 1048576).")
    Integer maxMessageSize;

    @Option(names = "--max-frame-size", paramLabel = "BYTES",
            description = "Largest WebSocket frame before a 1009 close (env ARQONBUS_MAX_FRAME_SIZE, "
                    + "default 4 x max message size).")
    Integer maxFrameSize;

    @Option(names = "--max-connections", paramLabel = "N",
            description = "Concurrent bus connections; more are closed with 1013 (env ARQONBUS_MAX_CONNECTIONS, "
                    + "default 1000).")
    Integer maxConnections;

    @Option(names = "--slow-consumer-policy", paramLabel = "close|drop",
            description = "What happens to a client that cannot keep up (env ARQONBUS_SLOW_CONSUMER_POLICY, "
                    + "default close).")
    SlowConsumerPolicy slowConsumerPolicy;

    @Option(names = "--auth", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Require a JWT at the handshake (env ARQONBUS_ENABLE_AUTH, default false).")
    Boolean auth;

    @Option(names = "--jwt-secret", paramLabel = "SECRET",
            description = "JWT HMAC secret, required with --auth (env ARQONBUS_AUTH_JWT_SECRET; prefer the "
                    + "variable: flags are visible in the process list).")
    String jwtSecret;

    @Option(names = "--jwt-algorithm", paramLabel = "ALG",
            description = "The algorithm every token must use: HS256/384/512 (with --jwt-secret), RS256/384/512 or "
                    + "ES256/384/512 (with --jwt-public-key-file or --jwks-url) (env ARQONBUS_AUTH_JWT_ALGORITHM, "
                    + "default HS256).")
    String jwtAlgorithm;

    @Option(names = "--jwt-public-key-file", paramLabel = "PEM",
            description = "PEM public key or certificate that verifies RS*/ES* tokens "
                    + "(env ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE).")
    String jwtPublicKeyFile;

    @Option(names = "--jwks-url", paramLabel = "URL",
            description = "JWKS document whose keys verify RS*/ES* tokens, picked by kid (env ARQONBUS_AUTH_JWKS_URL).")
    String jwksUrl;

    @Option(names = "--jwt-issuer", paramLabel = "ISS",
            description = "Required iss claim (env ARQONBUS_AUTH_JWT_ISSUER, default: any).")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUD",
            description = "Value the aud claim must contain (env ARQONBUS_AUTH_JWT_AUDIENCE, default: any).")
    String jwtAudience;

    @Option(names = "--jwt-clock-skew-seconds", paramLabel = "SECONDS",
            description = "Tolerance for exp/nbf/iat (env ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS, default 30).")
    Double jwtClockSkewSeconds;

    @Option(names = "--max-history-size", paramLabel = "N",
            description = "Messages kept per room:channel (env ARQONBUS_MAX_HISTORY_SIZE, default 10000).")
    Integer maxHistorySize;

    // file history store
    @Option(names = "--store", paramLabel = "memory|file:DIR",
            description = "Where history is kept: memory, or a durable store in directory DIR, created when "
                    + "missing (env ARQONBUS_STORE, default memory).")
    String store;

    @Option(names = "--store-sync", paramLabel = "always|none",
            description = "File store: fsync every group of appends before confirming it (always), or leave "
                    + "flushing to the OS (none) (env ARQONBUS_STORE_SYNC, default always).")
    String storeSync;

    @Option(names = "--legacy-acks", arity = "0..1", fallbackValue = "true", paramLabel = "BOOL",
            description = "Send the original's message_response/command_response acks (env ARQONBUS_LEGACY_ACKS, "
                    + "default true).")
    Boolean legacyAcks;

    @Option(names = "--stats-interval-seconds", paramLabel = "SECONDS",
            description = "Interval of the event=stats log line; 0 = off (env ARQONBUS_STATS_INTERVAL_SECONDS, "
                    + "default 60).")
    Double statsIntervalSeconds;

    @Option(names = "--shutdown-grace-seconds", paramLabel = "SECONDS",
            description = "Time clients get to leave after the 1001 close (env ARQONBUS_SHUTDOWN_GRACE_SECONDS, "
                    + "default 5).")
    Double shutdownGraceSeconds;

    // Redis history store (issue 4)
    @Option(names = "--redis-url", paramLabel = "URL",
            description = "Keep history in Redis Streams at redis://[[user]:password@]host[:port][/db] (rediss:// for "
                    + "TLS); same as ARQONBUS_STORAGE_BACKEND=redis with ARQONBUS_REDIS_URL.")
    String redisUrl;

    @Option(names = "--storage-mode", paramLabel = "degraded|strict",
            description = "While Redis is unreachable: degraded = serve history from memory and refuse durable acks "
                    + "(default); strict = refuse to start, refuse durable writes (env ARQONBUS_STORAGE_MODE).")
    String storageMode;

    /**
     * Resolves the effective configuration: defaults, then {@code env}, then the flags given.
     *
     * @throws io.arqonbus.server.config.ConfigException when a value is unparsable or out of range
     */
    public ResolvedConfig resolve(Map<String, String> env) {
        ConfigFile file = configFile(env);
        Map<String, String> layered = new HashMap<>(file == null ? Map.of() : file.settings());
        env.forEach((name, value) -> {
            if (value != null && !value.isBlank()) {
                layered.put(name, value);
            }
        });
        EnvironmentConfig variables = new EnvironmentConfig(layered);
        ServerConfig.Builder builder = variables.applyTo(ServerConfig.builder());
        if (file != null) {
            for (String name : file.settings().keySet()) {
                if (!variables.knownNames().contains(name)) {
                    throw new ConfigException("config file " + file.path() + ": unknown setting '"
                            + name.substring("ARQONBUS_".length()).toLowerCase(Locale.ROOT)
                            + "' (every ARQONBUS_X_Y variable can be written as x_y)");
                }
            }
            builder.permissions(file.permissions());
        }
        Map<Setting, String> sources = new EnumMap<>(Setting.class);
        for (Setting setting : Setting.values()) {
            String value = env.get(setting.envVar());
            boolean fromFile = file != null && file.settings().containsKey(setting.envVar());
            sources.put(setting, value != null && !value.isBlank() ? "env " + setting.envVar()
                    : fromFile ? "file " + file.path() : "default");
        }
        flag(Setting.HOST, host, builder::host, sources);
        flag(Setting.PORT, port, builder::port, sources);
        flag(Setting.TELEMETRY_HOST, telemetryHost, builder::telemetryHost, sources);
        flag(Setting.TELEMETRY_PORT, telemetryPort, builder::telemetryPort, sources);
        flag(Setting.HTTP_HOST, httpHost, builder::httpHost, sources);
        flag(Setting.HTTP_PORT, httpPort, builder::httpPort, sources);
        flag(Setting.IO_THREADS, ioThreads, builder::ioThreads, sources);
        flag(Setting.COMPRESSION, compression, builder::compression, sources);
        flag(Setting.MAX_MESSAGE_SIZE, maxMessageSize, builder::maxMessageSize, sources);
        flag(Setting.MAX_FRAME_SIZE, maxFrameSize, builder::maxFrameSize, sources);
        flag(Setting.MAX_CONNECTIONS, maxConnections, builder::maxConnections, sources);
        flag(Setting.SLOW_CONSUMER_POLICY, slowConsumerPolicy, builder::slowConsumerPolicy, sources);
        flag(Setting.AUTH, auth, builder::authEnabled, sources);
        flag(Setting.JWT_SECRET, jwtSecret, builder::jwtSecret, sources);
        flag(Setting.JWT_ALGORITHM, jwtAlgorithm == null ? null : jwtAlgorithm.trim().toUpperCase(Locale.ROOT),
                builder::jwtAlgorithm, sources);
        flag(Setting.JWT_PUBLIC_KEY_FILE, jwtPublicKeyFile, builder::jwtPublicKeyFile, sources);
        flag(Setting.JWKS_URL, jwksUrl, builder::jwksUrl, sources);
        flag(Setting.JWT_ISSUER, jwtIssuer, builder::jwtIssuer, sources);
        flag(Setting.JWT_AUDIENCE, jwtAudience, builder::jwtAudience, sources);
        flag(Setting.JWT_CLOCK_SKEW, seconds(jwtClockSkewSeconds), builder::jwtClockSkew, sources);
        flag(Setting.MAX_HISTORY_SIZE, maxHistorySize, builder::maxHistorySize, sources);
        flag(Setting.STORE, store == null ? null : StoreLocation.parse("--store", store), builder::store, sources);
        flag(Setting.STORE_SYNC, storeSync == null ? null : StoreSync.parse("--store-sync", storeSync),
                builder::storeSync, sources);
        flag(Setting.LEGACY_ACKS, legacyAcks, builder::legacyAcks, sources);
        flag(Setting.STATS_INTERVAL, seconds(statsIntervalSeconds), builder::statsInterval, sources);
        flag(Setting.SHUTDOWN_GRACE, seconds(shutdownGraceSeconds), builder::shutdownGrace, sources);
        redisFlags(builder, layered, sources);
        derived(Setting.TELEMETRY_HOST, sources, "bus host");
        derived(Setting.HTTP_HOST, sources, "bus host");
        derived(Setting.IO_THREADS, sources, "number of cores");
        derived(Setting.MAX_FRAME_SIZE, sources, "4 x max message size");
        return new ResolvedConfig(builder.build(), sources);
    }

    /** The configuration file named by {@code --config} or {@code ARQONBUS_CONFIG_FILE}, or {@code null}. */
    private ConfigFile configFile(Map<String, String> env) {
        if (configFile != null) {
            return ConfigFile.load(configFile);
        }
        String named = env.get("ARQONBUS_CONFIG_FILE");
        return named == null || named.isBlank() ? null : ConfigFile.load(Path.of(named.trim()));
    }

    private void redisFlags(ServerConfig.Builder builder, Map<String, String> env, Map<Setting, String> sources) {
        if (redisUrl != null) {
            builder.redis(new EnvironmentConfig(env).redisFromUrl("--redis-url", redisUrl));
            sources.put(Setting.REDIS_URL, "flag --redis-url");
            sources.put(Setting.STORAGE_BACKEND, "flag --redis-url");
        }
        if (storageMode != null) {
            builder.storageMode(StorageMode.parse("--storage-mode", storageMode));
            sources.put(Setting.STORAGE_MODE, "flag --storage-mode");
        }
    }

    private static <T> void flag(Setting setting, T value, Consumer<T> setter, Map<Setting, String> sources) {
        if (value != null) {
            setter.accept(value);
            sources.put(setting, "flag " + setting.flag());
        }
    }

    private static void derived(Setting setting, Map<Setting, String> sources, String from) {
        if (sources.get(setting).equals("default")) {
            sources.put(setting, "default (" + from + ")");
        }
    }

    private static Duration seconds(Double value) {
        if (value == null) {
            return null;
        }
        if (value.isNaN() || value.isInfinite()) {
            throw new io.arqonbus.server.config.ConfigException("seconds: " + value + " (expected: a finite number)");
        }
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
