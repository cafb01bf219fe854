package io.arqonbus.server.internal.config;

import static io.arqonbus.server.internal.config.SettingValue.bool;
import static io.arqonbus.server.internal.config.SettingValue.group;
import static io.arqonbus.server.internal.config.SettingValue.integer;
import static io.arqonbus.server.internal.config.SettingValue.longInteger;
import static io.arqonbus.server.internal.config.SettingValue.list;
import static io.arqonbus.server.internal.config.SettingValue.parsed;
import static io.arqonbus.server.internal.config.SettingValue.seconds;
import static io.arqonbus.server.internal.config.SettingValue.text;

import io.arqonbus.server.config.OutOfMemoryPolicy;
import io.arqonbus.server.config.RedisConfig;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.config.SlowConsumerChannels;
import io.arqonbus.server.config.SlowConsumerPolicy;
import io.arqonbus.server.config.StorageMode;
import io.arqonbus.server.config.StoreLocation;
import io.arqonbus.server.config.StoreSync;
import io.arqonbus.server.config.TlsConfig;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every server setting, declared once: its environment variable (the original ArqonBus's
 * {@code ARQONBUS_*} names, plus ours), the configuration file key ({@code ARQONBUS_X_Y} is
 * {@code x_y}), the {@code arqon} flag if it has one, the name {@code check-config} shows, its
 * default, a one-line doc and how its value is read and shown. The environment reader, the file
 * reader, the CLI's flags and {@code check-config}, and the tables of {@code docs/configuration.md}
 * are all driven by this table. Over 400 lines because it is that table: one declaration per setting.
 */
public enum Setting {
    // Ports and transport
    HOST(spec(Section.PORTS, "ARQONBUS_SERVER_HOST", "bus host", "`127.0.0.1`", "also the default for the telemetry and HTTP hosts",
            text(ServerConfig.Builder::host), c -> c.listeners().host()).name("host").flag("--host", "HOST")),
    PORT(spec(Section.PORTS, "ARQONBUS_SERVER_PORT", "bus port", "`9100`", "WebSocket upgrade on any path; 0 = a free port",
            integer(ServerConfig.Builder::port), c -> c.listeners().port()).name("port").flag("--port", "PORT")),
    TELEMETRY_HOST(spec(Section.PORTS, "ARQONBUS_TELEMETRY_HOST", "telemetry host", "bus host", "",
            text(ServerConfig.Builder::telemetryHost), c -> c.listeners().telemetryHost())
            .name("telemetry_host").flag("--telemetry-host", "HOST").derived("bus host")),
    TELEMETRY_PORT(spec(Section.PORTS, "ARQONBUS_TELEMETRY_PORT", "telemetry port", "`8081`", "0 = a free port; -1 disables the port",
            integer(ServerConfig.Builder::telemetryPort), c -> port(c.listeners().telemetryPort()))
            .name("telemetry_port").flag("--telemetry-port", "PORT")),
    HTTP_HOST(spec(Section.PORTS, "ARQONBUS_HTTP_HOST", "HTTP host", "bus host", "",
            text(ServerConfig.Builder::httpHost), c -> c.listeners().httpHost())
            .name("http_host").flag("--http-host", "HOST").derived("bus host")),
    HTTP_PORT(spec(Section.PORTS, "ARQONBUS_HTTP_PORT", "HTTP port", "`8080`",
            "`/health`, `/ready`, `/version`, `/status`, `/metrics`, `/presence/{room}[/{channel}]`; 0 = a free port; "
                    + "-1 disables the port",
            integer(ServerConfig.Builder::httpPort), c -> port(c.listeners().httpPort()))
            .name("http_port").flag("--http-port", "PORT")),
    IO_THREADS(spec(Section.PORTS, "ARQONBUS_IO_THREADS", "event loops", "number of cores", "",
            integer(ServerConfig.Builder::ioThreads), c -> c.listeners().ioThreads())
            .name("io_threads").flag("--io-threads", "N").derived("number of cores")),
    NATIVE_TRANSPORT(spec(Section.PORTS, "ARQONBUS_NATIVE_TRANSPORT", "native transport", "`true`",
            "epoll on Linux when available, NIO otherwise",
            bool(ServerConfig.Builder::nativeTransport), c -> c.listeners().nativeTransport())),
    COMPRESSION(spec(Section.PORTS, "ARQONBUS_COMPRESSION", "permessage-deflate", "`false`",
            "fan-out frames are sent uncompressed even when negotiated; a client's compressed frame may inflate to at "
                    + "most the max frame size (more closes the connection with 1009 `frame larger than the maximum "
                    + "frame size once decompressed`)",
            bool(ServerConfig.Builder::compression), c -> c.listeners().compression()).flag("--compression", "BOOL")),

