package io.arqonbus.cli.crash;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} for one test: loopback only, a free port, its files in
 * {@code dir}, with {@code appendonly yes} and {@code appendfsync always} (every write is on disk
 * before Redis answers), no RDB snapshots. Fails with a clear message when {@code redis-server} is
 * not on the PATH.
 */
final class RedisProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final int ATTEMPTS = 3;

    private final Process process;
    private final int port;

    private RedisProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static RedisProcess start(Path dir) {
        Path binary = onPath("redis-server");
        AssertionError last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int port = freePort();
            Path log = dir.resolve("redis-" + attempt + ".log");
            Process process;
            try {
                process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                        "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                        "--daemonize", "no", "--logfile", "")
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + binary, e);
            }
            try {
                await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                    if (read(log).contains("Ready to accept connections")) {
                        return true;
                    }
                    if (!process.isAlive()) {
                        throw new AssertionError("redis-server exited with " + process.exitValue() + ":\n" + read(log));
                    }
                    return false;
                });
                return new RedisProcess(process, port);
            } catch (AssertionError e) {
                process.destroyForcibly();
                last = e;
            } catch (RuntimeException e) {
                process.destroyForcibly();
                throw new AssertionError("redis-server did not become ready in " + START_TIMEOUT + ":\n" + read(log), e);
            }
        }
        throw last;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Path onPath(String name) {
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
        }
        throw new AssertionError(name + " is not on the PATH (" + path + "): the Redis crash test starts a real "
                + name + "; install it (e.g. apt-get install redis-server; ./arqon test does)");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }

    @Override
    public String toString() {
        return "redis-server pid " + process.pid() + " on " + url() + " " + List.of("appendonly yes", "appendfsync always");
    }
}
