package io.arqonbus.bench.report;

import io.arqonbus.bench.load.Dialect;
import io.arqonbus.bench.probe.ServerProbe;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What every workload shares: where to connect, how, for how long, and where progress goes.
 *
 * @param progress where the once-a-second progress line goes, or {@code null} for none
 */
public record RunSettings(URI uri, Dialect dialect, int payloadBytes, Duration duration, Duration warmup,
        Duration drain, int threads, List<InetSocketAddress> sources, ServerProbe probe, Duration setupTimeout,
        int connectConcurrency, PrintWriter progress) {

    public RunSettings {
        sources = List.copyOf(sources);
    }
}
