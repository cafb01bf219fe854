package io.arqonbus.cli.crash;

import static org.awaitility.Awaitility.await;

import io.arqonbus.cli.Main;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code arqon serve} in a JVM of its own, started from this test's class path: the bus on a free
 * loopback port (read from the ready banner), telemetry and HTTP off, output in a log file.
 * {@link #kill()} is SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook runs.
 * {@link #startWithHttp} also opens the HTTP port on a free loopback port ({@link #httpUri()}).
 */
public final class ServerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern BANNER = Pattern.compile("ready: bus=(ws://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern HTTP_BANNER = Pattern.compile("ready: bus=\\S+.* http=(http://127\\.0\\.0\\.1:\\d+)");

    private final Process process;
    private final Path log;
    private final URI uri;
    private final long from;

    private ServerProcess(Process process, Path log, URI uri, long from) {
        this.process = process;
        this.log = log;
        this.uri = uri;
        this.from = from;
    }

    /** {@link #start(Map, List, Path)} with the HTTP port open on a free loopback port. */
    public static ServerProcess startWithHttp(Map<String, String> env, List<String> args, Path log) {
        return start(env, args, log, List.of(), "0", List.of());
    }

    /**
     * Starts a server and waits for its banner.
     *
     * @param env  {@code ARQONBUS_*} variables for it (any the test JVM has are removed first)
     * @param args flags after {@code serve --port 0 --telemetry-port -1 --http-port -1}
     * @param log  where its stdout and stderr go (appended)
     */
    public static ServerProcess start(Map<String, String> env, List<String> args, Path log) {
        return start(env, args, log, List.of());
    }

    /** {@link #start(Map, List, Path)} with more JVM options (e.g. a small direct memory). */
    public static ServerProcess start(Map<String, String> env, List<String> args, Path log, List<String> jvmOptions) {
        return start(env, args, log, jvmOptions, "-1", List.of());
    }

    /**
     * {@link #start(Map, List, Path)} with the JVM launched through {@code launcher}, e.g.
     * {@code ip netns exec <name>} to run it in a network namespace (the banner's address is then
     * that namespace's loopback). The launcher must exec the JVM so that {@link #pid()} is its pid.
     */
    public static ServerProcess startThrough(List<String> launcher, Map<String, String> env, List<String> args,
            Path log) {
        return start(env, args, log, List.of(), "-1", launcher);
    }

    private static ServerProcess start(Map<String, String> env, List<String> args, Path log, List<String> jvmOptions,
            String httpPort, List<String> launcher) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(),
                "serve", "--port", "0", "--telemetry-port", "-1", "--http-port", httpPort, "--io-threads", "1",
                "--stats-interval-seconds", "0", "--shutdown-grace-seconds", "1"));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("ARQONBUS_"));
        builder.environment().putAll(env);
        Process process;
        long from;
        try {
            Files.writeString(log, "=== " + String.join(" ", command.subList(command.indexOf("serve"), command.size()))
                    + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            from = Files.size(log);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the server JVM", e);
        }
        URI[] found = new URI[1];
        try {
            await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(() -> {
                Matcher banner = BANNER.matcher(read(log, from));
                if (banner.find()) {
                    found[0] = URI.create(banner.group(1) + "/");
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the server exited with " + process.exitValue() + " before its banner:\n"
                            + read(log, 0));
                }
                return false;
            });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return new ServerProcess(process, log, found[0], from);
    }

    /** The HTTP port's base URI (no trailing slash), when started with {@link #startWithHttp}. */
    public URI httpUri() {
        Matcher banner = HTTP_BANNER.matcher(read(log, from));
        if (!banner.find()) {
            throw new AssertionError("no HTTP address in the banner:\n" + read(log, from));
        }
        return URI.create(banner.group(1));
    }

    /** The bus WebSocket URI. */
    public URI uri() {
        return uri;
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the server process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code timeout} for the process to end on its own; its exit status, or -1 if it did not end. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    /** SIGKILL, then waits for the process to be gone. */
    public void kill() {
        process.destroyForcibly();
        waitFor();
    }

    /** The log so far (for failure messages). */
    public String log() {
        return read(log, 0);
    }

    /** SIGTERM (a graceful stop), then SIGKILL if it is still running after 20 s. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        waitFor();
    }

    private void waitFor() {
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                throw new AssertionError("the server process " + process.pid() + " did not end");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the server to end", e);
        }
    }

    private static String read(Path file, long from) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int start = (int) Math.min(from, bytes.length);
            return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + file + ": " + e + ")";
        }
    }
}