    // Limits
    MAX_MESSAGE_SIZE(spec(Section.LIMITS, "ARQONBUS_MAX_MESSAGE_SIZE", "max message size", "`1048576` (1 MiB)",
            "error frame `PAYLOAD_TOO_LARGE`, the connection stays open",
            integer(ServerConfig.Builder::maxMessageSize), c -> c.limits().maxMessageSize())
            .flag("--max-message-size", "BYTES")),
    MAX_FRAME_SIZE(spec(Section.LIMITS, "ARQONBUS_MAX_FRAME_SIZE", "max frame size", "4 × max message size",
            "a single WebSocket frame larger than this closes the connection with 1009",
            integer(ServerConfig.Builder::maxFrameSize), c -> c.limits().maxFrameSize())
            .flag("--max-frame-size", "BYTES").derived("4 x max message size")),
    MAX_CONNECTIONS(spec(Section.LIMITS, "ARQONBUS_MAX_CONNECTIONS", "max connections", "`1000`",
            "the connection is closed with 1013 right after the upgrade",
            integer(ServerConfig.Builder::maxConnections), c -> c.limits().maxConnections())
            .flag("--max-connections", "N")),
    MAX_CONNECTIONS_PER_CLIENT(spec(Section.LIMITS, "ARQONBUS_MAX_CONNECTIONS_PER_CLIENT", "connections per client", "`100`",
            "connections one authenticated subject (the token's `sub`) may hold at once; one more is closed with 1013 "
                    + "`connection limit for this client reached` right after the upgrade; 0 = no bound",
            integer(ServerConfig.Builder::maxConnectionsPerClient), c -> c.limits().maxConnectionsPerClient())),
    MAX_PENDING_HANDSHAKES(spec(Section.LIMITS, "ARQONBUS_MAX_PENDING_HANDSHAKES", "handshakes in progress", "`10000`",
            "bus connections accepted but not yet welcomed (upgrade, token check, session set-up) past which a new upgrade "
                    + "is not checked or queued: it is answered at once and closed with 1013 `server busy: retry with backoff` "
                    + "(a backstop for memory and descriptors; 0 = no bound). Whatever the count, an upgrade whose request "
                    + "reaches the server more than half `ARQONBUS_HANDSHAKE_TIMEOUT_SECONDS` after its connection was accepted "
                    + "is shed the same way: the server is that far behind",
            integer(ServerConfig.Builder::maxPendingHandshakes), c -> c.limits().maxPendingHandshakes())
            .flag("--max-pending-handshakes", "N")),
    TLS_CERT_FILE(spec(Section.LIMITS, "ARQONBUS_TLS_CERT_FILE", "TLS certificate", "none (plain)",
            "PEM certificate chain, the server's certificate first; with the key, turns TLS on (`wss://`, `https://`); "
                    + "see [security.md](security.md#tls)",
            text(ServerConfig.Builder::tlsCertFile), c -> c.tls() == null ? "(none)" : c.tls().certFile())),
    TLS_KEY_FILE(spec(Section.LIMITS, "ARQONBUS_TLS_KEY_FILE", "TLS private key", "none",
            "PEM PKCS#8 private key of the certificate (`BEGIN PRIVATE KEY`, or `BEGIN ENCRYPTED PRIVATE KEY` with the "
                    + "password below); a key that does not belong to the certificate stops the start",
            text(ServerConfig.Builder::tlsKeyFile), c -> c.tls() == null ? "(none)" : c.tls().keyFile())),
    TLS_KEY_PASSWORD(spec(Section.LIMITS, "ARQONBUS_TLS_KEY_PASSWORD", "TLS key password", "none",
            "password of an encrypted key",
            text(ServerConfig.Builder::tlsKeyPassword),
            c -> c.tls() == null || c.tls().keyPassword() == null ? "(none)" : "********")),
    TLS_PORTS(spec(Section.LIMITS, "ARQONBUS_TLS_PORTS", "TLS ports", "`bus,telemetry,http`",
            "which ports speak TLS when it is on; the others stay plain (e.g. `bus,telemetry` keeps `/metrics` and "
                    + "`/health` plain for a scraper on a private network)",
            parsed(TlsConfig::parsePorts, ServerConfig.Builder::tlsPorts),
            c -> c.tls() == null ? "(off)" : c.tls().portList())),
    ALLOWED_ORIGINS(spec(Section.LIMITS, "ARQONBUS_ALLOWED_ORIGINS", "allowed browser origins", "any",
            "comma list of origins (e.g. `https://app.example.com`, compared whole and case-insensitively; `*` = any); "
                    + "an upgrade whose `Origin` header is not listed gets 403 "
                    + "`{\"error\":\"Forbidden\",\"details\":\"Origin not allowed\"}`; requests without `Origin` (not "
                    + "from a browser) are accepted",
            list(ServerConfig.Builder::allowedOrigins),
            c -> c.limits().allowedOrigins().isEmpty() ? "(any)" : String.join(",", c.limits().allowedOrigins()))),
    MAX_VIOLATIONS(spec(Section.LIMITS, "ARQONBUS_MAX_VIOLATIONS", "max violations", "`10`",
            "that many refused frames in a row close the connection with 4000",
            integer(ServerConfig.Builder::maxViolations), c -> c.limits().maxViolations())),
    RATE_LIMIT_PER_SECOND(spec(Section.LIMITS, "ARQONBUS_RATE_LIMIT_PER_SECOND", "message rate", "`50000`",
            "token bucket per connection; a message over the rate is dropped unread and answered with an error frame "
                    + "`RATE_LIMITED`; 0 turns the limit off",
            integer(ServerConfig.Builder::rateLimitPerSecond), c -> c.rateLimits().perSecond())),
    RATE_LIMIT_BURST(spec(Section.LIMITS, "ARQONBUS_RATE_LIMIT_BURST", "message burst", "`100000`",
            "the bucket's size: messages a connection may send at once above its rate",
            integer(ServerConfig.Builder::rateLimitBurst), c -> c.rateLimits().burst())),
    RATE_LIMIT_CLOSE_AFTER(spec(Section.LIMITS, "ARQONBUS_RATE_LIMIT_CLOSE_AFTER", "rate-limit close", "`100`",
            "that many rate-limited messages, each less than a second after the previous one, close the connection "
                    + "with 4002 (they do not count as violations)",
            integer(ServerConfig.Builder::rateLimitCloseAfter), c -> c.rateLimits().closeAfter())),
    MAX_CHANNELS_PER_CONNECTION(spec(Section.LIMITS, "ARQONBUS_MAX_CHANNELS_PER_CONNECTION", "channels per connection",
            "`1000`", "a further `join_channel` answers `MAX_SUBSCRIBERS`; leave one first",
            integer(ServerConfig.Builder::maxChannelsPerConnection), c -> c.limits().maxChannelsPerConnection())),
    MAX_SUBSCRIPTIONS_PER_CONNECTION(spec(Section.LIMITS, "ARQONBUS_MAX_SUBSCRIPTIONS_PER_CONNECTION",
            "filtered subscriptions per connection", "`32`",
            "a further `subscribe` answers `MAX_SUBSCRIBERS`; `unsubscribe` one first "
                    + "([protocol.md](protocol.md#filtered-subscriptions))",
            integer(ServerConfig.Builder::maxSubscriptionsPerConnection),
            c -> c.limits().maxSubscriptionsPerConnection())),
    MAX_CHANNELS(spec(Section.LIMITS, "ARQONBUS_MAX_CHANNELS", "channels in total", "`20000`",
            "a new channel past it (publish, `join_channel`, `create_channel`) → `CHANNEL_LIMIT`; configured "
                    + "channels do not count against it ([protocol.md](protocol.md#channel-limits))",
            integer((b, v) -> b.channels(c -> c.withMaxChannels(v))), c -> c.channels().maxChannels())),
    MAX_CHANNELS_PER_TENANT(spec(Section.LIMITS, "ARQONBUS_MAX_CHANNELS_PER_TENANT", "channels per tenant",
            "`0` (no bound beyond the total)",
            "channels created by one tenant's connections (auth on); a new one past it → `CHANNEL_LIMIT`",
            integer((b, v) -> b.channels(c -> c.withMaxChannelsPerTenant(v))),
            c -> c.channels().maxChannelsPerTenant())),
    CHANNEL_CREATE_RATE(spec(Section.LIMITS, "ARQONBUS_CHANNEL_CREATE_RATE", "channel creations per second",
            "`100`", "new channels one connection may create a second (token bucket); faster → `RATE_LIMITED`",
            integer((b, v) -> b.channels(c -> c.withCreateRate(v))), c -> c.channels().createRate())),
    CHANNEL_CREATE_BURST(spec(Section.LIMITS, "ARQONBUS_CHANNEL_CREATE_BURST", "channel creation burst",
            "`1000`", "new channels one connection may create at once (the token bucket's size)",
            integer((b, v) -> b.channels(c -> c.withCreateBurst(v))), c -> c.channels().createBurst())),
    CHANNEL_IDLE_SECONDS(spec(Section.LIMITS, "ARQONBUS_CHANNEL_IDLE_SECONDS", "channel idle grace", "`300`",
            "a channel created implicitly (publish, `join_channel`) that stays empty and without publications "
                    + "that long is reclaimed; `0` = never ([protocol.md](protocol.md#channel-limits))",
            seconds((b, v) -> b.channels(c -> c.withIdleGrace(v))), c -> c.channels().idleGrace())),
    HANDSHAKE_TIMEOUT(spec(Section.LIMITS, "ARQONBUS_HANDSHAKE_TIMEOUT_SECONDS", "handshake timeout", "`10`",
            "a connection to the bus or telemetry port that has not completed its WebSocket upgrade by then is closed "
                    + "(TCP close, no HTTP answer): a socket that sends nothing, a request that never ends",
            seconds(ServerConfig.Builder::handshakeTimeout), c -> c.timeouts().handshakeTimeout())
            .name("handshake_timeout_seconds")),
    MAX_PARTIAL_INBOUND_BYTES(spec(Section.LIMITS, "ARQONBUS_MAX_PARTIAL_INBOUND_BYTES", "unfinished inbound messages",
            "a quarter of the maximum direct memory, at least 1 MiB",
            "memory held, all bus connections together, by frames that have only partly arrived (the buffer Netty keeps "
                    + "the part in: up to twice the bytes received) and by fragmented messages being reassembled; a "
                    + "connection that would need more than is left is closed with 1013 `server busy: no room for "
                    + "unfinished messages, try again later`, the others keep what they hold. The maximum direct memory "
                    + "is Netty's: `-Dio.netty.maxDirectMemory` when set, else `-XX:MaxDirectMemorySize`, else the "
                    + "maximum heap. A frame larger than this can never be received "
                    + "([reliability.md](reliability.md#unfinished-frames-and-messages))",
            longInteger(ServerConfig.Builder::maxPartialInboundBytes), c -> c.memory().maxPartialInboundBytes())),
    RECEIVE_TIMEOUT(spec(Section.LIMITS, "ARQONBUS_RECEIVE_TIMEOUT_SECONDS", "receive timeout", "`60`",
            "a frame, and a message sent in fragments, must arrive whole within this from its first byte; otherwise "
                    + "close 1008 `message not received within … ms`; 0 turns it off",
            seconds(ServerConfig.Builder::receiveTimeout), c -> c.memory().receiveTimeout())
            .name("receive_timeout_seconds")),
    ON_OUT_OF_MEMORY(spec(Section.LIMITS, "ARQONBUS_ON_OUT_OF_MEMORY", "out of memory", "`exit`",
            "what happens when a direct buffer (or the heap) cannot be allocated. `exit`: one log line "
                    + "`level=ERROR … event=out_of_memory code=OUT_OF_MEMORY policy=exit memory=direct …` and the "
                    + "process halts with status **3**, for its supervisor to restart it (`-XX:+ExitOnOutOfMemoryError`, "
                    + "which the launcher passes, covers only the heap). `shed`: the connection that could not get "
                    + "memory is closed with 1013 `server out of memory, try again later` (one WARN line per "
                    + "connection), and new handshakes are refused — HTTP 503 on the bus port, a closed socket on the "
                    + "telemetry port — while the direct memory in use is above the high-water mark "
                    + "([reliability.md](reliability.md#out-of-memory-never-a-zombie))",
            parsed(OutOfMemoryPolicy::parse, ServerConfig.Builder::onOutOfMemory), c -> c.memory().onOutOfMemory())),
    DIRECT_MEMORY_HIGH_WATER(spec(Section.LIMITS, "ARQONBUS_DIRECT_MEMORY_HIGH_WATER_BYTES",
            "direct memory high-water mark", "80 % of the maximum direct memory",
            "`shed` only: new handshakes are refused while the direct memory held by the connections' buffers is "
                    + "above this; accepted again below it",
            longInteger(ServerConfig.Builder::directMemoryHighWater), c -> c.memory().directMemoryHighWater())),
    IDLE_TIMEOUT(spec(Section.LIMITS, "ARQONBUS_IDLE_TIMEOUT_SECONDS", "idle timeout", "`0` (off)",
            "no message (text or binary frame; pings and pongs do not count) from the client for that long → close "
                    + "4004 `idle timeout`",
            seconds(ServerConfig.Builder::idleTimeout), c -> c.timeouts().idleTimeout())),
    MAX_PENDING_BYTES(spec(Section.LIMITS, "ARQONBUS_MAX_PENDING_BYTES", "pending output per connection",
            "`4194304` (4 MiB)", "slow-consumer policy",
            integer(ServerConfig.Builder::maxPendingBytes), c -> c.limits().maxPendingBytes())),
    SLOW_CONSUMER_POLICY(spec(Section.LIMITS, "ARQONBUS_SLOW_CONSUMER_POLICY", "slow-consumer policy", "`close`",
            "`close`: close with 4001; `drop`: skip deliveries that do not fit, counted in "
                    + "`arqonbus_slow_consumer_drops_total`",
            parsed(Setting::slowConsumerPolicy, ServerConfig.Builder::slowConsumerPolicy),
            c -> c.limits().slowConsumerPolicy().name().toLowerCase(Locale.ROOT))
            .flag("--slow-consumer-policy", "close|drop")),
    SLOW_CONSUMER_CHANNELS(spec(Section.LIMITS, "ARQONBUS_SLOW_CONSUMER_CHANNELS", "slow-consumer policy per channel",
            "empty (every channel `disconnect`)",
            "comma list of `room:channel-glob=policy`, the first match wins; policies `disconnect` (the connection's "
                    + "budget as above), `drop-oldest` (a member over `ARQONBUS_WRITE_BUFFER_HIGH` gets the channel's "
                    + "frames through a bounded backlog; when it overflows the oldest are dropped and the member gets a "
                    + "`missed` notice) and `conflate` (the latest value per key wins); "
                    + "`create_channel`'s `slow_consumer` argument overrides it "
                    + "([protocol.md](protocol.md#slow-consumers-per-channel))",
            parsed(SlowConsumerChannels::parseRules, (b, v) -> b.slowConsumerChannels(c -> c.withRules(v))),
            c -> c.slowConsumerChannels().rules().isEmpty() ? "(none)" : c.slowConsumerChannels().rulesText())),
    SLOW_CONSUMER_BACKLOG(spec(Section.LIMITS, "ARQONBUS_SLOW_CONSUMER_BACKLOG", "slow-consumer backlog", "`1000`",
            "frames one member that fell behind keeps waiting per `drop-oldest` or `conflate` channel (also bounded by "
                    + "`ARQONBUS_MAX_PENDING_BYTES` in bytes); past it the oldest go",
            integer((b, v) -> b.slowConsumerChannels(c -> c.withBacklogMessages(v))),
            c -> c.slowConsumerChannels().backlogMessages())),
    KEEPALIVE_INTERVAL(spec(Section.LIMITS, "ARQONBUS_KEEPALIVE_INTERVAL_SECONDS", "keepalive interval", "`20`",
            "a quiet connection gets a ping; 0 disables keepalive",
            seconds(ServerConfig.Builder::keepAliveInterval), c -> c.timeouts().keepAliveInterval())),
    KEEPALIVE_TIMEOUT(spec(Section.LIMITS, "ARQONBUS_KEEPALIVE_TIMEOUT_SECONDS", "keepalive timeout", "`10`",
            "no frame within this after a ping → close 1011",
            seconds(ServerConfig.Builder::keepAliveTimeout), c -> c.timeouts().keepAliveTimeout())),
    TELEMETRY_MAX_CLIENTS(spec(Section.LIMITS, "ARQONBUS_TELEMETRY_MAX_CLIENTS", "telemetry clients", "`500`", "close 1013",
            integer(ServerConfig.Builder::telemetryMaxClients), c -> c.limits().telemetryMaxClients())),
    SO_BACKLOG(spec(Section.LIMITS, "ARQONBUS_SO_BACKLOG", "TCP backlog of each listening port", "`4096`", "",
            integer(ServerConfig.Builder::soBacklog), c -> c.listeners().soBacklog())),
    WRITE_BUFFER_LOW(spec(Section.LIMITS, "ARQONBUS_WRITE_BUFFER_LOW", "pending output below which a connection is writable again (bytes)", "`32768`", "",
            integer(ServerConfig.Builder::writeBufferLow), c -> c.listeners().writeBufferLow())),
    WRITE_BUFFER_HIGH(spec(Section.LIMITS, "ARQONBUS_WRITE_BUFFER_HIGH", "pending output above which a connection is not writable (bytes)", "`131072`", "",
            integer(ServerConfig.Builder::writeBufferHigh), c -> c.listeners().writeBufferHigh())),

