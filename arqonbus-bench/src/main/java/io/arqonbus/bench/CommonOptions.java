package io.arqonbus.bench;

import io.arqonbus.bench.load.Dialect;
import io.arqonbus.bench.net.Loopback;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.RunSettings;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every load workload takes (a picocli mixin). */
public final class CommonOptions {
    static final double MAX_SECONDS = 3600;

    @Option(names = "--url", description = {"WebSocket URL, e.g. ws://127.0.0.1:9100/ (overrides --host/--port; loopback only).",
            "Repeat it (or use --urls) to name several servers: fan-out and many-channels spread their",
            "subscribers round-robin over them and publish on --publish-on."})
    List<String> url;

    @Option(names = "--urls", split = ",", paramLabel = "URL[,URL...]",
            description = "Several WebSocket URLs, comma-separated (the nodes of a cluster); added after any --url.")
    List<String> urls;

    @Option(names = "--publish-on", defaultValue = "0",
            description = "Index (0-based) of the URL the publishers connect to, with several URLs (default: ${DEFAULT-VALUE}).")
    int publishOn;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server host, loopback only (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "9100", description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dialect", defaultValue = "arqonbus",
            description = {"arqonbus (the real protocol), floor (the floor server), floor-path (the floor with --mode path),",
                    "socketio (Socket.IO 4), nats (core NATS over TCP; --port 4222 or --url nats://127.0.0.1:4222)",
                    "or jetstream (NATS JetStream, durable only; default: ${DEFAULT-VALUE})."})
    String dialect;

    @Option(names = "--payload-bytes", defaultValue = "128", description = "Size of each message's payload object (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--duration", defaultValue = "10", description = "Measured seconds, after the warm-up (default: ${DEFAULT-VALUE}, at most 3600).")
    double duration;

    @Option(names = "--warmup", defaultValue = "2", description = "Warm-up seconds, not measured (default: ${DEFAULT-VALUE}).")
    double warmup;

    @Option(names = "--drain", defaultValue = "5", description = "Seconds to wait after publishing for the last deliveries before the missing ones count as lost (default: ${DEFAULT-VALUE}).")
    double drain;

    @Option(names = "--server-pid", description = "Server process id: its CPU (utime+stime from /proc/<pid>/stat) and RSS (/proc/<pid>/status) are reported.")
    Long serverPid;

    @Option(names = "--server-pids", split = ",", paramLabel = "PID[,PID...]",
            description = {"Several server processes (cluster nodes and their redis-server), comma-separated:",
                    "CPU and RSS are their sums (added after any --server-pid)."})
    List<Long> serverPids;

    @Option(names = "--source-addresses", defaultValue = "0",
            description = "Bind client sockets round-robin to 127.0.0.2 … 127.0.0.(N+1), each with its own ephemeral port range; 0 = let the kernel pick (default: ${DEFAULT-VALUE}).")
    int sourceAddresses;

    @Option(names = "--threads", description = "Load-generator event loops (default: the number of CPUs).")
    Integer threads;

    @Option(names = "--setup-timeout", defaultValue = "60", description = "Seconds allowed for connecting and joining everything (default: ${DEFAULT-VALUE}).")
    double setupTimeout;

    @Option(names = "--connect-concurrency", defaultValue = "256", description = "Connection set-ups in flight at most (default: ${DEFAULT-VALUE}).")
    int connectConcurrency;

    @Option(names = "--json-out", description = "Also write the JSON result line to this file.")
    Path jsonOut;

    @Option(names = "--quiet", description = "No progress lines on stderr.")
    boolean quiet;

    /** Validates and resolves everything; throws {@link IllegalArgumentException} with a sentence on bad input. */
    RunSettings settings(PrintWriter progress) {
        Dialect d = Dialect.parse(dialect);
        List<String> given = new ArrayList<>();
        if (url != null) {
            given.addAll(url);
        }
        if (urls != null) {
            urls.stream().map(String::trim).filter(u -> !u.isEmpty()).forEach(given::add);
        }
        List<URI> uris = new ArrayList<>();
        if (given.isEmpty()) {
            uris.add(d.endpoint(host, port));
        }
        for (String each : given) {
            uris.add(endpoint(d, each));
        }
        check(publishOn >= 0 && publishOn < uris.size(), "--publish-on must be 0.." + (uris.size() - 1)
                + " (an index into the " + uris.size() + " URL(s))");
        URI uri = uris.get(0);
        List<Long> pids = new ArrayList<>();
        if (serverPid != null) {
            pids.add(serverPid);
        }
        if (serverPids != null) {
            pids.addAll(serverPids);
        }
        check(payloadBytes >= 0 && payloadBytes <= 512 * 1024, "--payload-bytes must be 0..524288");
        check(duration > 0 && duration <= MAX_SECONDS, "--duration must be > 0 and at most 3600 seconds");
        check(warmup >= 0 && warmup <= MAX_SECONDS, "--warmup must be 0..3600 seconds");
        check(drain >= 0 && drain <= 600, "--drain must be 0..600 seconds");
        check(setupTimeout > 0 && setupTimeout <= MAX_SECONDS, "--setup-timeout must be > 0 and at most 3600 seconds");
        check(connectConcurrency >= 1 && connectConcurrency <= 100_000, "--connect-concurrency must be 1..100000");
        int loops = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        check(loops >= 1 && loops <= 256, "--threads must be 1..256");
        return new RunSettings(uri, d, payloadBytes, seconds(duration), seconds(warmup), seconds(drain), loops,
                Loopback.sourceAddresses(sourceAddresses), ServerProbe.ofAll(pids), seconds(setupTimeout),
                connectConcurrency, quiet ? null : progress, uris, publishOn);
    }

    private static URI endpoint(Dialect d, String text) {
        URI uri;
        try {
            uri = URI.create(text.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url must look like ws://127.0.0.1:9100/ (got " + text + ")");
        }
        String scheme = d.nats() ? "nats" : "ws";
        if (!scheme.equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPort() <= 0) {
            throw new IllegalArgumentException("--url must look like " + d.endpoint("127.0.0.1", d.nats() ? 4222 : 9100)
                    + " for --dialect " + d.label() + " (got " + uri + ")");
        }
        if (d.socketIo() && (uri.getPath() == null || !uri.getPath().startsWith("/socket.io"))) {
            uri = d.endpoint(uri.getHost(), uri.getPort());
        }
        if (!Loopback.isLoopback(uri.getHost())) {
            throw new IllegalArgumentException("the bench only talks to loopback addresses, not " + uri.getHost());
        }
        return uri;
    }

    /** Refuses several URLs for a workload that talks to one server. */
    static void oneServer(io.arqonbus.bench.report.RunSettings settings, String workload) {
        check(!settings.severalServers(), workload + " talks to one server: give one --url (several are for "
                + "fan-out and many-channels)");
    }

    static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }

    static Duration seconds(double value) {
        return Duration.ofMillis(Math.round(value * 1000));
    }
}
