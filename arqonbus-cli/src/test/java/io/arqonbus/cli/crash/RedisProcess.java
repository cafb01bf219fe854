package io.arqonbus.cli.crash;

import io.arqonbus.server.testing.ExternalServer;
import io.arqonbus.server.testing.ExternalServer.Launch;
import io.arqonbus.server.testing.ExternalServer.Probe;
import java.nio.file.Path;
import java.util.List;

/**
 * A real {@code redis-server} for the crash and cluster process tests: loopback, a free port, its files in
 * {@code dir}, with {@code appendonly yes} and {@code appendfsync always} (every write is on disk before Redis
 * answers), no RDB snapshots.
 */
final class RedisProcess {
    private RedisProcess() {
    }

    static ExternalServer start(Path dir) {
        return ExternalServer.start(Launch.of("redis-server", "apt-get install -y redis-server",
                port -> List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                        "--appendonly", "yes", "--appendfsync", "always", "--save", "", "--daemonize", "no",
                        "--logfile", ""),
                Probe.answers("PING\r\n", "+PONG\r\n")), dir.resolve("redis.log"));
    }

    /** {@code redis://127.0.0.1:<port>}. */
    static String url(ExternalServer redis) {
        return "redis://127.0.0.1:" + redis.port();
    }
}
