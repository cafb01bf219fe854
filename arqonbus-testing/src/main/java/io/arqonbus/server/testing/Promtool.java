package io.arqonbus.server.testing;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus's own checker, {@code promtool} (Debian's {@code prometheus} package), run on a
 * scrape or on rule files. Where it is not installed a test is skipped — except under
 * {@code CI=true}, where {@code .ci/run} installs it and a missing one fails the test.
 */
public final class Promtool {
    /** What one run printed and how it ended. */
    public record Result(int exitCode, String output) {
        /** Whether promtool found nothing to complain about. */
        public boolean passed() {
            return exitCode == 0 && output.isBlank();
        }
    }

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** The promtool on the {@code PATH}; skips the test (fails it under {@code CI=true}) when there is none. */
    public static Promtool require() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(candidate)) {
                return new Promtool(candidate);
            }
        }
        String message = "promtool is not on the PATH (apt-get install prometheus)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail(message + "; CI=true requires it");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** {@code promtool check metrics} on a scrape in the Prometheus text format. */
    public Result checkMetrics(String scrape) throws IOException, InterruptedException {
        return run(List.of("check", "metrics"), scrape);
    }

    /** {@code promtool check rules} on rule files. */
    public Result checkRules(Path... files) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("check", "rules"));
        for (Path file : files) {
            args.add(file.toString());
        }
        return run(args, "");
    }

    private Result run(List<String> args, String stdin) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            Assertions.fail("promtool did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