    // History
    MAX_HISTORY_SIZE(spec(Section.HISTORY, "ARQONBUS_MAX_HISTORY_SIZE", "messages kept per `room:channel`", "`10000`",
            "oldest dropped first; 0 keeps none",
            integer(ServerConfig.Builder::maxHistorySize), c -> c.history().maxSize())
            .flag("--max-history-size", "N")),
    MAX_HISTORY_BYTES(spec(Section.HISTORY, "ARQONBUS_MAX_HISTORY_BYTES", "bytes kept per `room:channel`", "`0` (derived)",
            "memory store (and the Redis store's memory fallback): the oldest are dropped while a channel's history "
                    + "holds more; never below the max message size (the newest publication is always kept); "
                    + "0 = min(total / 8, 64 MiB), at least the max message size",
            longInteger(ServerConfig.Builder::maxHistoryBytes), c -> c.history().maxBytes())),
    MAX_HISTORY_TOTAL_BYTES(spec(Section.HISTORY, "ARQONBUS_MAX_HISTORY_TOTAL_BYTES", "bytes kept by all channels",
            "`0` (derived)",
            "memory store: direct memory its buffers may take in all; past it the oldest entries are dropped, the "
                    + "appending channel's first, then the largest channels'; 0 = 1/4 of the JVM's max direct memory",
            longInteger(ServerConfig.Builder::maxHistoryTotalBytes), c -> c.history().maxTotalBytes())),
    HISTORY_MAX_AGE(spec(Section.HISTORY, "ARQONBUS_HISTORY_MAX_AGE_SECONDS", "max age", "`86400` (24 h)",
            "older entries are never returned; memory drops them on append and read, the file store in a periodic pass",
            seconds(ServerConfig.Builder::historyMaxAge), c -> c.history().maxAge())),
    MAX_HISTORY_LIMIT(spec(Section.HISTORY, "ARQONBUS_MAX_HISTORY_LIMIT", "largest history request", "`1000`",
            "for `history` and `history.get`; larger `limit` → `VALIDATION_ERROR` (`history.replay` takes up to 5000)",
            integer(ServerConfig.Builder::maxHistoryLimit), c -> c.history().maxLimit())),
    HISTORY_READ_RATE(spec(Section.HISTORY, "ARQONBUS_HISTORY_READ_RATE", "history read rate (bytes/s)",
            "`4194304` (4 MiB)",
            "per connection: `history`, `history.get` and `history.replay` are admitted while the connection's budget "
                    + "holds bytes and charged the stored bytes of their reply (at least 1 KiB); a read over the "
                    + "budget answers `RATE_LIMITED` with `retry_after_ms` ([protocol.md](protocol.md#6-errors)); "
                    + "0 turns the budget off",
            integer(ServerConfig.Builder::historyReadRate), c -> c.historyReads().bytesPerSecond())),
    HISTORY_READ_BURST(spec(Section.HISTORY, "ARQONBUS_HISTORY_READ_BURST", "history read burst (bytes)",
            "`8388608` (8 MiB)", "the budget's size: reply bytes a connection may read at once above its rate",
            integer(ServerConfig.Builder::historyReadBurst), c -> c.historyReads().burstBytes())),
    RECOVERY_MAX_MESSAGES(spec(Section.HISTORY, "ARQONBUS_RECOVERY_MAX_MESSAGES", "largest recovery", "`1000`",
            "most publications one `join_channel` recovery sends; more missed → `recovered: false`",
            integer(ServerConfig.Builder::recoveryMaxMessages), c -> c.history().recoveryMaxMessages())),
    DEDUP_WINDOW(spec(Section.HISTORY, "ARQONBUS_DEDUP_WINDOW_SECONDS", "idempotency window", "`300`",
            "how long a channel remembers a publication's `metadata.idempotency_key`",
            seconds(ServerConfig.Builder::dedupWindow), c -> c.history().dedupWindow())),
    ENABLE_PERSISTENCE(spec(Section.HISTORY, "ARQONBUS_ENABLE_PERSISTENCE", "(compatibility)", "accepted, ignored",
            "history is always kept in memory by default",
            bool((b, ignored) -> { }), c -> "(ignored)")),
    STORE(spec(Section.HISTORY, "ARQONBUS_STORE", "store", "`memory`",
            "`memory`, or `file:<dir>`: a durable store (RocksDB) in directory `<dir>` (relative to the working "
                    + "directory; created when missing). History and every channel's offset and epoch survive restarts "
                    + "and crashes. Linux (glibc) on x86-64, aarch64, ppc64le, s390x or riscv64 only",
            parsed(StoreLocation::parse, ServerConfig.Builder::store), c -> c.storage().store())
            .flag("--store", "memory|file:DIR")),
    STORE_SYNC(spec(Section.HISTORY, "ARQONBUS_STORE_SYNC", "store sync", "`always`",
            "file store only. `always`: each group of appends is fsynced before any of them is confirmed (a durable ack "
                    + "survives a power loss); `none`: confirmed once handed to the OS (survives a crash of the server, "
                    + "not of the machine)",
            parsed(StoreSync::parse, ServerConfig.Builder::storeSync), c -> c.storage().sync())
            .flag("--store-sync", "always|none")),

