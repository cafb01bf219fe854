package io.arqonbus.client;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real server process ({@link BusMain} in a JVM of its own, from this test's class path) that a
 * test can freeze with SIGSTOP and thaw with SIGCONT; killed on {@link #close()}.
 */
final class BusProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("ready (ws://127\\.0\\.0\\.1:\\d+/)");

    private final Process process;
    private final URI uri;

    private BusProcess(Process process, URI uri) {
        this.process = process;
        this.uri = uri;
    }

    /** Starts the JVM and waits (up to 60 s) for its ready line; its output goes to {@code log}. */
    static BusProcess start(Path log) throws IOException {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), BusMain.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        URI[] found = new URI[1];
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                Matcher ready = READY.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (ready.find()) {
                    found[0] = URI.create(ready.group(1));
                    return true;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the server exited before it was ready:\n" + Files.readString(log));
                }
                return false;
            });
        } catch (RuntimeException | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        return new BusProcess(process, found[0]);
    }

    URI uri() {
        return uri;
    }

    /** SIGSTOP: the process answers nothing (the kernel still accepts connections into the backlog). */
    void freeze() {
        signal("STOP");
    }

    /** SIGCONT: the process runs again. */
    void thaw() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            signal("CONT");
        }
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }
}
