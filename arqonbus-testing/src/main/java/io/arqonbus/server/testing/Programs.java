package io.arqonbus.server.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Programs a test runs for real (redis-server, nats-server, promtool…), looked up on the {@code PATH}. */
public final class Programs {
    private Programs() {
    }

    /**
     * The executable {@code name} on the {@code PATH}; fails the test with {@code installHint} (what to install, e.g.
     * {@code "apt-get install -y redis-server"}) when there is none — a missing program is a failure, not a skip.
     */
    public static Path require(String name, String installHint) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : (path + File.pathSeparator + "/usr/sbin" + File.pathSeparator + "/usr/local/bin")
                .split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(name + " is not installed (PATH " + path + "): this test runs a real " + name + "; "
                + installHint + " (./arqon test installs it)");
    }
}