    // Redis history store
    STORAGE_BACKEND(spec(Section.REDIS, "ARQONBUS_STORAGE_BACKEND", "backend", "`memory`",
            "`memory`, `redis`, `redis_streams`, `valkey` or `valkey_streams` (the last four are the same store; "
                    + "`valkey*` only changes the name shown in `status` and logs); `--redis-url` implies `redis`",
            group(), c -> c.storage().redis() == null ? "memory" : c.storage().redis().backend())),
    REDIS_URL(spec(Section.REDIS, "ARQONBUS_REDIS_URL", "where", "—",
            "`redis://[[user]:password@]host[:port][/db]`; `rediss://` for TLS; `valkey://`/`valkeys://` accepted; "
                    + "the flag also selects the Redis store",
            group(), c -> redis(c, RedisConfig::display)).flag("--redis-url", "URL").alias("ARQONBUS_VALKEY_URL")),
    REDIS_HOST(spec(Section.REDIS, "ARQONBUS_REDIS_HOST", "host", "`127.0.0.1`", "used when no URL is set",
            group(), c -> redis(c, RedisConfig::host)).alias("ARQONBUS_VALKEY_HOST")),
    REDIS_PORT(spec(Section.REDIS, "ARQONBUS_REDIS_PORT", "port", "`6379`", "used when no URL is set",
            group(), c -> redis(c, RedisConfig::port)).alias("ARQONBUS_VALKEY_PORT")),
    REDIS_PASSWORD(spec(Section.REDIS, "ARQONBUS_REDIS_PASSWORD", "password", "none", "also completes a URL that has none",
            group(), c -> redis(c, r -> r.password() == null ? "(none)" : "********")).alias("ARQONBUS_VALKEY_PASSWORD")),
    REDIS_SSL(spec(Section.REDIS, "ARQONBUS_REDIS_SSL", "TLS", "`false`", "used when no URL is set",
            group(), c -> redis(c, RedisConfig::ssl)).alias("ARQONBUS_VALKEY_SSL")),
    REDIS_KEY_PREFIX(spec(Section.REDIS, "ARQONBUS_REDIS_KEY_PREFIX", "key prefix", "`arqonbus:`",
            "every key the store writes starts with it; one server per prefix",
            group(), c -> redis(c, RedisConfig::keyPrefix)).alias("ARQONBUS_VALKEY_KEY_PREFIX")),
    REDIS_TIMEOUT(spec(Section.REDIS, "ARQONBUS_REDIS_TIMEOUT_SECONDS", "command timeout", "`5`",
            "a command (an append) not answered in time fails; also the connect timeout",
            group(), c -> redis(c, r -> r.commandTimeout())).alias("ARQONBUS_VALKEY_TIMEOUT_SECONDS")),
    STORAGE_MODE(spec(Section.REDIS, "ARQONBUS_STORAGE_MODE", "failure mode", "`degraded`",
            "`degraded` or `strict`; see below",
            parsed(StorageMode::parse, ServerConfig.Builder::storageMode), c -> c.storage().mode().wireName())
            .flag("--storage-mode", "degraded|strict")),

    // Cluster
    CLUSTER_URL(spec(Section.CLUSTER, "ARQONBUS_CLUSTER_URL", "cluster", "none (a single node)",
            "`redis://[[user]:password@]host[:port][/db]` (`rediss://` for TLS): this server is one node of the cluster "
                    + "sharing that Redis; history is then Redis Streams there and `--store file:` is refused; see "
                    + "[cluster.md](cluster.md)",
            parsed((source, url) -> RedisConfig.parseUrl(source, url), ServerConfig.Builder::cluster),
            c -> c.cluster().redis() == null ? "(none)" : c.cluster().redis().display())
            .name("cluster").flag("--cluster", "URL")),
    NODE_ID(spec(Section.CLUSTER, "ARQONBUS_NODE_ID", "node id", "generated (`node-` and 8 hex digits)",
            "this node's name in logs, `/status` and metrics; unique among the nodes (1–64 letters, digits, `.`, `_`, `-`)",
            text(ServerConfig.Builder::nodeId), c -> c.cluster().nodeId()).name("node_id").flag("--node-id", "ID")),
    CLUSTER_PRESENCE_TTL(spec(Section.CLUSTER, "ARQONBUS_CLUSTER_PRESENCE_TTL_SECONDS", "presence TTL", "`30`",
            "how long a node's presence entries (its channels' members) outlive its last heartbeat in Redis: a dead "
                    + "node's members vanish from presence and member counts within it; the node refreshes them every "
                    + "third of it (at most every 5 s); at least 0.3; see [cluster.md](cluster.md)",
            seconds(ServerConfig.Builder::clusterPresenceTtl), c -> c.cluster().presenceTtl())),

