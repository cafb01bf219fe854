package io.arqonbus.cli.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace of the test's own ({@code ip netns add arqtest-<random>}) with its loopback
 * up: processes started through {@link #launcher()} see only that loopback, and nftables rules
 * made with {@link #dropTcpPort} live in it, so the host's own firewall is never touched.
 * {@link #close()} deletes it (end the processes in it first). Needs root, {@code ip} (iproute2)
 * and {@code nft} (Debian's {@code nftables}); {@link #unavailable()} says why not when it cannot.
 */
final class NetworkNamespace implements AutoCloseable {
    private static final String TABLE = "arqtest";

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** Why namespaces with nftables cannot be made here, or {@code null} when they can. */
    static String unavailable() throws InterruptedException {
        String uid = run(List.of("id", "-u")).output().strip();
        if (!"0".equals(uid)) {
            return "network namespaces and nftables need root (uid " + uid + ")";
        }
        for (String tool : List.of("ip", "nft", "socat")) {
            if (run(List.of("sh", "-c", "command -v " + tool)).exitCode() != 0) {
                return tool + " is not installed (apt-get install -y iproute2 nftables socat)";
            }
        }
        return null;
    }

    /** Makes a namespace with a random name and its loopback up; fails with the tools' output if it cannot. */
    static NetworkNamespace create() throws InterruptedException {
        byte[] random = new byte[4];
        ThreadLocalRandom.current().nextBytes(random);
        NetworkNamespace namespace = new NetworkNamespace("arqtest-" + HexFormat.of().formatHex(random));
        Result added = run(List.of("ip", "netns", "add", namespace.name));
        if (added.exitCode() != 0) {
            throw new IllegalStateException("ip netns add " + namespace.name + ": " + added.output());
        }
        try {
            namespace.exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            namespace.close();
            throw e;
        }
        return namespace;
    }

    String name() {
        return name;
    }

    /** The command prefix that runs a program inside the namespace ({@code ip netns exec} execs it: same pid). */
    List<String> launcher() {
        return List.of("ip", "netns", "exec", name);
    }

    /** Runs a command inside the namespace and returns its output; fails if it exits non-zero. */
    String exec(String... command) throws InterruptedException {
        List<String> full = new ArrayList<>(launcher());
        full.addAll(List.of(command));
        Result result = run(full);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", full) + " exited with " + result.exitCode() + ": "
                    + result.output());
        }
        return result.output();
    }

    /**
     * Drops every TCP packet from or to {@code port} on the namespace's loopback, both directions
     * (an nftables table {@code inet arqtest} with an output and an input chain).
     */
    void dropTcpPort(int port) throws InterruptedException {
        String rules = "table inet " + TABLE + " {\n"
                + "  chain output { type filter hook output priority 0; policy accept;"
                + " tcp sport " + port + " drop; tcp dport " + port + " drop; }\n"
                + "  chain input { type filter hook input priority 0; policy accept;"
                + " tcp sport " + port + " drop; tcp dport " + port + " drop; }\n"
                + "}\n";
        List<String> command = new ArrayList<>(launcher());
        command.addAll(List.of("nft", "-f", "-"));
        Result result = run(command, rules);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("nft -f - exited with " + result.exitCode() + ": " + result.output());
        }
    }

    /** The namespace's nftables rules ({@code nft list ruleset}), for reports. */
    String ruleset() throws InterruptedException {
        return exec("nft", "list", "ruleset");
    }

    /** Deletes the namespace (its rules go with it). */
    @Override
    public void close() {
        try {
            run(List.of("ip", "netns", "delete", name));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws InterruptedException {
        return run(command, "");
    }

    private static Result run(List<String> command, String input) throws InterruptedException {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, output + " (timed out)");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        }
    }
}
