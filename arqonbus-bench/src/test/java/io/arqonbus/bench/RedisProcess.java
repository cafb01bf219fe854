package io.arqonbus.bench;

import io.arqonbus.server.testing.ExternalServer;
import io.arqonbus.server.testing.ExternalServer.Launch;
import io.arqonbus.server.testing.ExternalServer.Probe;
import java.nio.file.Path;
import java.util.List;

/** A real {@code redis-server} for the cluster workload tests: loopback, a free port, no persistence. */
final class RedisProcess {
    private RedisProcess() {
    }

    static ExternalServer start(Path dir) {
        return ExternalServer.start(Launch.of("redis-server", "apt-get install -y redis-server",
                port -> List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
                        "--appendonly", "no", "--daemonize", "no", "--dir", dir.toString(), "--loglevel", "warning"),
                Probe.answers("PING\r\n", "+PONG\r\n")), dir.resolve("redis.log"));
    }
}
