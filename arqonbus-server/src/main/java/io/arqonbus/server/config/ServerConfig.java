package io.arqonbus.server.config;

import io.arqonbus.server.auth.ChannelPermissions;
import io.arqonbus.server.cron.CronSettings;
import io.arqonbus.server.inspect.CasilPolicy;
import io.arqonbus.server.omega.OmegaSettings;
import io.arqonbus.server.kv.KvLimits;
import io.arqonbus.server.webhook.WebhookSettings;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The whole server configuration, immutable and validated. Build it with {@link #builder()};
 * {@link EnvironmentConfig} fills a builder from the {@code ARQONBUS_*} variables, and the CLI's
 * flags override both (flags &gt; env &gt; defaults). Every default is a {@code DEFAULT_*}
 * constant; {@code docs/configuration.md} lists them all.
 */
public final class ServerConfig {
    /** Default bus and telemetry bind host: {@value}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default bus WebSocket port: {@value}. */
    public static final int DEFAULT_PORT = 9100;
    /** Default telemetry WebSocket port: {@value}. */
    public static final int DEFAULT_TELEMETRY_PORT = 8081;
    /** Default HTTP port: {@value}. */
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Default largest accepted message, in bytes: {@value} (1 MiB). */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 1_048_576;
    /** Default maximum number of concurrent bus connections: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    /** Default consecutive protocol violations before a close with 4000: {@value}. */
    public static final int DEFAULT_MAX_VIOLATIONS = 10;
    /** Default pending output per connection before the slow-consumer policy applies: {@value} bytes. */
    public static final int DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;
    /** Default messages kept per {@code room:channel}: {@value}. */
    public static final int DEFAULT_MAX_HISTORY_SIZE = 10_000;
    /** Default maximum {@code limit} of one history request: {@value}. */
    public static final int DEFAULT_MAX_HISTORY_LIMIT = 1000;
    /** Default number of connections one authenticated subject may hold at once: {@value}. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 100;
    /** Default idle timeout: off (keepalive pings still find dead peers). */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ZERO;
    /** Default time a new connection has to complete its WebSocket upgrade. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default number of channels one connection may be a member of: {@value}. */
    public static final int DEFAULT_MAX_CHANNELS_PER_CONNECTION = 1_000;
    /** Filtered subscriptions one connection may hold by default. */
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 32;
    /** Default number of rate-limited messages (less than a second apart) that close a connection with 4002: {@value}. */
    public static final int DEFAULT_RATE_LIMIT_CLOSE_AFTER = 100;
    /** Default number of messages a connection may send at once above its rate (token bucket size): {@value}. */
    public static final int DEFAULT_RATE_LIMIT_BURST = 100_000;
    /**
     * Default messages per second one connection may send: {@value} — a guard against floods, well
     * above what one publisher sends in the benchmarks (about 20,000 a second at most).
     */
    public static final int DEFAULT_RATE_LIMIT_PER_SECOND = 50_000;
    /** Default largest number of publications one recovery sends: {@value}. */
    public static final int DEFAULT_RECOVERY_MAX_MESSAGES = 1000;
    /** Default time an idempotency key is remembered per channel. */
    public static final Duration DEFAULT_DEDUP_WINDOW = Duration.ofMinutes(5);
    /** Default maximum telemetry WebSocket clients: {@value}. */
    public static final int DEFAULT_TELEMETRY_MAX_CLIENTS = 500;
    /** Default number of recent publications kept for {@code GET /events/recent} and {@code ?welcome=recent}: {@value}. */
    public static final int DEFAULT_RECENT_EVENTS_SIZE = 100;
    /** The largest allowed recent-events ring: {@value}. */
    public static final int MAX_RECENT_EVENTS_SIZE = 10_000;
    /** Default JWT algorithm: {@value}. */
    public static final String DEFAULT_JWT_ALGORITHM = "HS256";
    /** The JWT algorithms the server verifies: HMAC with a shared secret, RSA and ECDSA with a public key. */
    public static final java.util.List<String> JWT_ALGORITHMS =
            java.util.List.of("HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "ES256", "ES384", "ES512");
    /** Default tolerance for {@code exp}, {@code nbf} and {@code iat} against the server's clock. */
    public static final Duration DEFAULT_JWT_CLOCK_SKEW = Duration.ofSeconds(30);
    /** Default interval between two periodic fetches of the JWKS document. */
    public static final Duration DEFAULT_JWKS_REFRESH_INTERVAL = Duration.ofMinutes(5);
    /** Default shortest time between two JWKS fetches caused by tokens with an unknown {@code kid}. */
    public static final Duration DEFAULT_JWKS_MIN_REFETCH_INTERVAL = Duration.ofSeconds(10);
    /** Default keepalive ping interval. */
    public static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(20);
    /** Default time to wait for a pong before closing. */
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
    /** Default age after which history entries are dropped. */
    public static final Duration DEFAULT_HISTORY_MAX_AGE = Duration.ofHours(24);
    /** Default interval of the periodic stats log line and telemetry {@code stats} event. */
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofSeconds(60);
    /** Default time given to clients to go away on shutdown. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);
    /** How long a peer has to take a close frame before the socket is dropped. */
    public static final Duration DEFAULT_CLOSE_WAIT = Duration.ofSeconds(2);
    /**
     * The default bound on unfinished inbound frames and messages across all connections is the
     * maximum direct memory divided by this: {@value}.
     */
    public static final int DEFAULT_PARTIAL_INBOUND_SHARE = 4;
    /** The smallest default bound on unfinished inbound frames and messages: {@value} bytes. */
    public static final long MIN_DEFAULT_PARTIAL_INBOUND_BYTES = 1024 * 1024;
    /** Default time a frame (or a fragmented message) that has started arriving has to finish. */
    public static final Duration DEFAULT_RECEIVE_TIMEOUT = Duration.ofSeconds(60);
    /** The default high-water mark of direct memory in use is this percentage of the maximum: {@value}. */
    public static final int DEFAULT_DIRECT_MEMORY_HIGH_WATER_PERCENT = 80;

    private final String host;
    private final int port;
    private final String telemetryHost;
    private final int telemetryPort;
    private final String httpHost;
    private final int httpPort;
    private final int maxMessageSize;
    private final int maxFrameSize;
    private final int maxConnections;
    private final boolean compression;
    private final Duration keepAliveInterval;
    private final Duration keepAliveTimeout;
    private final int maxViolations;
    private final int maxPendingBytes;
    private final SlowConsumerPolicy slowConsumerPolicy;
    private final int ioThreads;
    private final boolean authEnabled;
    private final String jwtSecret;
    private final String jwtAlgorithm;
    private final String jwtPublicKeyFile;
    private final String jwksUrl;
    private final String jwtIssuer;
    private final String jwtAudience;
    private final Duration jwtClockSkew;
    private final Duration jwksRefreshInterval;
    private final Duration jwksMinRefetchInterval;
    private final int maxHistorySize;
    private final int maxHistoryLimit;
    private final Duration idleTimeout;
    private final Duration handshakeTimeout;
    private final int maxChannelsPerConnection;
    private final int maxSubscriptionsPerConnection;
    private final int rateLimitCloseAfter;
    private final int rateLimitBurst;
    private final int rateLimitPerSecond;
    private final int recoveryMaxMessages;
    private final Duration dedupWindow;
    private final ChannelPermissions permissions;
    private final List<String> allowedOrigins;
    private final List<String> webhookAllowedHosts;
    private final int maxConnectionsPerClient;
    private final Duration historyMaxAge;
    private final boolean legacyAcks;
    private final int telemetryMaxClients;
    private final int recentEventsSize;
    private final Duration statsInterval;
    private final Duration shutdownGrace;
    private final Duration closeWait;
    private final long maxPartialInboundBytes;
    private final Duration receiveTimeout;
    private final OutOfMemoryPolicy onOutOfMemory;
    private final long directMemoryHighWater;
    private final boolean nativeTransport;
    // Redis history store (issue 4)
    private final RedisConfig redis;
    private final StorageMode storageMode;
    // file history store
    private final StoreLocation store;
    private final StoreSync storeSync;
    private final CasilPolicy casil;
    private final TlsConfig tls;
    // operator lanes (issue 6)
    private final CronSettings cron;
    private final OmegaSettings omega;
    // operator lanes (issue 6)
    private final KvLimits kvLimits;
    private final WebhookSettings webhooks;

    private ServerConfig(Builder b) {
        host = b.host;
        port = b.port;
        telemetryHost = b.telemetryHost != null ? b.telemetryHost : b.host;
        telemetryPort = b.telemetryPort;
        httpHost = b.httpHost != null ? b.httpHost : b.host;
        httpPort = b.httpPort;
        maxMessageSize = b.maxMessageSize;
        maxFrameSize = b.maxFrameSize > 0 ? b.maxFrameSize : (int) Math.min(Integer.MAX_VALUE - 16, 4L * b.maxMessageSize);
        maxConnections = b.maxConnections;
        compression = b.compression;
        keepAliveInterval = b.keepAliveInterval;
        keepAliveTimeout = b.keepAliveTimeout;
        maxViolations = b.maxViolations;
        maxPendingBytes = b.maxPendingBytes;
        slowConsumerPolicy = b.slowConsumerPolicy;
        ioThreads = b.ioThreads > 0 ? b.ioThreads : Runtime.getRuntime().availableProcessors();
        authEnabled = b.authEnabled;
        jwtSecret = b.jwtSecret;
        jwtAlgorithm = b.jwtAlgorithm;
        jwtPublicKeyFile = b.jwtPublicKeyFile;
        jwksUrl = b.jwksUrl;
        jwtIssuer = b.jwtIssuer;
        jwtAudience = b.jwtAudience;
        jwtClockSkew = b.jwtClockSkew;
        jwksRefreshInterval = b.jwksRefreshInterval;
        jwksMinRefetchInterval = b.jwksMinRefetchInterval;
        maxHistorySize = b.maxHistorySize;
        maxHistoryLimit = b.maxHistoryLimit;
        idleTimeout = b.idleTimeout;
        handshakeTimeout = b.handshakeTimeout;
        maxChannelsPerConnection = b.maxChannelsPerConnection;
        maxSubscriptionsPerConnection = b.maxSubscriptionsPerConnection;
        rateLimitCloseAfter = b.rateLimitCloseAfter;
        rateLimitBurst = b.rateLimitBurst;
        rateLimitPerSecond = b.rateLimitPerSecond;
        recoveryMaxMessages = b.recoveryMaxMessages;
        dedupWindow = b.dedupWindow;
        permissions = b.permissions;
        allowedOrigins = List.copyOf(b.allowedOrigins);
        webhookAllowedHosts = List.copyOf(b.webhookAllowedHosts);
        maxConnectionsPerClient = b.maxConnectionsPerClient;
        historyMaxAge = b.historyMaxAge;
        legacyAcks = b.legacyAcks;
        telemetryMaxClients = b.telemetryMaxClients;
        recentEventsSize = b.recentEventsSize;
        statsInterval = b.statsInterval;
        shutdownGrace = b.shutdownGrace;
        closeWait = b.closeWait;
        maxPartialInboundBytes = b.maxPartialInboundBytes > 0 ? b.maxPartialInboundBytes
                : defaultMaxPartialInboundBytes();
        receiveTimeout = b.receiveTimeout;
        onOutOfMemory = b.onOutOfMemory;
        directMemoryHighWater = b.directMemoryHighWater > 0 ? b.directMemoryHighWater
                : defaultDirectMemoryHighWater();
        nativeTransport = b.nativeTransport;
        redis = b.redis;
        storageMode = b.storageMode;
        store = b.store;
        storeSync = b.storeSync;
        casil = b.casil;
        tls = b.tlsCertFile == null && b.tlsKeyFile == null ? null
                : new TlsConfig(b.tlsCertFile, b.tlsKeyFile, b.tlsKeyPassword, b.tlsPorts);
        cron = b.cron;
        omega = b.omega;
        kvLimits = b.kvLimits;
        webhooks = b.webhooks;
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default bound on unfinished inbound frames and messages across all connections: a
     * quarter of the direct memory this JVM may use (Netty's view of it: {@code
     * -Dio.netty.maxDirectMemory} when set, else {@code -XX:MaxDirectMemorySize}, else the maximum
     * heap), at least {@link #MIN_DEFAULT_PARTIAL_INBOUND_BYTES}.
     */
    public static long defaultMaxPartialInboundBytes() {
        return Math.max(MIN_DEFAULT_PARTIAL_INBOUND_BYTES,
                io.netty.util.internal.PlatformDependent.maxDirectMemory() / DEFAULT_PARTIAL_INBOUND_SHARE);
    }

    /**
     * The default high-water mark of direct memory in use, past which the {@code shed} policy
     * refuses new handshakes: {@value #DEFAULT_DIRECT_MEMORY_HIGH_WATER_PERCENT}% of the direct memory
     * this JVM may use (Netty's view of it, as for {@link #defaultMaxPartialInboundBytes()}).
     */
    public static long defaultDirectMemoryHighWater() {
        return io.netty.util.internal.PlatformDependent.maxDirectMemory() / 100 * DEFAULT_DIRECT_MEMORY_HIGH_WATER_PERCENT;
    }

    /** The defaults: the embedded server with no auth, no Redis, no config. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /** A builder pre-filled with this configuration. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Bus WebSocket bind host. */
    public String host() { return host; }
    /** Bus WebSocket port; 0 picks a free port. */
    public int port() { return port; }
    /** Telemetry WebSocket bind host. */
    public String telemetryHost() { return telemetryHost; }
    /** Telemetry WebSocket port; 0 picks a free port; -1 disables it. */
    public int telemetryPort() { return telemetryPort; }
    /** HTTP bind host. */
    public String httpHost() { return httpHost; }
    /** HTTP port; 0 picks a free port; -1 disables it. */
    public int httpPort() { return httpPort; }
    /** Largest message accepted; larger ones get {@code PAYLOAD_TOO_LARGE}. */
    public int maxMessageSize() { return maxMessageSize; }
    /** Largest WebSocket frame read at all; larger ones close the connection with 1009. */
    public int maxFrameSize() { return maxFrameSize; }
    /** Maximum concurrent bus connections; more are closed with 1013. */
    public int maxConnections() { return maxConnections; }
    /** Whether permessage-deflate is offered. */
    public boolean compression() { return compression; }
    /** Keepalive ping interval; zero disables keepalive. */
    public Duration keepAliveInterval() { return keepAliveInterval; }
    /** Time to wait for a pong before closing with 1011. */
    public Duration keepAliveTimeout() { return keepAliveTimeout; }
    /** Consecutive protocol violations before a close with 4000. */
    public int maxViolations() { return maxViolations; }
    /** Pending output bytes per connection before the slow-consumer policy applies. */
    public int maxPendingBytes() { return maxPendingBytes; }
    /** What happens to a slow consumer. */
    public SlowConsumerPolicy slowConsumerPolicy() { return slowConsumerPolicy; }
    /** Number of event loops. */
    public int ioThreads() { return ioThreads; }
    /** Whether JWT authentication is required at the handshake. */
    public boolean authEnabled() { return authEnabled; }
    /** The JWT HMAC secret, or {@code null}. */
    public String jwtSecret() { return jwtSecret; }
    /** The JWT algorithm every token must name in its header ({@link #JWT_ALGORITHMS}). */
    public String jwtAlgorithm() { return jwtAlgorithm; }
    /** The PEM file with the public key (or certificate) that verifies RS/ES tokens, or {@code null}. */
    public String jwtPublicKeyFile() { return jwtPublicKeyFile; }
    /** The URL of the JWKS document whose keys verify RS/ES tokens, or {@code null}. */
    public String jwksUrl() { return jwksUrl; }
    /** The {@code iss} every token must carry, or {@code null} for any. */
    public String jwtIssuer() { return jwtIssuer; }
    /** The value every token's {@code aud} must contain, or {@code null} for any. */
    public String jwtAudience() { return jwtAudience; }
    /** Tolerance for {@code exp}, {@code nbf} and {@code iat}; a connection closes at {@code exp} plus this. */
    public Duration jwtClockSkew() { return jwtClockSkew; }
    /** Interval between periodic JWKS fetches. */
    public Duration jwksRefreshInterval() { return jwksRefreshInterval; }
    /** Shortest time between two JWKS fetches caused by an unknown {@code kid}. */
    public Duration jwksMinRefetchInterval() { return jwksMinRefetchInterval; }
    /** Messages kept per {@code room:channel}. */
    public int maxHistorySize() { return maxHistorySize; }
    /** Largest {@code limit} of one history request. */
    public int maxHistoryLimit() { return maxHistoryLimit; }
    /** Time without a message from the client after which the connection is closed with 4004; zero turns it off. */
    public Duration idleTimeout() { return idleTimeout; }
    /** Time a new connection has to complete its WebSocket upgrade. */
    public Duration handshakeTimeout() { return handshakeTimeout; }
    /** Channels one connection may be a member of. */
    public int maxChannelsPerConnection() { return maxChannelsPerConnection; }
    /** How many filtered subscriptions ({@code subscribe}) one connection may hold; more → {@code MAX_SUBSCRIBERS}. */
    public int maxSubscriptionsPerConnection() { return maxSubscriptionsPerConnection; }
    /** Rate-limited messages, less than a second apart, after which the connection is closed with 4002. */
    public int rateLimitCloseAfter() { return rateLimitCloseAfter; }
    /** Messages a connection may send at once above its rate (token bucket size). */
    public int rateLimitBurst() { return rateLimitBurst; }
    /** Messages per second a connection may send (token bucket refill); 0 turns the limit off. */
    public int rateLimitPerSecond() { return rateLimitPerSecond; }
    /** Most publications one recovery sends; more missed means {@code recovered: false}. */
    public int recoveryMaxMessages() { return recoveryMaxMessages; }
    /** How long a channel remembers an idempotency key. */
    public Duration dedupWindow() { return dedupWindow; }
    /** Channel permissions by role, or {@code null}: every connection may do everything. */
    public ChannelPermissions permissions() { return permissions; }
    /** Browser origins allowed to connect to the bus port; empty allows every origin. */
    public List<String> allowedOrigins() { return allowedOrigins; }
    /** Host globs webhook URLs must match (lower case); empty: any host. */
    public List<String> webhookAllowedHosts() { return webhookAllowedHosts; }
    /** Connections one authenticated subject may hold at once; 0 means no bound. */
    public int maxConnectionsPerClient() { return maxConnectionsPerClient; }
    /** Age after which history entries are dropped. */
    public Duration historyMaxAge() { return historyMaxAge; }
    /** Whether the original's {@code message_response} / {@code command_response} acks are sent. */
    public boolean legacyAcks() { return legacyAcks; }
    /** Maximum telemetry clients; more are closed with 1013. */
    public int telemetryMaxClients() { return telemetryMaxClients; }
    /** Recent publications kept in memory for {@code GET /events/recent} and {@code ?welcome=recent}; 0 turns them off. */
    public int recentEventsSize() { return recentEventsSize; }
    /** Interval of the stats log line; zero disables it. */
    public Duration statsInterval() { return statsInterval; }
    /** Time given to clients to leave on shutdown. */
    public Duration shutdownGrace() { return shutdownGrace; }
    /** How long a peer has to take a close frame (e.g. a slow consumer's 4001) before the socket is dropped. */
    public Duration closeWait() { return closeWait; }
    /**
     * Bytes all connections together may hold of frames that have only partly arrived and of
     * fragmented messages being reassembled; a connection that would need more is closed with 1013.
     */
    public long maxPartialInboundBytes() { return maxPartialInboundBytes; }
    /**
     * Time a frame, or a message sent in fragments, has from its first byte to its last; past it the
     * connection is closed with 1008. Zero turns it off.
     */
    public Duration receiveTimeout() { return receiveTimeout; }
    /** What happens when memory runs out: halt the process (the default) or shed connections. */
    public OutOfMemoryPolicy onOutOfMemory() { return onOutOfMemory; }
    /**
     * With {@link OutOfMemoryPolicy#SHED}: new handshakes are refused (HTTP 503) while the direct
     * memory in use is above this many bytes.
     */
    public long directMemoryHighWater() { return directMemoryHighWater; }
    /** Whether the native epoll transport is used when available. */
    public boolean nativeTransport() { return nativeTransport; }
    /** The Redis (or Valkey) history store, or {@code null} to keep history elsewhere. */
    public RedisConfig redis() { return redis; }
    /** TLS on the server's ports, or {@code null} when every port is plain. */
    public TlsConfig tls() { return tls; }
    /** What happens while the Redis history store cannot be reached. */
    public StorageMode storageMode() { return storageMode; }
    /** Where history is kept: memory, or a durable store in a directory. */
    public StoreLocation store() { return store; }
    /** When the file store forces appends to disk. */
    public StoreSync storeSync() { return storeSync; }
    /** The CASIL content-inspection policy at start (protocol §7); {@code op.casil.reload} replaces it at run time. */
    public CasilPolicy casil() { return casil; }
    /** Bounds of the cron lane ({@code op.cron.*}). */
    public CronSettings cron() { return cron; }
    /** The omega lab lane ({@code op.omega.*}). */
    public OmegaSettings omega() { return omega; }
    /** The bounds of the {@code op.store.*} key-value store. */
    public KvLimits kvLimits() { return kvLimits; }
    /** The bounds and retry policy of {@code op.webhook.*} deliveries. */
    public WebhookSettings webhooks() { return webhooks; }

    /** A mutable builder; {@link #build()} validates the whole configuration. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String telemetryHost;
        private int telemetryPort = DEFAULT_TELEMETRY_PORT;
        private String httpHost;
        private int httpPort = DEFAULT_HTTP_PORT;
        private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
        private int maxFrameSize;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private boolean compression;
        private Duration keepAliveInterval = DEFAULT_KEEPALIVE_INTERVAL;
        private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
        private int maxViolations = DEFAULT_MAX_VIOLATIONS;
        private int maxPendingBytes = DEFAULT_MAX_PENDING_BYTES;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE;
        private int ioThreads;
        private boolean authEnabled;
        private String jwtSecret;
        private String jwtAlgorithm = DEFAULT_JWT_ALGORITHM;
        private String jwtPublicKeyFile;
        private String jwksUrl;
        private String jwtIssuer;
        private String jwtAudience;
        private Duration jwtClockSkew = DEFAULT_JWT_CLOCK_SKEW;
        private Duration jwksRefreshInterval = DEFAULT_JWKS_REFRESH_INTERVAL;
        private Duration jwksMinRefetchInterval = DEFAULT_JWKS_MIN_REFETCH_INTERVAL;
        private int maxHistorySize = DEFAULT_MAX_HISTORY_SIZE;
        private int maxHistoryLimit = DEFAULT_MAX_HISTORY_LIMIT;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxChannelsPerConnection = DEFAULT_MAX_CHANNELS_PER_CONNECTION;
        private int maxSubscriptionsPerConnection = DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
        private int rateLimitCloseAfter = DEFAULT_RATE_LIMIT_CLOSE_AFTER;
        private int rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private int rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
        private int recoveryMaxMessages = DEFAULT_RECOVERY_MAX_MESSAGES;
        private Duration dedupWindow = DEFAULT_DEDUP_WINDOW;
        private ChannelPermissions permissions;
        private List<String> allowedOrigins = List.of();
        private List<String> webhookAllowedHosts = List.of();
        private int maxConnectionsPerClient = DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        private Duration historyMaxAge = DEFAULT_HISTORY_MAX_AGE;
        private boolean legacyAcks = true;
        private int telemetryMaxClients = DEFAULT_TELEMETRY_MAX_CLIENTS;
        private int recentEventsSize = DEFAULT_RECENT_EVENTS_SIZE;
        private Duration statsInterval = DEFAULT_STATS_INTERVAL;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private Duration closeWait = DEFAULT_CLOSE_WAIT;
        private long maxPartialInboundBytes;
        private Duration receiveTimeout = DEFAULT_RECEIVE_TIMEOUT;
        private OutOfMemoryPolicy onOutOfMemory = OutOfMemoryPolicy.EXIT;
        private long directMemoryHighWater;
        private boolean nativeTransport = true;
        private RedisConfig redis;
        private StorageMode storageMode = StorageMode.DEGRADED;
        private StoreLocation store = StoreLocation.MEMORY;
        private StoreSync storeSync = StoreSync.ALWAYS;
        private CasilPolicy casil = CasilPolicy.defaults();
        private String tlsCertFile;
        private String tlsKeyFile;
        private String tlsKeyPassword;
        private java.util.Set<TlsConfig.Port> tlsPorts = java.util.EnumSet.allOf(TlsConfig.Port.class);
        private CronSettings cron = CronSettings.defaults();
        private OmegaSettings omega = OmegaSettings.defaults();
        private KvLimits kvLimits = KvLimits.defaults();
        private WebhookSettings webhooks = WebhookSettings.defaults();

        private Builder() {
        }

        private Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            telemetryHost = c.telemetryHost;
            telemetryPort = c.telemetryPort;
            httpHost = c.httpHost;
            httpPort = c.httpPort;
            maxMessageSize = c.maxMessageSize;
            maxFrameSize = c.maxFrameSize;
            maxConnections = c.maxConnections;
            compression = c.compression;
            keepAliveInterval = c.keepAliveInterval;
            keepAliveTimeout = c.keepAliveTimeout;
            maxViolations = c.maxViolations;
            maxPendingBytes = c.maxPendingBytes;
            slowConsumerPolicy = c.slowConsumerPolicy;
            ioThreads = c.ioThreads;
            authEnabled = c.authEnabled;
            jwtSecret = c.jwtSecret;
            jwtAlgorithm = c.jwtAlgorithm;
            jwtPublicKeyFile = c.jwtPublicKeyFile;
            jwksUrl = c.jwksUrl;
            jwtIssuer = c.jwtIssuer;
            jwtAudience = c.jwtAudience;
            jwtClockSkew = c.jwtClockSkew;
            jwksRefreshInterval = c.jwksRefreshInterval;
            jwksMinRefetchInterval = c.jwksMinRefetchInterval;
            maxHistorySize = c.maxHistorySize;
            maxHistoryLimit = c.maxHistoryLimit;
            idleTimeout = c.idleTimeout;
            handshakeTimeout = c.handshakeTimeout;
            maxChannelsPerConnection = c.maxChannelsPerConnection;
            maxSubscriptionsPerConnection = c.maxSubscriptionsPerConnection;
            rateLimitCloseAfter = c.rateLimitCloseAfter;
            rateLimitBurst = c.rateLimitBurst;
            rateLimitPerSecond = c.rateLimitPerSecond;
            recoveryMaxMessages = c.recoveryMaxMessages;
            dedupWindow = c.dedupWindow;
            permissions = c.permissions;
            allowedOrigins = c.allowedOrigins;
            webhookAllowedHosts = c.webhookAllowedHosts;
            maxConnectionsPerClient = c.maxConnectionsPerClient;
            historyMaxAge = c.historyMaxAge;
            legacyAcks = c.legacyAcks;
            telemetryMaxClients = c.telemetryMaxClients;
            recentEventsSize = c.recentEventsSize;
            statsInterval = c.statsInterval;
            shutdownGrace = c.shutdownGrace;
            closeWait = c.closeWait;
            maxPartialInboundBytes = c.maxPartialInboundBytes;
            receiveTimeout = c.receiveTimeout;
            onOutOfMemory = c.onOutOfMemory;
            directMemoryHighWater = c.directMemoryHighWater;
            nativeTransport = c.nativeTransport;
            redis = c.redis;
            storageMode = c.storageMode;
            store = c.store;
            storeSync = c.storeSync;
            casil = c.casil;
            if (c.tls != null) {
                tlsCertFile = c.tls.certFile();
                tlsKeyFile = c.tls.keyFile();
                tlsKeyPassword = c.tls.keyPassword();
                tlsPorts = c.tls.ports();
            }
            cron = c.cron;
            omega = c.omega;
            kvLimits = c.kvLimits;
            webhooks = c.webhooks;
        }

        public Builder host(String value) { host = Objects.requireNonNull(value, "host"); return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder telemetryHost(String value) { telemetryHost = value; return this; }
        public Builder telemetryPort(int value) { telemetryPort = value; return this; }
        public Builder httpHost(String value) { httpHost = value; return this; }
        public Builder httpPort(int value) { httpPort = value; return this; }
        public Builder maxMessageSize(int value) { maxMessageSize = value; return this; }
        public Builder maxFrameSize(int value) { maxFrameSize = value; return this; }
        public Builder maxConnections(int value) { maxConnections = value; return this; }
        public Builder compression(boolean value) { compression = value; return this; }
        public Builder keepAliveInterval(Duration value) { keepAliveInterval = Objects.requireNonNull(value); return this; }
        public Builder keepAliveTimeout(Duration value) { keepAliveTimeout = Objects.requireNonNull(value); return this; }
        public Builder maxViolations(int value) { maxViolations = value; return this; }
        public Builder maxPendingBytes(int value) { maxPendingBytes = value; return this; }
        public Builder slowConsumerPolicy(SlowConsumerPolicy value) { slowConsumerPolicy = Objects.requireNonNull(value); return this; }
        public Builder ioThreads(int value) { ioThreads = value; return this; }
        public Builder authEnabled(boolean value) { authEnabled = value; return this; }
        public Builder jwtSecret(String value) { jwtSecret = value; return this; }
        public Builder jwtAlgorithm(String value) { jwtAlgorithm = Objects.requireNonNull(value); return this; }
        public Builder jwtPublicKeyFile(String value) { jwtPublicKeyFile = blankToNull(value); return this; }
        public Builder jwksUrl(String value) { jwksUrl = blankToNull(value); return this; }
        public Builder jwtIssuer(String value) { jwtIssuer = blankToNull(value); return this; }
        public Builder jwtAudience(String value) { jwtAudience = blankToNull(value); return this; }
        public Builder jwtClockSkew(Duration value) { jwtClockSkew = Objects.requireNonNull(value); return this; }
        public Builder jwksRefreshInterval(Duration value) { jwksRefreshInterval = Objects.requireNonNull(value); return this; }
        public Builder jwksMinRefetchInterval(Duration value) { jwksMinRefetchInterval = Objects.requireNonNull(value); return this; }
        public Builder maxHistorySize(int value) { maxHistorySize = value; return this; }
        public Builder maxHistoryLimit(int value) { maxHistoryLimit = value; return this; }
        public Builder idleTimeout(Duration value) { idleTimeout = Objects.requireNonNull(value); return this; }
        public Builder handshakeTimeout(Duration value) { handshakeTimeout = Objects.requireNonNull(value); return this; }
        public Builder maxChannelsPerConnection(int value) { maxChannelsPerConnection = value; return this; }
        public Builder maxSubscriptionsPerConnection(int value) { maxSubscriptionsPerConnection = value; return this; }
        public Builder rateLimitCloseAfter(int value) { rateLimitCloseAfter = value; return this; }
        public Builder rateLimitBurst(int value) { rateLimitBurst = value; return this; }
        public Builder rateLimitPerSecond(int value) { rateLimitPerSecond = value; return this; }
        public Builder recoveryMaxMessages(int value) { recoveryMaxMessages = value; return this; }
        public Builder dedupWindow(Duration value) { dedupWindow = Objects.requireNonNull(value); return this; }
        /** Channel permissions by role; {@code null} (the default) allows everything. */
        public Builder permissions(ChannelPermissions value) { permissions = value; return this; }
        /** Browser origins allowed to connect; empty (the default) allows every origin. */
        public Builder allowedOrigins(List<String> value) { allowedOrigins = List.copyOf(value); return this; }
        /** Host globs ({@code *.example.com}) a webhook URL must match; empty allows any host. */
        public Builder webhookAllowedHosts(List<String> value) {
            webhookAllowedHosts = value.stream().map(h -> h.trim().toLowerCase(java.util.Locale.ROOT))
                    .filter(h -> !h.isEmpty()).toList();
            return this;
        }
        public Builder maxConnectionsPerClient(int value) { maxConnectionsPerClient = value; return this; }
        public Builder historyMaxAge(Duration value) { historyMaxAge = Objects.requireNonNull(value); return this; }
        public Builder legacyAcks(boolean value) { legacyAcks = value; return this; }
        public Builder telemetryMaxClients(int value) { telemetryMaxClients = value; return this; }
        public Builder recentEventsSize(int value) { recentEventsSize = value; return this; }
        public Builder statsInterval(Duration value) { statsInterval = Objects.requireNonNull(value); return this; }
        public Builder shutdownGrace(Duration value) { shutdownGrace = Objects.requireNonNull(value); return this; }
        public Builder closeWait(Duration value) { closeWait = Objects.requireNonNull(value); return this; }
        /** Bound on unfinished inbound frames and messages across all connections; 0 (the default) derives it from the direct memory. */
        public Builder maxPartialInboundBytes(long value) { maxPartialInboundBytes = value; return this; }
        /** Time a frame or fragmented message has to finish arriving; zero turns it off. */
        public Builder receiveTimeout(Duration value) { receiveTimeout = Objects.requireNonNull(value); return this; }
        /** What happens when memory runs out (default {@link OutOfMemoryPolicy#EXIT}). */
        public Builder onOutOfMemory(OutOfMemoryPolicy value) { onOutOfMemory = Objects.requireNonNull(value); return this; }
        /** High-water mark of direct memory in use for the shed policy; 0 (the default) derives it from the direct memory. */
        public Builder directMemoryHighWater(long value) { directMemoryHighWater = value; return this; }
        public Builder nativeTransport(boolean value) { nativeTransport = value; return this; }
        /** Keeps history in Redis (or Valkey); {@code null} keeps it elsewhere. */
        public Builder redis(RedisConfig value) { redis = value; return this; }
        /** The Redis store set so far, or {@code null} (lets a flag refine what the environment set). */
        public RedisConfig redis() { return redis; }
        public Builder storageMode(StorageMode value) { storageMode = Objects.requireNonNull(value); return this; }
        public Builder store(StoreLocation value) { store = Objects.requireNonNull(value, "store"); return this; }
        public Builder storeSync(StoreSync value) { storeSync = Objects.requireNonNull(value, "storeSync"); return this; }
        public Builder casil(CasilPolicy value) { casil = Objects.requireNonNull(value, "casil"); return this; }
        /** The PEM certificate chain that turns TLS on (with {@link #tlsKeyFile}). */
        public Builder tlsCertFile(String value) { tlsCertFile = blankToNull(value); return this; }
        /** The PEM PKCS#8 private key of the certificate. */
        public Builder tlsKeyFile(String value) { tlsKeyFile = blankToNull(value); return this; }
        /** The private key's password, for an encrypted key. */
        public Builder tlsKeyPassword(String value) { tlsKeyPassword = blankToNull(value); return this; }
        /** The ports that speak TLS when it is on (default: all three). */
        public Builder tlsPorts(java.util.Set<TlsConfig.Port> value) { tlsPorts = java.util.Set.copyOf(value); return this; }
        /** The CASIL policy set so far (the environment applies its variables over it). */
        CasilPolicy casilSoFar() { return casil; }
        public Builder cron(CronSettings value) { cron = Objects.requireNonNull(value, "cron"); return this; }
        CronSettings cronSoFar() { return cron; }
        public Builder omega(OmegaSettings value) { omega = Objects.requireNonNull(value, "omega"); return this; }
        OmegaSettings omegaSoFar() { return omega; }
        public Builder kvLimits(KvLimits value) { kvLimits = Objects.requireNonNull(value, "kvLimits"); return this; }
        /** The key-value limits set so far. */
        public KvLimits kvLimits() { return kvLimits; }
        public Builder webhooks(WebhookSettings value) { webhooks = Objects.requireNonNull(value, "webhooks"); return this; }
        /** The webhook settings set so far. */
        public WebhookSettings webhooks() { return webhooks; }

        /** Validates every setting and builds the configuration. */
        public ServerConfig build() {
            checkPort("port", port, false);
            checkPort("telemetry port", telemetryPort, true);
            checkPort("http port", httpPort, true);
            check(maxMessageSize >= 1024, "max message size: %d (expected: >= 1024)", maxMessageSize);
            check(maxFrameSize == 0 || maxFrameSize >= maxMessageSize,
                    "max frame size: %d (expected: >= max message size %d)", maxFrameSize, maxMessageSize);
            check(maxConnections > 0, "max connections: %d (expected: > 0)", maxConnections);
            check(!keepAliveInterval.isNegative(), "keepalive interval: %s (expected: >= 0)", keepAliveInterval);
            check(keepAliveTimeout.isPositive(), "keepalive timeout: %s (expected: > 0)", keepAliveTimeout);
            check(maxViolations > 0, "max violations: %d (expected: > 0)", maxViolations);
            check(maxPendingBytes >= 64 * 1024, "max pending bytes: %d (expected: >= 65536)", maxPendingBytes);
            check(ioThreads >= 0, "io threads: %d (expected: >= 0)", ioThreads);
            check(maxHistorySize >= 0, "max history size: %d (expected: >= 0)", maxHistorySize);
            check(maxHistoryLimit > 0, "max history limit: %d (expected: > 0)", maxHistoryLimit);
            check(!idleTimeout.isNegative(), "idle timeout: %s (expected: >= 0)", idleTimeout);
            check(handshakeTimeout.isPositive(), "handshake timeout: %s (expected: > 0)", handshakeTimeout);
            check(maxChannelsPerConnection > 0, "max channels per connection: %d (expected: > 0)", maxChannelsPerConnection);
            check(maxSubscriptionsPerConnection > 0, "max subscriptions per connection: %d (expected: > 0)",
                    maxSubscriptionsPerConnection);
            check(rateLimitCloseAfter > 0, "rate limit close after: %d (expected: > 0)", rateLimitCloseAfter);
            check(rateLimitBurst > 0, "rate limit burst: %d (expected: > 0)", rateLimitBurst);
            check(rateLimitPerSecond >= 0, "rate limit: %d (expected: >= 0)", rateLimitPerSecond);
            check(maxConnectionsPerClient >= 0, "max connections per client: %d (expected: >= 0)",
                    maxConnectionsPerClient);
            check(recoveryMaxMessages >= 0, "recovery max messages: %d (expected: >= 0)", recoveryMaxMessages);
            check(!dedupWindow.isNegative(), "dedup window: %s (expected: >= 0)", dedupWindow);
            check(historyMaxAge.isPositive(), "history max age: %s (expected: > 0)", historyMaxAge);
            check(telemetryMaxClients > 0, "telemetry max clients: %d (expected: > 0)", telemetryMaxClients);
            check(recentEventsSize >= 0 && recentEventsSize <= MAX_RECENT_EVENTS_SIZE,
                    "recent events size: %d (expected: 0 to %d)", recentEventsSize, MAX_RECENT_EVENTS_SIZE);
            check(!statsInterval.isNegative(), "stats interval: %s (expected: >= 0)", statsInterval);
            check(!shutdownGrace.isNegative(), "shutdown grace: %s (expected: >= 0)", shutdownGrace);
            check(closeWait.isPositive(), "close wait: %s (expected: > 0)", closeWait);
            check(maxPartialInboundBytes >= 0, "max partial inbound bytes: %d (expected: > 0, or 0 for the default)",
                    maxPartialInboundBytes);
            check(!receiveTimeout.isNegative(), "receive timeout: %s (expected: >= 0)", receiveTimeout);
            check(directMemoryHighWater >= 0, "direct memory high water: %d (expected: > 0, or 0 for the default)",
                    directMemoryHighWater);
            check(redis == null || !store.isFile(),
                    "history can be kept either in Redis (ARQONBUS_STORAGE_BACKEND=redis) or in a directory "
                    + "(ARQONBUS_STORE=file:...), not both");
            if (authEnabled) {
                checkAuth();
            }
            check((tlsCertFile == null) == (tlsKeyFile == null),
                    "TLS needs both a certificate and its private key (ARQONBUS_TLS_CERT_FILE and ARQONBUS_TLS_KEY_FILE)");
            check(tlsKeyPassword == null || tlsKeyFile != null, "a TLS key password is set but no TLS key file");
            if (tlsCertFile != null) {
                new TlsConfig(tlsCertFile, tlsKeyFile, tlsKeyPassword, tlsPorts).validate();
            }
            return new ServerConfig(this);
        }

        /** The auth settings must name one way to verify tokens that fits the algorithm. */
        private void checkAuth() {
            check(JWT_ALGORITHMS.contains(jwtAlgorithm), "JWT algorithm: %s (expected: one of %s; 'none' is never accepted)",
                    jwtAlgorithm, String.join(", ", JWT_ALGORITHMS));
            check(!jwtClockSkew.isNegative() && jwtClockSkew.compareTo(Duration.ofMinutes(10)) <= 0,
                    "JWT clock skew: %s (expected: 0 to 600 seconds)", jwtClockSkew);
            if (jwtAlgorithm.startsWith("HS")) {
                check(jwtSecret != null && !jwtSecret.isEmpty(),
                        "auth is enabled but no JWT secret is set (ARQONBUS_AUTH_JWT_SECRET)");
                check(jwtPublicKeyFile == null && jwksUrl == null,
                        "JWT algorithm %s verifies with the shared secret; a public key file or JWKS URL is only for "
                                + "RS*, ES* algorithms (unset ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE / ARQONBUS_AUTH_JWKS_URL "
                                + "or set ARQONBUS_AUTH_JWT_ALGORITHM)", jwtAlgorithm);
                return;
            }
            check(jwtSecret == null,
                    "JWT algorithm %s verifies with a public key, never with ARQONBUS_AUTH_JWT_SECRET: unset the secret",
                    jwtAlgorithm);
            check(jwtPublicKeyFile != null || jwksUrl != null,
                    "JWT algorithm %s needs a public key: set ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE or ARQONBUS_AUTH_JWKS_URL",
                    jwtAlgorithm);
            check(jwtPublicKeyFile == null || jwksUrl == null,
                    "set either ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE or ARQONBUS_AUTH_JWKS_URL, not both");
            if (jwtPublicKeyFile != null) {
                java.nio.file.Path path = java.nio.file.Path.of(jwtPublicKeyFile);
                check(java.nio.file.Files.isRegularFile(path) && java.nio.file.Files.isReadable(path),
                        "JWT public key file: %s (expected: a readable PEM file)", jwtPublicKeyFile);
            }
            if (jwksUrl != null) {
                java.net.URI uri;
                try {
                    uri = new java.net.URI(jwksUrl);
                } catch (java.net.URISyntaxException e) {
                    throw new ConfigException("JWKS URL: " + jwksUrl + " (expected: an http or https URL)");
                }
                check(uri.isAbsolute() && ("http".equalsIgnoreCase(uri.getScheme())
                                || "https".equalsIgnoreCase(uri.getScheme())) && uri.getHost() != null,
                        "JWKS URL: %s (expected: an http or https URL)", jwksUrl);
                check(jwksRefreshInterval.compareTo(Duration.ofSeconds(1)) >= 0,
                        "JWKS refresh interval: %s (expected: >= 1 second)", jwksRefreshInterval);
                check(!jwksMinRefetchInterval.isNegative(),
                        "JWKS minimum refetch interval: %s (expected: >= 0)", jwksMinRefetchInterval);
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }

        private static void checkPort(String name, int value, boolean mayDisable) {
            check(value >= (mayDisable ? -1 : 0) && value <= 65535,
                    "%s: %d (expected: 0-65535%s)", name, value, mayDisable ? ", or -1 to disable" : "");
        }

        private static void check(boolean ok, String format, Object... args) {
            if (!ok) {
                throw new ConfigException(String.format(format, args));
            }
        }
    }
}
