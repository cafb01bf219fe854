package io.arqonbus.bench.workload;

import io.arqonbus.bench.report.RunSettings;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.arqonbus.bench.load.BenchConnection;
import io.arqonbus.bench.load.LoadClient;
import io.arqonbus.bench.load.StatsBoard;
import io.arqonbus.bench.probe.ServerProbe;
import io.arqonbus.bench.report.Report;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Idle connections: open {@code connections} WebSocket connections (each counts once the upgrade
 * and the greeting arrived), hold them for {@code hold}, count the ones the server dropped, and
 * report the connect rate and the server's RSS growth per connection.
 */
public final class ConnectionsWorkload {
    private final int connections;
    private final Duration hold;
    private final boolean measureHeap;

    public ConnectionsWorkload(int connections, Duration hold, boolean measureHeap) {
        this.connections = connections;
        this.hold = hold;
        this.measureHeap = measureHeap;
    }

    public Report run(RunSettings settings) throws InterruptedException {
        ServerProbe probe = settings.probe();
        long heapBefore = measureHeap ? probe.liveHeapBytes() : -1;
        ServerProbe.Sample before = probe.sample();
        try (LoadClient client = new LoadClient(settings.threads(), settings.uri(), settings.dialect(),
                settings.sources(), new StatsBoard(0))) {
            long deadline = System.nanoTime() + settings.setupTimeout().toNanos();
            Opener.Opened opened = Opener.openReady(connections, settings.connectConcurrency(), deadline,
                    i -> client.connect(i, BenchConnection.Role.IDLE, null));
            try {
                int connected = connections - opened.failed();
                double connectSeconds = opened.elapsedNanos() / 1e9;
                PubSubWorkload.progress(settings, String.format("[connections %s] connected=%d failed=%d in %.1fs (%.0f/s)",
                        settings.dialect().label(), connected, opened.failed(), connectSeconds, connected / connectSeconds));
                long start = System.nanoTime();
                long end = start + hold.toNanos();
                long seconds = hold.toSeconds() + 2;
                for (long tick = 1; tick <= seconds && System.nanoTime() < end; tick++) {
                    long next = Math.min(end, start + TimeUnit.SECONDS.toNanos(tick));
                    for (int i = 0; i < 1000 && System.nanoTime() < next; i++) {
                        LockSupport.parkNanos(next - System.nanoTime());
                    }
                    PubSubWorkload.progress(settings, String.format("[connections %s] %4.0fs held=%d dropped=%d%s",
                            settings.dialect().label(), (System.nanoTime() - start) / 1e9,
                            connected - dropped(opened.connections()), dropped(opened.connections()),
                            rss(probe.sample())));
                }
                ServerProbe.Sample after = probe.sample();
                long heapAfter = measureHeap ? probe.liveHeapBytes() : -1;
                long dropped = dropped(opened.connections());

                ObjectNode json = JsonNodeFactory.instance.objectNode();
                Report.header(json, "connections", settings, client.transport());
                json.put("connections", connections);
                json.put("connected", connected);
                json.put("failed", opened.failed());
                json.put("connect_s", Math.round(connectSeconds * 1000) / 1000.0);
                json.put("connect_rate_per_s", PubSubWorkload.round(connected / connectSeconds));
                json.put("hold_s", hold.toMillis() / 1000.0);
                json.put("dropped", dropped);
                json.put("held", connected - dropped);
                json.put("server_pid", probe.pid());
                if (before.known() && after.known()) {
                    json.put("server_rss_before_bytes", before.rssBytes());
                    json.put("server_rss_after_bytes", after.rssBytes());
                    json.put("server_rss_per_connection_bytes",
                            connected > 0 ? (after.rssBytes() - before.rssBytes()) / connected : 0);
                    json.put("server_cpu_s", Math.round((after.cpuNanos() - before.cpuNanos()) / 1e6) / 1000.0);
                } else {
                    json.putNull("server_rss_before_bytes").putNull("server_rss_after_bytes")
                            .putNull("server_rss_per_connection_bytes").putNull("server_cpu_s");
                }
                if (heapBefore >= 0 && heapAfter >= 0) {
                    json.put("server_heap_before_bytes", heapBefore);
                    json.put("server_heap_after_bytes", heapAfter);
                    json.put("server_heap_per_connection_bytes",
                            connected > 0 ? (heapAfter - heapBefore) / connected : 0);
                } else {
                    json.putNull("server_heap_before_bytes").putNull("server_heap_after_bytes")
                            .putNull("server_heap_per_connection_bytes");
                }
                List<String> errors = new ArrayList<>();
                if (opened.failed() > 0) {
                    errors.add(opened.failed() + " connections failed: " + opened.firstFailure());
                }
                if (dropped > 0) {
                    errors.add(dropped + " connections were dropped during the hold");
                }
                return Report.finish(json, errors);
            } finally {
                Opener.closeAll(opened.connections());
            }
        }
    }

    private static long dropped(List<BenchConnection> connections) {
        return connections.stream().filter(BenchConnection::dropped).count();
    }

    private static String rss(ServerProbe.Sample sample) {
        return sample.known() ? " server_rss=" + sample.rssBytes() / (1024 * 1024) + "MiB" : "";
    }
}
