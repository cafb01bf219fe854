package io.arqonbus.cli.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs an image's root file system the way a container engine would start it, without one: the
 * config's {@code Entrypoint} + {@code Cmd} as its {@code User} (numeric {@code uid:gid}), in its
 * {@code WorkingDir}, with exactly its {@code Env} (plus the caller's overrides, like
 * {@code docker run -e}), chrooted into the root by util-linux {@code unshare --root}, with a
 * {@code /proc} of its own (a private mount namespace: the mount goes with the process) and the
 * {@code /dev} nodes a JVM opens ({@code null}, {@code zero}, {@code random}, {@code urandom}).
 *
 * <p>It shares the host's network (no network namespace), so the caller binds its ports to loopback.
 * {@code unshare} execs the program without forking: the returned process is the container's
 * process itself, and {@link Process#destroy()} is the SIGTERM a container engine's stop sends.
 * Needs root (chroot, mknod, mount).
 */
public final class ChrootContainer {
    private static final List<String> UNSHARE = List.of("/usr/bin/unshare", "/bin/unshare");

    private ChrootContainer() {}

    /** Why this machine cannot run an image's file system, or empty when it can. */
    public static Optional<String> unavailable() {
        int uid;
        try {
            uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("cannot tell this process's uid from /proc/self: " + e);
        }
        if (uid != 0) {
            return Optional.of("running an image's file system needs root (chroot, mknod, mount /proc); this test runs as uid "
                    + uid + " (CI runs as root)");
        }
        return unshare().isPresent() ? Optional.empty()
                : Optional.of("no util-linux unshare at " + UNSHARE + " (apt-get install util-linux)");
    }

    /**
     * Starts the image's process.
     *
     * @param root      the image's extracted file system ({@link ImageTarball#extractTo})
     * @param config    the image config's {@code config} object
     * @param overrides environment variables set over the image's
     * @param log       where its stdout and stderr go
     */
    public static Process start(Path root, JsonNode config, Map<String, String> overrides, Path log)
            throws IOException, InterruptedException {
        makeDevices(root);
        Files.createDirectories(root.resolve("proc"));
        String[] user = config.path("User").asText("0:0").split(":", 2);
        String uid = user[0];
        String gid = user.length > 1 ? user[1] : user[0];
        if (!uid.matches("\\d+") || !gid.matches("\\d+")) {
            throw new IllegalArgumentException("only a numeric User uid:gid is supported: " + config.path("User"));
        }
        String workingDir = config.path("WorkingDir").asText("");
        List<String> command = new ArrayList<>(List.of(unshare().orElseThrow(), "--mount-proc=/proc",
                "--root=" + root, "--wd=" + (workingDir.isEmpty() ? "/" : workingDir),
                "--setgid", gid, "--setuid", uid, "--"));
        config.path("Entrypoint").forEach(part -> command.add(part.asText()));
        config.path("Cmd").forEach(part -> command.add(part.asText()));

        Map<String, String> env = new LinkedHashMap<>();
        config.path("Env").forEach(entry -> {
            String[] pair = entry.asText().split("=", 2);
            env.put(pair[0], pair.length > 1 ? pair[1] : "");
        });
        env.putAll(overrides);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        return builder.start();
    }

    private static void makeDevices(Path root) throws IOException, InterruptedException {
        Path dev = Files.createDirectories(root.resolve("dev"));
        Map<String, String> nodes = Map.of("null", "3", "zero", "5", "random", "8", "urandom", "9");
        for (Map.Entry<String, String> node : nodes.entrySet()) {
            Path path = dev.resolve(node.getKey());
            if (Files.exists(path)) {
                continue;
            }
            Process mknod = new ProcessBuilder("mknod", "-m", "666", path.toString(), "c", "1", node.getValue())
                    .redirectErrorStream(true).start();
            String output = new String(mknod.getInputStream().readAllBytes());
            if (!mknod.waitFor(10, TimeUnit.SECONDS) || mknod.exitValue() != 0) {
                throw new IOException("mknod " + path + " failed: " + output);
            }
        }
    }

    private static Optional<String> unshare() {
        return UNSHARE.stream().filter(path -> Files.isExecutable(Path.of(path))).findFirst();
    }
}