    // Operator lanes: key-value store and webhooks
    KV_MAX_VALUE_BYTES(spec(Section.OPERATOR_LANES, "ARQONBUS_KV_MAX_VALUE_BYTES", "largest value", "`65536`",
            "UTF-8 bytes of the value's JSON; more → `VALIDATION_ERROR`",
            integer((b, v) -> b.kvLimits(k -> k.withMaxValueBytes(v))), c -> c.kvLimits().maxValueBytes())),
    KV_MAX_KEYS_PER_NAMESPACE(spec(Section.OPERATOR_LANES, "ARQONBUS_KV_MAX_KEYS_PER_NAMESPACE", "keys per namespace",
            "`10000`", "a new key past it → `CONFLICT`; replacing a key is always allowed",
            integer((b, v) -> b.kvLimits(k -> k.withMaxKeysPerNamespace(v))), c -> c.kvLimits().maxKeysPerNamespace())),
    KV_MAX_KEY_LENGTH(spec(Section.OPERATOR_LANES, "ARQONBUS_KV_MAX_KEY_LENGTH", "longest key / namespace", "`256`",
            "characters; more → `VALIDATION_ERROR`",
            integer((b, v) -> b.kvLimits(k -> k.withMaxKeyLength(v))), c -> c.kvLimits().maxKeyLength())),
    WEBHOOK_ALLOWED_HOSTS(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_ALLOWED_HOSTS", "webhook hosts", "any",
            "comma list of host globs (`hooks.example.com`, `*.example.com`; case-insensitive) a webhook URL's host "
                    + "must match; anything else is refused at `op.webhook.register` with `AUTHORIZATION_ERROR`. Set it "
                    + "on any server whose clients are not all trusted: otherwise a client can make the server POST to "
                    + "internal addresses (`127.0.0.1`, cloud metadata at `169.254.169.254`, private networks)",
            list(ServerConfig.Builder::webhookAllowedHosts),
            c -> c.webhookAllowedHosts().isEmpty() ? "(any)" : String.join(",", c.webhookAllowedHosts()))),
    WEBHOOK_MAX_RULES(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_MAX_RULES", "webhook rules", "`1000`",
            "on the server; more → `CONFLICT`",
            integer((b, v) -> b.webhooks(w -> w.withMaxRules(v))), c -> c.webhooks().maxRules())),
    WEBHOOK_MAX_RULES_PER_CLIENT(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_MAX_RULES_PER_CLIENT",
            "webhook rules per connection", "`100`", "more → `CONFLICT`",
            integer((b, v) -> b.webhooks(w -> w.withMaxRulesPerClient(v))), c -> c.webhooks().maxRulesPerClient())),
    WEBHOOK_QUEUE_SIZE(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_QUEUE_SIZE", "delivery queue", "`10000`",
            "deliveries queued, under way or waiting for a retry; past it deliveries are dropped, counted per rule "
                    + "(`stats.dropped`, `arqonbus_webhook_dropped_total`) and a WARN `event=webhook_queue_full` logged "
                    + "once per burst",
            integer((b, v) -> b.webhooks(w -> w.withQueueSize(v))), c -> c.webhooks().queueSize())),
    WEBHOOK_MAX_IN_FLIGHT(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_MAX_IN_FLIGHT", "requests at once", "`64`",
            "deliveries under way at once over all rules (a delivery keeps its place through its retries' waits)",
            integer((b, v) -> b.webhooks(w -> w.withMaxInFlight(v))), c -> c.webhooks().maxInFlight())),
    WEBHOOK_MAX_ATTEMPTS(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_MAX_ATTEMPTS", "attempts", "`6`",
            "per delivery, the first included",
            integer((b, v) -> b.webhooks(w -> w.withMaxAttempts(v))), c -> c.webhooks().maxAttempts())),
    WEBHOOK_RETRY_INITIAL(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_RETRY_INITIAL_SECONDS", "first retry delay", "`0.5`",
            "the cap of the first retry's wait; it doubles at each further retry and the wait is drawn at random "
                    + "below it (full jitter)",
            seconds((b, v) -> b.webhooks(w -> w.withRetryInitialDelay(v))), c -> c.webhooks().retryInitialDelay())),
    WEBHOOK_RETRY_MAX(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_RETRY_MAX_SECONDS", "longest retry delay", "`30`",
            "also the longest `Retry-After` honoured",
            seconds((b, v) -> b.webhooks(w -> w.withRetryMaxDelay(v))), c -> c.webhooks().retryMaxDelay())),
    WEBHOOK_MAX_TIMEOUT(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_MAX_TIMEOUT_SECONDS", "largest rule timeout", "`30`",
            "the most `timeout_seconds` a rule may ask for (default per rule: 2)",
            seconds((b, v) -> b.webhooks(w -> w.withMaxTimeout(v))), c -> c.webhooks().maxTimeout())),
    WEBHOOK_QUEUE_SIZE_PER_RULE(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_QUEUE_SIZE_PER_RULE",
            "delivery queue per rule", "`1000`",
            "deliveries of one rule queued, under way or waiting for a retry; past it that rule's deliveries are "
                    + "dropped (counted in its `stats.dropped`), so a dead endpoint fills only its own queue",
            integer((b, v) -> b.webhooks(w -> w.withQueueSizePerRule(v))), c -> c.webhooks().queueSizePerRule())),
    WEBHOOK_MAX_IN_FLIGHT_PER_RULE(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_MAX_IN_FLIGHT_PER_RULE",
            "requests at once per rule", "`8`",
            "one rule's bulkhead: a slow endpoint holds at most this many of the server's requests",
            integer((b, v) -> b.webhooks(w -> w.withMaxInFlightPerRule(v))), c -> c.webhooks().maxInFlightPerRule())),
    WEBHOOK_CIRCUIT_FAILURES(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_CIRCUIT_FAILURES",
            "failures that open a rule's circuit", "`10`",
            "consecutive failed attempts (no answer, 408, 429, 5xx) of one rule; its deliveries then wait",
            integer((b, v) -> b.webhooks(w -> w.withCircuitFailureThreshold(v))),
            c -> c.webhooks().circuitFailureThreshold())),
    WEBHOOK_CIRCUIT_OPEN_SECONDS(spec(Section.OPERATOR_LANES, "ARQONBUS_WEBHOOK_CIRCUIT_OPEN_SECONDS",
            "open circuit wait", "`30`",
            "how long an open circuit holds a rule's deliveries before one probe goes (half-open); a success "
                    + "closes it, a failure opens it again",
            seconds((b, v) -> b.webhooks(w -> w.withCircuitOpenDelay(v))), c -> c.webhooks().circuitOpenDelay())),

    // Authentication
    AUTH(spec(Section.AUTH, "ARQONBUS_ENABLE_AUTH", "auth on", "`false`",
            "JWT required at the handshake; `--auth=false` turns it off again",
            bool(ServerConfig.Builder::authEnabled), c -> c.auth().enabled()).name("auth").flag("--auth", "BOOL")),
    JWT_ALGORITHM(spec(Section.AUTH, "ARQONBUS_AUTH_JWT_ALGORITHM", "algorithm", "`HS256`",
            "HS256/384/512 (secret), RS256/384/512 or ES256/384/512 (public key); tokens must name exactly this one",
            text((b, v) -> b.jwtAlgorithm(v.toUpperCase(Locale.ROOT))), c -> c.auth().jwtAlgorithm())
            .name("jwt_algorithm").flag("--jwt-algorithm", "ALG")),
    JWT_SECRET(spec(Section.AUTH, "ARQONBUS_AUTH_JWT_SECRET", "secret", "none",
            "HS\\* only, required there. Prefer the variable: flags show in the process list",
            text(ServerConfig.Builder::jwtSecret), c -> c.auth().jwtSecret() == null ? "(none)" : "********")
            .name("jwt_secret").flag("--jwt-secret", "SECRET")),
    JWT_PUBLIC_KEY_FILE(spec(Section.AUTH, "ARQONBUS_AUTH_JWT_PUBLIC_KEY_FILE", "public key file", "none",
            "RS\\*/ES\\*: PEM public key or certificate",
            text(ServerConfig.Builder::jwtPublicKeyFile), c -> orNone(c.auth().jwtPublicKeyFile()))
            .name("jwt_public_key_file").flag("--jwt-public-key-file", "PEM")),
    JWKS_URL(spec(Section.AUTH, "ARQONBUS_AUTH_JWKS_URL", "JWKS URL", "none",
            "RS\\*/ES\\*: keys picked by `kid`; either this or the key file",
            text(ServerConfig.Builder::jwksUrl), c -> orNone(c.auth().jwksUrl())).name("jwks_url").flag("--jwks-url", "URL")),
    JWT_ISSUER(spec(Section.AUTH, "ARQONBUS_AUTH_JWT_ISSUER", "issuer", "any", "required `iss`",
            text(ServerConfig.Builder::jwtIssuer), c -> orNone(c.auth().jwtIssuer()))
            .name("jwt_issuer").flag("--jwt-issuer", "ISS")),
    JWT_AUDIENCE(spec(Section.AUTH, "ARQONBUS_AUTH_JWT_AUDIENCE", "audience", "any", "value `aud` must contain",
            text(ServerConfig.Builder::jwtAudience), c -> orNone(c.auth().jwtAudience()))
            .name("jwt_audience").flag("--jwt-audience", "AUD")),
    JWT_CLOCK_SKEW(spec(Section.AUTH, "ARQONBUS_AUTH_JWT_CLOCK_SKEW_SECONDS", "clock skew", "`30`",
            "for `exp`/`nbf`/`iat`; connections close at `exp` + skew (4003)",
            seconds(ServerConfig.Builder::jwtClockSkew), c -> c.auth().jwtClockSkew())
            .name("jwt_clock_skew_seconds").flag("--jwt-clock-skew-seconds", "SECONDS")),
    JWKS_REFRESH(spec(Section.AUTH, "ARQONBUS_AUTH_JWKS_REFRESH_SECONDS", "JWKS refresh", "`300`", "periodic refetch",
            seconds(ServerConfig.Builder::jwksRefreshInterval), c -> c.auth().jwksRefreshInterval())
            .name("jwks_refresh_seconds")),
    JWKS_MIN_REFETCH(spec(Section.AUTH, "ARQONBUS_AUTH_JWKS_MIN_REFETCH_SECONDS", "JWKS refetch limit", "`10`",
            "at most one refetch for unknown `kid`s per interval",
            seconds(ServerConfig.Builder::jwksMinRefetchInterval), c -> c.auth().jwksMinRefetchInterval())
            .name("jwks_min_refetch_seconds")),
    API_KEYS(spec(Section.AUTH, "ARQONBUS_API_KEYS", "HTTP API keys", "none",
            "comma list of `NAME:SCOPE[:TENANT]=SECRET` for the HTTP API under `/api/` (docs/http-api.md); SCOPE is "
                    + "`read`, `publish` or `admin`; SECRET is the key (16+ characters) or `sha256:<hex>`, its digest. "
                    + "With keys set (or auth on) every `/api/` call needs a key or an admin JWT",
            parsed(Setting::apiKeys, (b, v) -> b.httpApi(h -> h.withKeys(v))),
            c -> c.httpApi().keys().isEmpty() ? "(none)" : c.httpApi().keys().stream()
                    .map(k -> k.name() + ":" + k.scope().wireName() + (k.tenant() == null ? "" : ":" + k.tenant()))
                    .collect(java.util.stream.Collectors.joining(",")))),
    API_RATE_LIMIT(spec(Section.AUTH, "ARQONBUS_API_RATE_LIMIT", "HTTP API rate", "`100000`",
            "requests a second per API key (or admin token subject, or anonymous caller); more → 429 `RATE_LIMITED`",
            integer((b, v) -> b.httpApi(h -> h.withRatePerSecond(v))), c -> c.httpApi().ratePerSecond())),
    API_BURST(spec(Section.AUTH, "ARQONBUS_API_BURST", "HTTP API burst", "`100000`",
            "requests per API key at once",
            integer((b, v) -> b.httpApi(h -> h.withBurst(v))), c -> c.httpApi().burst())),
    API_MAX_BODY(spec(Section.AUTH, "ARQONBUS_API_MAX_BODY_BYTES", "HTTP API body", "`1048576` (1 MiB)",
            "largest request body under `/api/` (other paths: 64 KiB); more → 413 `PAYLOAD_TOO_LARGE` and the connection closed",
            integer((b, v) -> b.httpApi(h -> h.withMaxBodyBytes(v))), c -> c.httpApi().maxBodyBytes())),
    TELEMETRY_AUTH(spec(Section.AUTH, "ARQONBUS_TELEMETRY_AUTH", "telemetry auth", "`false`",
            "the telemetry port needs an admin credential at the upgrade (an admin JWT or an `admin` API key, as "
                    + "`Authorization: Bearer` or `?token=`; else 401/403); off for compatibility with the original",
            bool(ServerConfig.Builder::telemetryAuth), c -> c.telemetryAuth())),

    // Content inspection (CASIL), read together by the CASIL policy parser
    CASIL_ENABLED(spec(Section.CASIL, "ARQONBUS_CASIL_ENABLED", "on", "`false`", "off: one volatile read per message",
            group(), c -> c.casil().enabled())),
    CASIL_MODE(spec(Section.CASIL, "ARQONBUS_CASIL_MODE", "mode", "`monitor`",
            "`monitor` (flag only) or `enforce` (block / redact)", group(), c -> c.casil().mode().wireName())),
    CASIL_DEFAULT_DECISION(spec(Section.CASIL, "ARQONBUS_CASIL_DEFAULT_DECISION", "default decision", "`allow`",
            "`allow` or `block` when an inspection fails (exception or 50 ms budget)",
            group(), c -> c.casil().blockByDefault() ? "block" : "allow")),
    CASIL_SCOPE_INCLUDE(spec(Section.CASIL, "ARQONBUS_CASIL_SCOPE_INCLUDE", "scope include", "empty = everything",
            "comma list of `room:channel` patterns; trailing `*` = prefix, else glob",
            group(), c -> joined(c.casil().scopeInclude()))),
    CASIL_SCOPE_EXCLUDE(spec(Section.CASIL, "ARQONBUS_CASIL_SCOPE_EXCLUDE", "scope exclude", "empty", "wins over include",
            group(), c -> joined(c.casil().scopeExclude()))),
    CASIL_MAX_PAYLOAD_BYTES(spec(Section.CASIL, "ARQONBUS_CASIL_MAX_PAYLOAD_BYTES", "max payload bytes", "`262144`",
            "enforce: larger → `CASIL_POLICY_OVERSIZE`; 0 = no limit", group(), c -> c.casil().maxPayloadBytes())),
    CASIL_MAX_INSPECT_BYTES(spec(Section.CASIL, "ARQONBUS_CASIL_MAX_INSPECT_BYTES", "max inspect bytes", "`65536`",
            "characters of the payload's JSON classified", group(), c -> c.casil().maxInspectBytes())),
    CASIL_MAX_PATTERNS(spec(Section.CASIL, "ARQONBUS_CASIL_MAX_PATTERNS", "max patterns", "`32`",
            "most `redaction_patterns`", group(), c -> c.casil().maxPatterns())),
    CASIL_BLOCK_ON_PROBABLE_SECRET(spec(Section.CASIL, "ARQONBUS_CASIL_BLOCK_ON_PROBABLE_SECRET", "block on probable secret",
            "`false`", "enforce: probable secret → `CASIL_POLICY_BLOCKED_SECRET`",
            group(), c -> c.casil().blockOnProbableSecret())),
    CASIL_REDACTION_PATHS(spec(Section.CASIL, "ARQONBUS_CASIL_REDACTION_PATHS", "redaction paths", "`password,token,secret`",
            "key names (any depth, any case) and dotted paths; set but empty = none",
            group(), c -> joined(c.casil().redactionPaths()))),
    CASIL_REDACTION_PATTERNS(spec(Section.CASIL, "ARQONBUS_CASIL_REDACTION_PATTERNS", "redaction patterns", "empty",
            "regular expressions (split at top-level commas; `\\,` is a comma) and `builtin:<kind>`",
            group(), c -> c.casil().redactionPatterns().isEmpty() ? "(none)"
                    : c.casil().redactionPatterns().size() + " pattern(s)")),
    CASIL_TRANSPORT_REDACTION(spec(Section.CASIL, "ARQONBUS_CASIL_TRANSPORT_REDACTION", "transport redaction", "`false`",
            "enforce: deliver and store the redacted copy; otherwise only telemetry is redacted",
            group(), c -> c.casil().transportRedaction())),
    CASIL_NEVER_LOG_PAYLOAD_FOR(spec(Section.CASIL, "ARQONBUS_CASIL_NEVER_LOG_PAYLOAD_FOR", "never log payload for", "empty",
            "`room:channel` patterns whose payloads never appear in telemetry events",
            group(), c -> joined(c.casil().neverLogPayloadFor()))),
    CASIL_METADATA_TO_LOGS(spec(Section.CASIL, "ARQONBUS_CASIL_METADATA_TO_LOGS", "decisions to logs", "`true`", "",
            group(), c -> c.casil().metadataToLogs())),
    CASIL_METADATA_TO_TELEMETRY(spec(Section.CASIL, "ARQONBUS_CASIL_METADATA_TO_TELEMETRY", "decisions to telemetry",
            "`true`", "`casil_decision` events", group(), c -> c.casil().metadataToTelemetry())),
    CASIL_METADATA_TO_ENVELOPE(spec(Section.CASIL, "ARQONBUS_CASIL_METADATA_TO_ENVELOPE", "`metadata.casil` on envelopes",
            "`false`", "", group(), c -> c.casil().metadataToEnvelope())),

    // Cron lane
    CRON_MAX_JOBS_PER_CLIENT(spec(Section.CRON, "ARQONBUS_CRON_MAX_JOBS_PER_CLIENT", "jobs per connection", "`100`",
            "one more `op.cron.schedule` answers `CONFLICT`; cancel one first",
            integer((b, v) -> b.cron(c -> c.withMaxJobsPerClient(v))), c -> c.cron().maxJobsPerClient())),
    CRON_MAX_JOBS(spec(Section.CRON, "ARQONBUS_CRON_MAX_JOBS", "jobs in all", "`10000`", "`CONFLICT`; durable jobs count too",
            integer((b, v) -> b.cron(c -> c.withMaxJobs(v))), c -> c.cron().maxJobs())),
    CRON_MIN_INTERVAL(spec(Section.CRON, "ARQONBUS_CRON_MIN_INTERVAL_SECONDS", "shortest interval", "`0.1`",
            "a shorter `interval_seconds` → `VALIDATION_ERROR`; at least 0.01",
            seconds((b, v) -> b.cron(c -> c.withMinInterval(v))), c -> c.cron().minInterval())),
    CRON_MAX_REPEAT_COUNT(spec(Section.CRON, "ARQONBUS_CRON_MAX_REPEAT_COUNT", "largest repeat count", "`100000`",
            "a larger `repeat_count` → `VALIDATION_ERROR`; also the default `repeat_count` of a job with a `cron` "
                    + "expression",
            integer((b, v) -> b.cron(c -> c.withMaxRepeatCount(v))), c -> c.cron().maxRepeatCount())),
    CRON_LEASE(spec(Section.CRON, "ARQONBUS_CRON_LEASE_SECONDS", "lease time (cluster)", "`15`",
            "in cluster mode a durable job fires on the node holding its lease in Redis; a dead holder's lease "
                    + "expires after this time and another node takes the job over; at least 0.1; see "
                    + "[cluster.md](cluster.md#cron-jobs)",
            seconds((b, v) -> b.cron(c -> c.withLeaseTime(v))), c -> c.cron().leaseTime())),

    // Omega lab lane
    OMEGA_ENABLED(spec(Section.OMEGA, "ARQONBUS_OMEGA_ENABLED", "on", "`false`",
            "off: every `op.omega.*` command but `op.omega.status` answers `FEATURE_DISABLED`",
            bool((b, v) -> b.omega(o -> o.withEnabled(v))), c -> c.omega().enabled())),
    OMEGA_LAB_ROOM(spec(Section.OMEGA, "ARQONBUS_OMEGA_LAB_ROOM", "lab room", "`omega-lab`", "where `emit_event` publishes",
            text((b, v) -> b.omega(o -> o.withLabRoom(v))), c -> c.omega().labRoom())),
    OMEGA_LAB_CHANNEL(spec(Section.OMEGA, "ARQONBUS_OMEGA_LAB_CHANNEL", "lab channel", "`signals`", "",
            text((b, v) -> b.omega(o -> o.withLabChannel(v))), c -> c.omega().labChannel())),
    OMEGA_MAX_EVENTS(spec(Section.OMEGA, "ARQONBUS_OMEGA_MAX_EVENTS", "events kept", "`1000`",
            "a ring: the oldest event is dropped for a new one (1–1,000,000)",
            integer((b, v) -> b.omega(o -> o.withMaxEvents(v))), c -> c.omega().maxEvents())),
    OMEGA_MAX_SUBSTRATES(spec(Section.OMEGA, "ARQONBUS_OMEGA_MAX_SUBSTRATES", "substrates", "`128`",
            "one more `register_substrate` answers `CONFLICT` (1–1,000,000)",
            integer((b, v) -> b.omega(o -> o.withMaxSubstrates(v))), c -> c.omega().maxSubstrates())),

    // Behaviour
    LEGACY_ACKS(spec(Section.BEHAVIOUR, "ARQONBUS_LEGACY_ACKS", "legacy acks", "`true`",
            "the original's `message_response` and `command_response` frames",
            bool(ServerConfig.Builder::legacyAcks), c -> c.legacyAcks()).flag("--legacy-acks", "BOOL")),
    METRICS_LEGACY_NAMES(spec(Section.BEHAVIOUR, "ARQONBUS_METRICS_LEGACY_NAMES", "legacy metric names", "`false`",
            "`GET /metrics` also exposes the original's gauges `arqonbus_rooms_total` and `arqonbus_channels_total` "
                    + "(beside `arqonbus_rooms` and `arqonbus_channels`); they break the Prometheus naming convention, "
                    + "so `promtool check metrics` fails while this is on",
            bool(ServerConfig.Builder::metricsLegacyNames), c -> c.metricsLegacyNames())
            .flag("--metrics-legacy-names", "BOOL")),
    TRACING(spec(Section.BEHAVIOUR, "ARQONBUS_TRACING", "tracing", "`auto`",
            "OpenTelemetry spans for publications, commands, `/api/*` calls, webhook deliveries and Redis calls, "
                    + "configured by the standard `OTEL_*` variables. `auto`: on when `OTEL_TRACES_EXPORTER` (not "
                    + "`none`), `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set; `otel`: "
                    + "on; `off`: off ([operations.md](operations.md#tracing))",
            parsed(io.arqonbus.server.config.TracingMode::parse, ServerConfig.Builder::tracing), c -> c.tracing())
            .flag("--tracing", "MODE")),
    STATS_INTERVAL(spec(Section.BEHAVIOUR, "ARQONBUS_STATS_INTERVAL_SECONDS", "stats interval", "`60`",
            "the periodic `event=stats` log line and telemetry `stats` event; 0 disables",
            seconds(ServerConfig.Builder::statsInterval), c -> c.timeouts().statsInterval())
            .flag("--stats-interval-seconds", "SECONDS")),
    SHUTDOWN_GRACE(spec(Section.BEHAVIOUR, "ARQONBUS_SHUTDOWN_GRACE_SECONDS", "shutdown grace", "`5`",
            "time clients get to leave after the 1001 close before the loops stop; meanwhile `GET /ready` answers 503 "
                    + "`draining` and the HTTP port stays open",
            seconds(ServerConfig.Builder::shutdownGrace), c -> c.timeouts().shutdownGrace())
            .flag("--shutdown-grace-seconds", "SECONDS")),
    RECENT_EVENTS_SIZE(spec(Section.BEHAVIOUR, "ARQONBUS_RECENT_EVENTS_SIZE", "recent events", "`100`",
            "how many of the last publications are kept in memory for `?welcome=recent` / `?recent=N` and "
                    + "`GET /events/recent` (0 to 10000; 0 turns them off: `FEATURE_DISABLED` / 404); see "
                    + "[protocol.md](protocol.md#recent-events)",
            integer(ServerConfig.Builder::recentEventsSize), c -> c.history().recentEventsSize())),
    CLOSE_WAIT(spec(Section.BEHAVIOUR, "ARQONBUS_CLOSE_WAIT_SECONDS", "close wait", "`2`",
            "after a server-initiated close frame (1001, 4000, 4001…), how long the peer has to take it before the "
                    + "socket is dropped; a slow consumer that resumes reading within it still sees 4001",
            seconds(ServerConfig.Builder::closeWait), c -> c.timeouts().closeWait()));

    /** The tables of {@code docs/configuration.md}, in the order they appear there. */
    private static List<io.arqonbus.server.config.ApiKey> apiKeys(String source, String text) {
        try {
            return java.util.Arrays.stream(text.split(",")).map(String::trim).filter(e -> !e.isEmpty())
                    .map(io.arqonbus.server.config.ApiKey::parse).toList();
        } catch (io.arqonbus.server.config.ConfigException e) {
            throw new io.arqonbus.server.config.ConfigException(source + ": " + e.getMessage());
        }
    }

    public enum Section { PORTS, LIMITS, HISTORY, REDIS, CLUSTER, OPERATOR_LANES, AUTH, CASIL, CRON, OMEGA, BEHAVIOUR }

    private static final String PREFIX = "ARQONBUS_";

    private final Section section;
    private final String envVar;
    private final String label;
    private final String defaultText;
    private final String doc;
    private final SettingValue value;
    private final Function<ServerConfig, Object> show;
    private final String name;
    private final String flag;
    private final String paramLabel;
    private final String derivedFrom;
    private final String alias;

    Setting(Spec spec) {
        this.section = spec.section;
        this.envVar = spec.envVar;
        this.label = spec.label;
        this.defaultText = spec.defaultText;
        this.doc = spec.doc;
        this.value = spec.value;
        this.show = spec.show;
        this.name = spec.name != null ? spec.name : fileKey(spec.envVar);
        this.flag = spec.flag;
        this.paramLabel = spec.paramLabel;
        this.derivedFrom = spec.derivedFrom;
        this.alias = spec.alias;
    }

    private static Spec spec(Section section, String envVar, String label, String defaultText, String doc,
            SettingValue value, Function<ServerConfig, Object> show) {
        return new Spec(section, envVar, label, defaultText, doc, value, show);
    }

    /** A declaration being written: the required parts, then the optional ones. */
    private static final class Spec {
        private final Section section;
        private final String envVar;
        private final String label;
        private final String defaultText;
        private final String doc;
        private final SettingValue value;
        private final Function<ServerConfig, Object> show;
        private String name;
        private String flag;
        private String paramLabel;
        private String derivedFrom;
        private String alias;

        private Spec(Section section, String envVar, String label, String defaultText, String doc, SettingValue value,
                Function<ServerConfig, Object> show) {
            this.section = section;
            this.envVar = envVar;
            this.label = label;
            this.defaultText = defaultText;
            this.doc = doc;
            this.value = value;
            this.show = show;
        }

        Spec name(String value) { name = value; return this; }
        Spec flag(String value, String label) { flag = value; paramLabel = label; return this; }
        Spec derived(String from) { derivedFrom = from; return this; }
        Spec alias(String value) { alias = value; return this; }
    }

    /** The name {@code check-config} shows. */
    public String key() { return name; }
    /** The environment variable. */
    public String envVar() { return envVar; }
    /** A twin variable that takes precedence when set ({@code ARQONBUS_VALKEY_*}), if any. */
    public Optional<String> alias() { return Optional.ofNullable(alias); }
    /** The configuration file key: the variable without {@code ARQONBUS_}, in lower case. */
    public String fileKey() { return fileKey(envVar); }
    /** The long flag of {@code serve} and {@code check-config}, or {@code null}. */
    public String flag() { return flag; }
    /** The flag's parameter label in the help, e.g. {@code PORT}. */
    public String paramLabel() { return paramLabel; }
    /** Whether the flag may be given without a value (booleans: {@code --auth} means true). */
    public boolean booleanFlag() { return "BOOL".equals(paramLabel); }
    /** The table of the docs this setting belongs to. */
    public Section section() { return section; }
    /** The short name in the docs' table. */
    public String label() { return label; }
    /** The default as the docs show it (Markdown). */
    public String defaultText() { return defaultText; }
    /** One line on what the setting does (Markdown). */
    public String doc() { return doc; }
    /** What the default is derived from, when it is derived (e.g. "bus host"), else {@code null}. */
    public String derivedFrom() { return derivedFrom; }
    /** Whether the value is read with its group (Redis, CASIL) rather than on its own. */
    public boolean grouped() { return section == Section.CASIL || isRedisGroup(); }

    /** Parses {@code text} (named {@code source} in errors) and sets it on the builder. */
    public void apply(ServerConfig.Builder builder, String text, String source) {
        if (grouped()) {
            throw new IllegalStateException(this + " is read with its group");
        }
        try {
            value.apply(builder, text, source);
        } catch (io.arqonbus.server.config.ConfigException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new io.arqonbus.server.config.ConfigException(source + ": " + e.getMessage());
        }
    }

    /** The effective value as text (secrets masked). */
    public String read(ServerConfig config) {
        Object v = show.apply(config);
        return v instanceof Duration d ? secondsText(d) : String.valueOf(v);
    }

    /** The setting whose file key (or its twin's) is {@code key}. */
    public static Optional<Setting> byFileKey(String key) {
        for (Setting s : values()) {
            if (s.fileKey().equals(key) || s.alias != null && fileKey(s.alias).equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The file key of a variable: {@code ARQONBUS_MAX_HISTORY_SIZE} is {@code max_history_size}. */
    public static String fileKey(String envVar) {
        return envVar.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }

    /** The variable of a file key: {@code max_history_size} is {@code ARQONBUS_MAX_HISTORY_SIZE}. */
    public static String envVar(String fileKey) {
        return PREFIX + fileKey.toUpperCase(Locale.ROOT);
    }

    private boolean isRedisGroup() {
        return section == Section.REDIS && this != STORAGE_MODE;
    }

    private static SlowConsumerPolicy slowConsumerPolicy(String source, String text) {
        try {
            return SlowConsumerPolicy.valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new io.arqonbus.server.config.ConfigException(source + ": '" + text + "' (expected: close or drop)");
        }
    }

    private static Object redis(ServerConfig c, Function<RedisConfig, Object> part) {
        return c.storage().redis() == null ? "(none)" : part.apply(c.storage().redis());
    }

    private static String orNone(String value) {
        return value == null ? "(none)" : value;
    }

    private static String port(int port) {
        return port < 0 ? "-1 (disabled)" : Integer.toString(port);
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? "(none)" : String.join(",", values);
    }

    private static String secondsText(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? Long.toString(millis / 1000) : Double.toString(millis / 1000.0);
    }
}
