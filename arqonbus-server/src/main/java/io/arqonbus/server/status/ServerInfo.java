package io.arqonbus.server.status;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

/**
 * Facts about the running server for {@code status}, {@code /version} and {@code /status}.
 *
 * @param version   the ArqonBus version
 * @param build     the build identifier (the version plus the build time)
 * @param startedAt when the server started
 * @param transport {@code epoll} or {@code nio}
 */
public record ServerInfo(String version, String build, Instant startedAt, String transport) {
    /** The protocol version the server speaks. */
    public static final String PROTOCOL_VERSION = "1.0";

    /** Seconds since start, with millisecond precision. */
    public double uptimeSeconds(Clock clock) {
        return Duration.between(startedAt, clock.instant()).toMillis() / 1000.0;
    }

    /** The version and build read from the jar's {@code arqonbus-version.properties}. */
    public static String[] readVersion() {
        Properties props = new Properties();
        try (InputStream in = ServerInfo.class.getResourceAsStream("/arqonbus-version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            // fall through to the defaults below
        }
        String version = props.getProperty("version", "0.0.0-dev");
        if (version.startsWith("${")) {
            version = "0.0.0-dev";
        }
        String build = props.getProperty("build", version);
        if (build.startsWith("${")) {
            build = version;
        }
        return new String[] {version, build};
    }
}
