package io.arqonbus.server.config;

import java.util.Objects;

/**
 * Where the server listens: the bus, telemetry and HTTP ports with their hosts, and how the sockets
 * are served (event loops, native transport, permessage-deflate).
 *
 * @param host            bus WebSocket bind host
 * @param port            bus WebSocket port; 0 picks a free port
 * @param telemetryHost   telemetry WebSocket bind host (by default the bus host)
 * @param telemetryPort   telemetry WebSocket port; 0 picks a free port; -1 disables it
 * @param httpHost        HTTP bind host (by default the bus host)
 * @param httpPort        HTTP port; 0 picks a free port; -1 disables it
 * @param ioThreads       number of event loops (by default the number of cores)
 * @param nativeTransport whether epoll is used on Linux when available
 * @param compression     whether permessage-deflate is offered
 * @param soBacklog       length of each listening port's queue of connections not yet accepted (TCP backlog)
 * @param writeBufferLow  pending output (bytes) of a connection below which it is writable again
 * @param writeBufferHigh pending output (bytes) of a connection above which it is not writable
 */
public record Listeners(String host, int port, String telemetryHost, int telemetryPort, String httpHost, int httpPort,
        int ioThreads, boolean nativeTransport, boolean compression, int soBacklog, int writeBufferLow,
        int writeBufferHigh) {
    /** Default bus and telemetry bind host: {@value}. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** Default bus WebSocket port: {@value}. */
    public static final int DEFAULT_PORT = 9100;
    /** Default telemetry WebSocket port: {@value}. */
    public static final int DEFAULT_TELEMETRY_PORT = 8081;
    /** Default HTTP port: {@value}. */
    public static final int DEFAULT_HTTP_PORT = 8080;
    /** Default length of each listening port's queue of connections not yet accepted: {@value}. */
    public static final int DEFAULT_SO_BACKLOG = 4096;
    /** Default pending output of a connection below which it turns writable again: {@value} bytes. */
    public static final int DEFAULT_WRITE_BUFFER_LOW = 32 * 1024;
    /** Default pending output of a connection above which it turns unwritable: {@value} bytes. */
    public static final int DEFAULT_WRITE_BUFFER_HIGH = 128 * 1024;

    /** @throws ConfigException naming the setting that is out of range */
    public Listeners {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(telemetryHost, "telemetryHost");
        Objects.requireNonNull(httpHost, "httpHost");
        checkPort("port", port, false);
        checkPort("telemetry port", telemetryPort, true);
        checkPort("http port", httpPort, true);
        ConfigException.check(ioThreads > 0, "io threads: %d (expected: > 0)", ioThreads);
        ConfigException.check(soBacklog > 0, "socket backlog: %d (expected: > 0)", soBacklog);
        ConfigException.check(writeBufferLow > 0 && writeBufferLow <= writeBufferHigh,
                "write buffer low water mark: %d (expected: > 0 and <= the high water mark %d)",
                writeBufferLow, writeBufferHigh);
    }

    private static void checkPort(String name, int value, boolean mayDisable) {
        ConfigException.check(value >= (mayDisable ? -1 : 0) && value <= 65535,
                "%s: %d (expected: 0-65535%s)", name, value, mayDisable ? ", or -1 to disable" : "");
    }
}
