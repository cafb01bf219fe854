package io.arqonbus.server.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;

/**
 * Prometheus's own checker, {@code promtool} (Debian's {@code prometheus} package), run on a
 * scrape or on rule files. A test that needs it fails when it is missing, saying how to install
 * it ({@code ./arqon test} installs it).
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

    /** The promtool on the {@code PATH}; fails the test, saying how to install it, when there is none. */
    public static Promtool require() {
        return new Promtool(Programs.require("promtool", "apt-get install -y prometheus"));
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
