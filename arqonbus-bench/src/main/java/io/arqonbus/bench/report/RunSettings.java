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
 * @param uri       the first (or only) server URL
 * @param progress  where the once-a-second progress line goes, or {@code null} for none
 * @param uris      every server URL, {@code uri} first: subscribers are spread round-robin over them
 * @param publishOn the index in {@code uris} of the server the publishers connect to
 */
public record RunSettings(URI uri, Dialect dialect, int payloadBytes, Duration duration, Duration warmup,
        Duration drain, int threads, List<InetSocketAddress> sources, ServerProbe probe, Duration setupTimeout,
        int connectConcurrency, PrintWriter progress, List<URI> uris, int publishOn) {

    public RunSettings {
        sources = List.copyOf(sources);
        uris = List.copyOf(uris);
        if (uris.isEmpty() || !uris.get(0).equals(uri) || publishOn < 0 || publishOn >= uris.size()) {
            throw new IllegalArgumentException("uris must start with uri and publishOn must index them");
        }
    }

    /** Whether more than one server URL was given (a cluster). */
    public boolean severalServers() {
        return uris.size() > 1;
    }

    /** The URL the publishers connect to. */
    public URI publishUri() {
        return uris.get(publishOn);
    }
}
