package io.arqonbus.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a loopback port, without persistence, started and stopped
 * by a test. {@link #stop()} and {@link #start()} may be called again to take it down and bring it
 * back on the same port.
 */
public final class RedisServer implements AutoCloseable {
    /** How long starting or stopping may take. */
    public static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final Path binary;
    private final int port;
    private final Path dir;
    private Process process;

    private RedisServer(Path binary, int port) throws IOException {
        this.binary = binary;
        this.port = port;
        this.dir = Files.createTempDirectory("arqonbus-redis-");
    }

    /** Starts a {@code redis-server} on a free loopback port; fails clearly when there is none installed. */
    public static RedisServer launch() {
        Path binary = binary();
        if (binary == null) {
            throw new AssertionError("This test needs the redis-server program on the PATH "
                    + "(apt-get install -y redis-server); ./arqon test installs it.");
        }
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                RedisServer server = new RedisServer(binary, freePort());
                server.start();
                return server;
            } catch (IOException | AssertionError e) {
                last = e instanceof AssertionError a ? a : new AssertionError(e.getMessage(), e);
            }
        }
        throw last;
    }

    /** The {@code redis-server} program on the PATH, or {@code null}. */
    public static Path binary() {
        String path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin"
                + File.pathSeparator + "/usr/local/bin";
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** (Re)starts the process on this server's port and waits until it answers {@code PING}. */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        try {
            process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
                    "--dir", dir.toString(), "--loglevel", "warning"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("redis.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new AssertionError("could not run " + binary + ": " + e.getMessage(), e);
        }
        try {
            await("redis-server on port " + port).atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("redis-server exited: " + log());
                        }
                        return ping();
                    });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw new AssertionError("redis-server did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Stops the process (SIGTERM, nothing saved) and waits until it is gone. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Whether the process runs. */
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        stop();
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind
        }
    }

    /** Whether something on {@code port} answers a Redis {@code PING} with {@code +PONG}. */
    public static boolean ping(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] reply = in.readNBytes(7);
            return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }

    private boolean ping() {
        return ping("127.0.0.1", port);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("redis.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
