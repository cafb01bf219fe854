package io.arqonbus.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code nats-server} on a free loopback port (with JetStream and its store in a temporary
 * directory when asked), for the NATS dialect tests; the test fails (not skips) when the program is
 * not installed.
 */
final class NatsServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;

    private NatsServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Core NATS, or JetStream with file storage under {@code dir} when {@code jetStream}. */
    static NatsServerProcess start(Path dir, boolean jetStream) throws IOException {
        Path binary = binary();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(binary.toString(), "-a", "127.0.0.1", "-p",
                Integer.toString(port)));
        if (jetStream) {
            command.addAll(List.of("-js", "-sd", dir.resolve("jetstream").toString()));
        }
        Path log = dir.resolve("nats-server.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("GOMAXPROCS", "1");
        Process process = builder.start();
        NatsServerProcess nats = new NatsServerProcess(process, port);
        try {
            await("nats-server on port " + port).atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("nats-server exited: " + Files.readString(log));
                        }
                        return nats.greets();
                    });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return nats;
    }

    private static Path binary() {
        for (String candidate : List.of("/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server")) {
            Path path = Path.of(candidate);
            if (Files.isExecutable(path)) {
                return path;
            }
        }
        throw new AssertionError("the NATS dialect tests need nats-server (apt-get install -y nats-server)");
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** Whether the server sent its {@code INFO} greeting to a new connection. */
    private boolean greets() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(1000);
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("INFO ");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
