package io.arqonbus.bench;

import io.arqonbus.server.testing.ExternalServer;
import io.arqonbus.server.testing.ExternalServer.Launch;
import io.arqonbus.server.testing.ExternalServer.Probe;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real {@code nats-server} for the NATS dialect tests (with JetStream and its store in a temporary directory when
 * asked), Go limited to one thread as in bench/run.sh; ready once it greets a new connection with {@code INFO}.
 */
final class NatsServerProcess {
    private NatsServerProcess() {
    }

    /** Core NATS, or JetStream with file storage under {@code dir} when {@code jetStream}. */
    static ExternalServer start(Path dir, boolean jetStream) {
        Launch launch = Launch.of("nats-server", "apt-get install -y nats-server", port -> {
            List<String> arguments = new ArrayList<>(List.of("-a", "127.0.0.1", "-p", Integer.toString(port)));
            if (jetStream) {
                arguments.addAll(List.of("-js", "-sd", dir.resolve("jetstream").toString()));
            }
            return arguments;
        }, Probe.answers("", "INFO ")).withEnvironment(Map.of("GOMAXPROCS", "1"));
        return ExternalServer.start(launch, dir.resolve("nats-server.log"));
    }
}
