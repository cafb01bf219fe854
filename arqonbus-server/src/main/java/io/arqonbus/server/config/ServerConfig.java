package io.arqonbus.server.config;

import io.arqonbus.server.casil.CasilPolicy;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The whole server configuration, immutable and validated, as one record per concern:
 * {@link #listeners()}, {@link #limits()}, {@link #rateLimits()}, {@link #timeouts()}, {@link #memory()},
 * {@link #history()}, {@link #storage()}, {@link #auth()}, {@link #tls()} and the settings of each
 * operator lane. Build it with {@link #builder()}; the {@code ARQONBUS_*} variables, the
 * configuration file and the CLI's flags fill the same builder (flags &gt; env &gt; file &gt;
 * defaults). Every default is a {@code DEFAULT_*} constant of the record it belongs to;
 * {@code docs/configuration.md} lists them all. Over 400 lines: the builder has one field and one
 * setter per setting, which is what keeps every setting settable by name in one place.
 */
public final class ServerConfig {
    private final Builder settings;
    private final Listeners listeners;
    private final ConnectionLimits limits;
    private final RateLimits rateLimits;
    private final HistoryReads historyReads;
    private final Timeouts timeouts;
    private final MemoryLimits memory;
    private final HistorySettings history;
    private final StorageSettings storage;
    private final AuthSettings auth;
    private final TlsConfig tls;
    private final ClusterSettings cluster;

    private ServerConfig(Builder b) {
        settings = b.copy();
        listeners = new Listeners(b.host, b.port, b.telemetryHost != null ? b.telemetryHost : b.host, b.telemetryPort,
                b.httpHost != null ? b.httpHost : b.host, b.httpPort,
                b.ioThreads > 0 ? b.ioThreads : Runtime.getRuntime().availableProcessors(), b.nativeTransport,
                b.compression, b.soBacklog, b.writeBufferLow, b.writeBufferHigh);
        limits = new ConnectionLimits(b.maxMessageSize,
                b.maxFrameSize > 0 ? b.maxFrameSize : ConnectionLimits.defaultFrameSize(b.maxMessageSize),
                b.maxConnections, b.maxConnectionsPerClient, b.maxViolations, b.maxPendingBytes, b.slowConsumerPolicy,
                b.maxChannelsPerConnection, b.maxSubscriptionsPerConnection, b.telemetryMaxClients, b.allowedOrigins,
                b.maxPendingHandshakes);
        rateLimits = new RateLimits(b.rateLimitPerSecond, b.rateLimitBurst, b.rateLimitCloseAfter);
        historyReads = new HistoryReads(b.historyReadRate, b.historyReadBurst);
        timeouts = new Timeouts(b.keepAliveInterval, b.keepAliveTimeout, b.idleTimeout, b.handshakeTimeout,
                b.closeWait, b.shutdownGrace, b.statsInterval);
        memory = new MemoryLimits(
                b.maxPartialInboundBytes > 0 ? b.maxPartialInboundBytes : MemoryLimits.defaultMaxPartialInboundBytes(),
                b.receiveTimeout, b.onOutOfMemory,
                b.directMemoryHighWater > 0 ? b.directMemoryHighWater : MemoryLimits.defaultDirectMemoryHighWater());
        history = new HistorySettings(b.maxHistorySize, b.maxHistoryLimit, b.historyMaxAge, b.recoveryMaxMessages,
                b.dedupWindow, b.recentEventsSize, b.maxHistoryBytes, b.maxHistoryTotalBytes);
        cluster = new ClusterSettings(b.clusterRedis, b.nodeId != null ? b.nodeId : generatedNodeId(), b.clusterPresenceTtl);
        storage = new StorageSettings(cluster.enabled() ? clusterStore(b) : b.redis, b.storageMode, b.store,
                b.storeSync);
        auth = new AuthSettings(b.authEnabled, b.jwtAlgorithm, b.jwtSecret, b.jwtPublicKeyFile, b.jwksUrl,
                b.jwtIssuer, b.jwtAudience, b.jwtClockSkew, b.jwksRefreshInterval, b.jwksMinRefetchInterval);
        tls = b.tlsCertFile == null ? null : new TlsConfig(b.tlsCertFile, b.tlsKeyFile, b.tlsKeyPassword, b.tlsPorts);
    }

    /**
     * In cluster mode history is Redis Streams on the cluster's Redis (with the Redis settings' key
     * prefix and timeout when they are set); a file store is refused, for a node's disk is not shared.
     */
    private static RedisConfig clusterStore(Builder b) {
        ConfigException.check(!b.store.isFile(),
                "cluster mode (ARQONBUS_CLUSTER_URL / --cluster) keeps history in Redis Streams shared by every node; "
                        + "ARQONBUS_STORE=file:... (--store file:) is refused: a node's disk is not shared");
        if (b.redis == null) {
            return b.clusterRedis;
        }
        ConfigException.check(b.redis.address().equals(b.clusterRedis.address())
                        && b.redis.database() == b.clusterRedis.database(),
                "the Redis history store (%s) and the cluster's Redis (%s) differ: in cluster mode history lives "
                        + "in the cluster's Redis; drop ARQONBUS_REDIS_URL or make them the same", b.redis.display(),
                b.clusterRedis.display());
        return b.redis;
    }

    private static String generatedNodeId() {
        return "node-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** A builder holding every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: the embedded server with no auth, no Redis, no config. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    /**
     * A builder holding the values this configuration was built from. Values derived from others
     * (the telemetry and HTTP hosts from the bus host, the frame size from the message size, the
     * event loops from the cores) stay derived unless they were set.
     */
    public Builder toBuilder() {
        return settings.copy();
    }

    /** Where the server listens. */
    public Listeners listeners() { return listeners; }
    /** What one connection, and the server as a whole, may take. */
    public ConnectionLimits limits() { return limits; }
    /** The per-connection message rate. */
    public RateLimits rateLimits() { return rateLimits; }
    /** The per-connection budget of history reads. */
    public HistoryReads historyReads() { return historyReads; }
    /** Keepalive, idle, handshake and shutdown timings. */
    public Timeouts timeouts() { return timeouts; }
    /** Unfinished inbound frames and messages, and what happens when memory runs out. */
    public MemoryLimits memory() { return memory; }
    /** History, recovery, idempotency and recent events. */
    public HistorySettings history() { return history; }
    /** Where history is kept. */
    public StorageSettings storage() { return storage; }
    /** Whether and how tokens are verified. */
    public AuthSettings auth() { return auth; }
    /** Whether this server is a node of a cluster, and its node id (generated when not set). */
    public ClusterSettings cluster() { return cluster; }
    /** TLS, or {@code null} when every port is plain. */
    public TlsConfig tls() { return tls; }
    /** Channel permissions by role; {@code null} allows everything. */
    public ChannelPermissions permissions() { return settings.permissions; }
    /** Host globs ({@code *.example.com}) a webhook URL must match; empty allows any host. */
    public List<String> webhookAllowedHosts() { return settings.webhookAllowedHosts; }
    /** Whether the original's {@code message_response} and {@code command_response} frames are sent. */
    public boolean legacyAcks() { return settings.legacyAcks; }
    /** Whether {@code /metrics} also exposes the original's gauges named {@code _total} ({@code arqonbus_rooms_total}). */
    public boolean metricsLegacyNames() { return settings.metricsLegacyNames; }
    /** Whether the server records OpenTelemetry spans (docs/operations.md#tracing). */
    public TracingMode tracing() { return settings.tracing; }
    /** Whether the telemetry port needs an admin credential at the upgrade (docs/security.md). */
    public boolean telemetryAuth() { return settings.telemetryAuth; }
    /** The content inspection policy. */
    public CasilPolicy casil() { return settings.casil; }
    /** The bounds of the cron lane. */
    public CronSettings cron() { return settings.cron; }
    /** The settings of the omega lab lane. */
    public OmegaSettings omega() { return settings.omega; }
    /** The bounds of the key-value store. */
    public KvLimits kvLimits() { return settings.kvLimits; }
    /** The bounds on channels: in total, per tenant, creation rate, reclamation of idle ones. */
    public ChannelLimits channels() { return settings.channels; }
    /** The bounds and retry policy of webhook delivery. */
    public WebhookSettings webhooks() { return settings.webhooks; }
    /** The HTTP API under {@code /api/}: its keys, rate limit and body limit. */
    public HttpApiSettings httpApi() { return settings.httpApi; }
    /** Which channels choose their own slow-consumer policy, and the bound of a member's backlog. */
    public SlowConsumerChannels slowConsumerChannels() { return settings.slowConsumerChannels; }


    /**
     * Collects settings one at a time (every setting of {@code docs/configuration.md} has a setter
     * here) and validates them all in {@link #build()}. Unset derived values stay derived.
     */
    public static final class Builder implements Cloneable {
        private String host = Listeners.DEFAULT_HOST;
        private int port = Listeners.DEFAULT_PORT;
        private String telemetryHost;
        private int telemetryPort = Listeners.DEFAULT_TELEMETRY_PORT;
        private String httpHost;
        private int httpPort = Listeners.DEFAULT_HTTP_PORT;
        private int ioThreads;
        private boolean nativeTransport = true;
        private boolean compression;
        private int soBacklog = Listeners.DEFAULT_SO_BACKLOG;
        private int writeBufferLow = Listeners.DEFAULT_WRITE_BUFFER_LOW;
        private int writeBufferHigh = Listeners.DEFAULT_WRITE_BUFFER_HIGH;
        private int maxMessageSize = ConnectionLimits.DEFAULT_MAX_MESSAGE_SIZE;
        private int maxFrameSize;
        private int maxConnections = ConnectionLimits.DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerClient = ConnectionLimits.DEFAULT_MAX_CONNECTIONS_PER_CLIENT;
        private int maxPendingHandshakes = ConnectionLimits.DEFAULT_MAX_PENDING_HANDSHAKES;
        private int maxViolations = ConnectionLimits.DEFAULT_MAX_VIOLATIONS;
        private int maxPendingBytes = ConnectionLimits.DEFAULT_MAX_PENDING_BYTES;
        private SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE;
        private int maxChannelsPerConnection = ConnectionLimits.DEFAULT_MAX_CHANNELS_PER_CONNECTION;
        private int maxSubscriptionsPerConnection = ConnectionLimits.DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION;
        private int telemetryMaxClients = ConnectionLimits.DEFAULT_TELEMETRY_MAX_CLIENTS;
        private List<String> allowedOrigins = List.of();
        private int rateLimitPerSecond = RateLimits.DEFAULT_PER_SECOND;
        private int rateLimitBurst = RateLimits.DEFAULT_BURST;
        private int rateLimitCloseAfter = RateLimits.DEFAULT_CLOSE_AFTER;
        private int historyReadRate = HistoryReads.DEFAULT_BYTES_PER_SECOND;
        private int historyReadBurst = HistoryReads.DEFAULT_BURST_BYTES;
        private Duration keepAliveInterval = Timeouts.DEFAULT_KEEPALIVE_INTERVAL;
        private Duration keepAliveTimeout = Timeouts.DEFAULT_KEEPALIVE_TIMEOUT;
        private Duration idleTimeout = Timeouts.DEFAULT_IDLE_TIMEOUT;
        private Duration handshakeTimeout = Timeouts.DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration closeWait = Timeouts.DEFAULT_CLOSE_WAIT;
        private Duration shutdownGrace = Timeouts.DEFAULT_SHUTDOWN_GRACE;
        private Duration statsInterval = Timeouts.DEFAULT_STATS_INTERVAL;
        private long maxPartialInboundBytes;
        private Duration receiveTimeout = MemoryLimits.DEFAULT_RECEIVE_TIMEOUT;
        private OutOfMemoryPolicy onOutOfMemory = OutOfMemoryPolicy.EXIT;
        private long directMemoryHighWater;
        private int maxHistorySize = HistorySettings.DEFAULT_MAX_SIZE;
        private int maxHistoryLimit = HistorySettings.DEFAULT_MAX_LIMIT;
        private long maxHistoryBytes;
        private long maxHistoryTotalBytes;
        private Duration historyMaxAge = HistorySettings.DEFAULT_MAX_AGE;
        private int recoveryMaxMessages = HistorySettings.DEFAULT_RECOVERY_MAX_MESSAGES;
        private Duration dedupWindow = HistorySettings.DEFAULT_DEDUP_WINDOW;
        private int recentEventsSize = HistorySettings.DEFAULT_RECENT_EVENTS_SIZE;
        private RedisConfig redis;
        private RedisConfig clusterRedis;
        private String nodeId;
        private Duration clusterPresenceTtl = ClusterSettings.DEFAULT_PRESENCE_TTL;
        private StorageMode storageMode = StorageMode.DEGRADED;
        private StoreLocation store = StoreLocation.MEMORY;
        private StoreSync storeSync = StoreSync.ALWAYS;
        private boolean authEnabled;
        private String jwtAlgorithm = AuthSettings.DEFAULT_JWT_ALGORITHM;
        private String jwtSecret;
        private String jwtPublicKeyFile;
        private String jwksUrl;
        private String jwtIssuer;
        private String jwtAudience;
        private Duration jwtClockSkew = AuthSettings.DEFAULT_JWT_CLOCK_SKEW;
        private Duration jwksRefreshInterval = AuthSettings.DEFAULT_JWKS_REFRESH_INTERVAL;
        private Duration jwksMinRefetchInterval = AuthSettings.DEFAULT_JWKS_MIN_REFETCH_INTERVAL;
        private String tlsCertFile;
        private String tlsKeyFile;
        private String tlsKeyPassword;
        private Set<TlsConfig.Port> tlsPorts = EnumSet.allOf(TlsConfig.Port.class);
        private ChannelPermissions permissions;
        private List<String> webhookAllowedHosts = List.of();
        private boolean legacyAcks = true;
        private boolean metricsLegacyNames;
        private TracingMode tracing = TracingMode.AUTO;
        private boolean telemetryAuth;
        private CasilPolicy casil = CasilPolicy.defaults();
        private CronSettings cron = CronSettings.defaults();
        private OmegaSettings omega = OmegaSettings.defaults();
        private KvLimits kvLimits = KvLimits.defaults();
        private ChannelLimits channels = ChannelLimits.defaults();
        private WebhookSettings webhooks = WebhookSettings.defaults();
        private HttpApiSettings httpApi = HttpApiSettings.defaults();
        private SlowConsumerChannels slowConsumerChannels = SlowConsumerChannels.defaults();

        private Builder() {
        }

        /** Bus bind host; also the telemetry and HTTP host unless those are set. */
        public Builder host(String value) { host = Objects.requireNonNull(value, "host"); return this; }
        public Builder port(int value) { port = value; return this; }
        public Builder telemetryHost(String value) { telemetryHost = value; return this; }
        public Builder telemetryPort(int value) { telemetryPort = value; return this; }
        public Builder httpHost(String value) { httpHost = value; return this; }
        public Builder httpPort(int value) { httpPort = value; return this; }
        /** Event loops; 0 (the default) uses one per core. */
        public Builder ioThreads(int value) { ioThreads = value; return this; }
        public Builder soBacklog(int value) { soBacklog = value; return this; }
        public Builder writeBufferLow(int value) { writeBufferLow = value; return this; }
        public Builder writeBufferHigh(int value) { writeBufferHigh = value; return this; }
        public Builder nativeTransport(boolean value) { nativeTransport = value; return this; }
        public Builder compression(boolean value) { compression = value; return this; }
        public Builder maxMessageSize(int value) { maxMessageSize = value; return this; }
        /** Largest frame; 0 (the default) derives it from the message size. */
        public Builder maxFrameSize(int value) { maxFrameSize = value; return this; }
        public Builder maxConnections(int value) { maxConnections = value; return this; }
        public Builder maxConnectionsPerClient(int value) { maxConnectionsPerClient = value; return this; }
        public Builder maxPendingHandshakes(int value) { maxPendingHandshakes = value; return this; }
        public Builder maxViolations(int value) { maxViolations = value; return this; }
        public Builder maxPendingBytes(int value) { maxPendingBytes = value; return this; }
        public Builder slowConsumerPolicy(SlowConsumerPolicy value) { slowConsumerPolicy = Objects.requireNonNull(value); return this; }
        public Builder maxChannelsPerConnection(int value) { maxChannelsPerConnection = value; return this; }
        public Builder maxSubscriptionsPerConnection(int value) { maxSubscriptionsPerConnection = value; return this; }
        public Builder telemetryMaxClients(int value) { telemetryMaxClients = value; return this; }
        /** Browser origins allowed to connect; empty (the default) allows every origin. */
        public Builder allowedOrigins(List<String> value) { allowedOrigins = List.copyOf(value); return this; }
        public Builder rateLimitPerSecond(int value) { rateLimitPerSecond = value; return this; }
        public Builder rateLimitBurst(int value) { rateLimitBurst = value; return this; }
        public Builder rateLimitCloseAfter(int value) { rateLimitCloseAfter = value; return this; }
        public Builder historyReadRate(int value) { historyReadRate = value; return this; }
        public Builder historyReadBurst(int value) { historyReadBurst = value; return this; }
        public Builder keepAliveInterval(Duration value) { keepAliveInterval = Objects.requireNonNull(value); return this; }
        public Builder keepAliveTimeout(Duration value) { keepAliveTimeout = Objects.requireNonNull(value); return this; }
        public Builder idleTimeout(Duration value) { idleTimeout = Objects.requireNonNull(value); return this; }
        public Builder handshakeTimeout(Duration value) { handshakeTimeout = Objects.requireNonNull(value); return this; }
        public Builder closeWait(Duration value) { closeWait = Objects.requireNonNull(value); return this; }
        public Builder shutdownGrace(Duration value) { shutdownGrace = Objects.requireNonNull(value); return this; }
        public Builder statsInterval(Duration value) { statsInterval = Objects.requireNonNull(value); return this; }
        /** Bound on unfinished inbound frames and messages across all connections; 0 (the default) derives it. */
        public Builder maxPartialInboundBytes(long value) { maxPartialInboundBytes = value; return this; }
        /** Time a frame or fragmented message has to finish arriving; zero turns it off. */
        public Builder receiveTimeout(Duration value) { receiveTimeout = Objects.requireNonNull(value); return this; }
        /** What happens when memory runs out (default {@link OutOfMemoryPolicy#EXIT}). */
        public Builder onOutOfMemory(OutOfMemoryPolicy value) { onOutOfMemory = Objects.requireNonNull(value); return this; }
        /** High-water mark of direct memory in use for the shed policy; 0 (the default) derives it. */
        public Builder directMemoryHighWater(long value) { directMemoryHighWater = value; return this; }
        public Builder maxHistorySize(int value) { maxHistorySize = value; return this; }
        public Builder maxHistoryLimit(int value) { maxHistoryLimit = value; return this; }
        /** Bytes of history kept per {@code room:channel} by the memory store; 0 (the default) derives it. */
        public Builder maxHistoryBytes(long value) { maxHistoryBytes = value; return this; }
        /** Bytes of history kept by the memory store in all; 0 (the default) derives it from the direct memory. */
        public Builder maxHistoryTotalBytes(long value) { maxHistoryTotalBytes = value; return this; }
        public Builder historyMaxAge(Duration value) { historyMaxAge = Objects.requireNonNull(value); return this; }
        public Builder recoveryMaxMessages(int value) { recoveryMaxMessages = value; return this; }
        public Builder dedupWindow(Duration value) { dedupWindow = Objects.requireNonNull(value); return this; }
        public Builder recentEventsSize(int value) { recentEventsSize = value; return this; }
        /** Keeps history in Redis (or Valkey); {@code null} keeps it elsewhere. */
        public Builder redis(RedisConfig value) { redis = value; return this; }
        /** The Redis the nodes of a cluster share; {@code null} for a single node. */
        public Builder cluster(RedisConfig value) { clusterRedis = value; return this; }
        /** This node's id; {@code null} generates one. */
        public Builder nodeId(String value) { nodeId = blankToNull(value); return this; }
        /** How long a node's presence entries outlive its last heartbeat in the cluster's Redis. */
        public Builder clusterPresenceTtl(Duration value) { clusterPresenceTtl = Objects.requireNonNull(value); return this; }
        public Builder storageMode(StorageMode value) { storageMode = Objects.requireNonNull(value); return this; }
        public Builder store(StoreLocation value) { store = Objects.requireNonNull(value, "store"); return this; }
        public Builder storeSync(StoreSync value) { storeSync = Objects.requireNonNull(value, "storeSync"); return this; }
        public Builder authEnabled(boolean value) { authEnabled = value; return this; }
        public Builder jwtAlgorithm(String value) { jwtAlgorithm = Objects.requireNonNull(value); return this; }
        public Builder jwtSecret(String value) { jwtSecret = value; return this; }
        public Builder jwtPublicKeyFile(String value) { jwtPublicKeyFile = blankToNull(value); return this; }
        public Builder jwksUrl(String value) { jwksUrl = blankToNull(value); return this; }
        public Builder jwtIssuer(String value) { jwtIssuer = blankToNull(value); return this; }
        public Builder jwtAudience(String value) { jwtAudience = blankToNull(value); return this; }
        public Builder jwtClockSkew(Duration value) { jwtClockSkew = Objects.requireNonNull(value); return this; }
        public Builder jwksRefreshInterval(Duration value) { jwksRefreshInterval = Objects.requireNonNull(value); return this; }
        public Builder jwksMinRefetchInterval(Duration value) { jwksMinRefetchInterval = Objects.requireNonNull(value); return this; }
        /** The PEM certificate chain that turns TLS on (with {@link #tlsKeyFile}). */
        public Builder tlsCertFile(String value) { tlsCertFile = blankToNull(value); return this; }
        /** The PEM PKCS#8 private key of the certificate. */
        public Builder tlsKeyFile(String value) { tlsKeyFile = blankToNull(value); return this; }
        /** The private key's password, for an encrypted key. */
        public Builder tlsKeyPassword(String value) { tlsKeyPassword = blankToNull(value); return this; }
        /** The ports that speak TLS when it is on (default: all three). */
        public Builder tlsPorts(Set<TlsConfig.Port> value) { tlsPorts = Set.copyOf(value); return this; }
        /** Channel permissions by role; {@code null} (the default) allows everything. */
        public Builder permissions(ChannelPermissions value) { permissions = value; return this; }
        /** Host globs ({@code *.example.com}) a webhook URL must match; empty allows any host. */
        public Builder webhookAllowedHosts(List<String> value) {
            webhookAllowedHosts = value.stream().map(h -> h.trim().toLowerCase(Locale.ROOT))
                    .filter(h -> !h.isEmpty()).toList();
            return this;
        }
        public Builder legacyAcks(boolean value) { legacyAcks = value; return this; }
        public Builder metricsLegacyNames(boolean value) { metricsLegacyNames = value; return this; }
        public Builder tracing(TracingMode value) { tracing = Objects.requireNonNull(value, "tracing"); return this; }
        public Builder telemetryAuth(boolean value) { telemetryAuth = value; return this; }
        public Builder casil(CasilPolicy value) { casil = Objects.requireNonNull(value, "casil"); return this; }
        /** Changes the CASIL policy set so far. */
        public Builder casil(UnaryOperator<CasilPolicy> change) { return casil(change.apply(casil)); }
        public Builder cron(CronSettings value) { cron = Objects.requireNonNull(value, "cron"); return this; }
        /** Changes the cron settings set so far. */
        public Builder cron(UnaryOperator<CronSettings> change) { return cron(change.apply(cron)); }
        public Builder omega(OmegaSettings value) { omega = Objects.requireNonNull(value, "omega"); return this; }
        /** Changes the omega settings set so far. */
        public Builder omega(UnaryOperator<OmegaSettings> change) { return omega(change.apply(omega)); }
        public Builder kvLimits(KvLimits value) { kvLimits = Objects.requireNonNull(value, "kvLimits"); return this; }
        /** Changes the key-value limits set so far. */
        public Builder kvLimits(UnaryOperator<KvLimits> change) { return kvLimits(change.apply(kvLimits)); }
        public Builder channels(ChannelLimits value) { channels = Objects.requireNonNull(value, "channels"); return this; }
        /** Changes the channel bounds set so far. */
        public Builder channels(UnaryOperator<ChannelLimits> change) { return channels(change.apply(channels)); }
        public Builder webhooks(WebhookSettings value) { webhooks = Objects.requireNonNull(value, "webhooks"); return this; }
        /** Changes the webhook settings set so far. */
        public Builder webhooks(UnaryOperator<WebhookSettings> change) { return webhooks(change.apply(webhooks)); }
        public Builder httpApi(HttpApiSettings value) { httpApi = Objects.requireNonNull(value, "httpApi"); return this; }
        /** Changes the HTTP API settings set so far. */
        public Builder httpApi(UnaryOperator<HttpApiSettings> change) { return httpApi(change.apply(httpApi)); }
        public Builder slowConsumerChannels(SlowConsumerChannels value) { slowConsumerChannels = Objects.requireNonNull(value); return this; }
        /** Changes the per-channel slow-consumer settings set so far. */
        public Builder slowConsumerChannels(UnaryOperator<SlowConsumerChannels> change) { return slowConsumerChannels(change.apply(slowConsumerChannels)); }

        /**
         * Validates every setting and builds the configuration.
         *
         * @throws ConfigException naming the first setting that is out of range
         */
        public ServerConfig build() {
            ConfigException.check(maxPartialInboundBytes >= 0,
                    "max partial inbound bytes: %d (expected: > 0, or 0 for the default)", maxPartialInboundBytes);
            ConfigException.check(directMemoryHighWater >= 0,
                    "direct memory high water: %d (expected: > 0, or 0 for the default)", directMemoryHighWater);
            ConfigException.check(ioThreads >= 0, "io threads: %d (expected: >= 0)", ioThreads);
            ConfigException.check(maxFrameSize == 0 || maxFrameSize >= maxMessageSize,
                    "max frame size: %d (expected: >= max message size %d)", maxFrameSize, maxMessageSize);
            ConfigException.check((tlsCertFile == null) == (tlsKeyFile == null),
                    "TLS needs both a certificate and its private key (ARQONBUS_TLS_CERT_FILE and ARQONBUS_TLS_KEY_FILE)");
            ConfigException.check(tlsKeyPassword == null || tlsKeyFile != null,
                    "a TLS key password is set but no TLS key file");
            ServerConfig config = new ServerConfig(this);
            config.history.checkBytes(maxMessageSize);
            if (config.tls != null) {
                config.tls.validate();
            }
            return config;
        }

        /** A copy: every field is an immutable value, so a shallow copy is independent of this builder. */
        private Builder copy() {
            try {
                return (Builder) clone();
            } catch (CloneNotSupportedException e) {
                throw new AssertionError(e);
            }
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }
}
