package io.arqonbus.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A real server program (redis-server, nats-server…) started for a test on a free loopback port, its output in a
 * log file, ready once a {@link Probe} on the port answers, stopped (SIGTERM, then SIGKILL after 10 s) on close. A
 * missing program fails the test ({@link Programs#require}). A program that exits before it is ready (another
 * process took the free port in between) is started again on another port, up to three times.
 */
public final class ExternalServer implements AutoCloseable {
    private static final int ATTEMPTS = 3;
    private static final Duration POLL = Duration.ofMillis(20);

    /** Whether the program on {@code port} is ready; any I/O failure means not yet. */
    @FunctionalInterface
    public interface Probe {
        boolean ready(int port) throws IOException;

        /** Ready when a new connection receives {@code expected} first after sending {@code request} (may be empty). */
        static Probe answers(String request, String expected) {
            byte[] send = request.getBytes(StandardCharsets.US_ASCII);
            byte[] want = expected.getBytes(StandardCharsets.US_ASCII);
            return port -> {
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                    socket.setSoTimeout(1000);
                    if (send.length > 0) {
                        socket.getOutputStream().write(send);
                        socket.getOutputStream().flush();
                    }
                    InputStream in = socket.getInputStream();
                    return Arrays.equals(in.readNBytes(want.length), want);
                }
            };
        }
    }

    /**
     * What to start: {@code program} looked up on the PATH ({@code installHint} says how to get it), its arguments
     * for a given port, extra environment variables, and the readiness probe.
     */
    public record Launch(String program, String installHint, IntFunction<List<String>> arguments,
                         Map<String, String> environment, Probe ready, Duration startTimeout) {
        public static Launch of(String program, String installHint, IntFunction<List<String>> arguments, Probe ready) {
            return new Launch(program, installHint, arguments, Map.of(), ready, Duration.ofSeconds(20));
        }

        public Launch withEnvironment(Map<String, String> variables) {
            return new Launch(program, installHint, arguments, Map.copyOf(variables), ready, startTimeout);
        }
    }

    private final String program;
    private final Process process;
    private final int port;
    private final Path log;

    private ExternalServer(String program, Process process, int port, Path log) {
        this.program = program;
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts {@code launch} with its output in {@code log} and returns once it is ready; fails the test if it is not. */
    public static ExternalServer start(Launch launch, Path log) {
        Path binary = Programs.require(launch.program(), launch.installHint());
        AssertionError exitedEarly = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            int port = freeLoopbackPort();
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.addAll(launch.arguments().apply(port));
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(launch.environment());
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start " + binary, e);
            }
            ExternalServer server = new ExternalServer(launch.program(), process, port, log);
            try {
                if (server.awaitReady(launch.ready(), launch.startTimeout())) {
                    return server;
                }
                exitedEarly = new AssertionError(launch.program() + " exited with " + process.exitValue()
                        + " before it was ready on port " + port + ":\n" + server.log());
            } catch (RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            }
        }
        throw exitedEarly;
    }

    /** True once ready, false if the process ended first; fails after the timeout. */
    private boolean awaitReady(Probe probe, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return false;
            }
            try {
                if (probe.ready(port)) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + program, e);
            }
        }
        process.destroyForcibly();
        throw new AssertionError(program + " was not ready on port " + port + " within " + timeout + ":\n" + log());
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** What the program printed so far. */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    /** A port on the loopback address that was free a moment ago. */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
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

    @Override
    public String toString() {
        return program + " pid " + process.pid() + " on 127.0.0.1:" + port;
    }
}
