package io.arqonbus.cli.faults;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes a TCP port on a namespace's loopback reachable from the host's loopback, with two
 * {@code socat} processes joined by a Unix socket (a file, so it crosses network namespaces): one
 * inside the namespace ({@code UNIX-LISTEN → TCP:127.0.0.1:<port>}), one on the host
 * ({@code TCP-LISTEN:0 on 127.0.0.1 → UNIX-CONNECT}). Each connection made to {@link #uri()} is a
 * connection of its own from the namespace's socat to the port, with its own source port there.
 */
final class NamespaceBridge implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on AF=2 127\\.0\\.0\\.1:(\\d+)");

    private final Process inside;
    private final Process outside;
    private final int hostPort;

    private NamespaceBridge(Process inside, Process outside, int hostPort) {
        this.inside = inside;
        this.outside = outside;
        this.hostPort = hostPort;
    }

    /** Bridges {@code port} of {@code namespace}'s loopback; its socket and logs go in {@code dir}. */
    static NamespaceBridge open(NetworkNamespace namespace, int port, Path dir) throws IOException {
        Path socket = dir.resolve("bridge-" + port + ".sock");
        Path insideLog = dir.resolve("socat-inside.log");
        Path outsideLog = dir.resolve("socat-outside.log");
        List<String> insideCommand = new ArrayList<>(namespace.launcher());
        insideCommand.addAll(List.of("socat", "UNIX-LISTEN:" + socket + ",fork", "TCP:127.0.0.1:" + port));
        Process inside = new ProcessBuilder(insideCommand).redirectErrorStream(true)
                .redirectOutput(insideLog.toFile()).start();
        Process outside = null;
        try {
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .until(() -> Files.exists(socket) || !inside.isAlive());
            if (!inside.isAlive()) {
                throw new IllegalStateException("socat in the namespace ended: " + Files.readString(insideLog));
            }
            outside = new ProcessBuilder("socat", "-d", "-d", "TCP-LISTEN:0,bind=127.0.0.1,fork,reuseaddr",
                    "UNIX-CONNECT:" + socket).redirectErrorStream(true).redirectOutput(outsideLog.toFile()).start();
            Process started = outside;
            int[] found = new int[1];
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                Matcher matcher = LISTENING.matcher(Files.readString(outsideLog, StandardCharsets.UTF_8));
                if (matcher.find()) {
                    found[0] = Integer.parseInt(matcher.group(1));
                    return true;
                }
                if (!started.isAlive()) {
                    throw new IllegalStateException("socat on the host ended: " + Files.readString(outsideLog));
                }
                return false;
            });
            return new NamespaceBridge(inside, outside, found[0]);
        } catch (RuntimeException e) {
            stop(inside);
            if (outside != null) {
                stop(outside);
            }
            throw e;
        }
    }

    /** The bus URI on the host's side of the bridge. */
    URI uri() {
        return URI.create("ws://127.0.0.1:" + hostPort + "/");
    }

    @Override
    public void close() {
        stop(outside);
        stop(inside);
    }

    private static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
