package io.arqonbus.server.internal.http;

import io.arqonbus.server.internal.metrics.MetricsFormat;
import io.arqonbus.server.status.Readiness;
import io.arqonbus.server.status.ServerInfo;
import io.arqonbus.server.config.TlsConfig;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/** The {@link BusView} of a running server, read live from its parts. */
public final class LiveBusView implements BusView {
    private volatile io.arqonbus.server.internal.cluster.ClientDirectory directory;
    private final ServerInfo info;
    private final Clock clock;
    private final Supplier<Readiness> readiness;
    private final Hub hub;
    private final SessionRegistry sessions;
    private final TelemetryHub telemetry;
    private final BusMetrics metrics;
    private final HistoryStore history;
    private final IntSupplier openConnections;
    private final TlsConfig tls;
    private final String websocketUrl;
    private final String telemetryUrl;
    private volatile String httpUrl;

    /**
     * @param busAddress       where the bus port is bound
     * @param telemetryAddress where the telemetry port is bound, or {@code null}
     */
    public LiveBusView(ServerInfo info, Clock clock, Supplier<Readiness> readiness, Hub hub,
            SessionRegistry sessions, TelemetryHub telemetry, BusMetrics metrics, HistoryStore history,
            IntSupplier openConnections, InetSocketAddress busAddress, InetSocketAddress telemetryAddress,
            TlsConfig tls) {
        this.info = info;
        this.clock = clock;
        this.readiness = readiness;
        this.hub = hub;
        this.sessions = sessions;
        this.telemetry = telemetry;
        this.metrics = metrics;
        this.history = history;
        this.openConnections = openConnections;
        this.tls = tls;
        this.websocketUrl = url(secure(TlsConfig.Port.BUS) ? "wss" : "ws", busAddress);
        this.telemetryUrl = url(secure(TlsConfig.Port.TELEMETRY) ? "wss" : "ws", telemetryAddress);
    }

    private boolean secure(TlsConfig.Port port) {
        return tls != null && tls.covers(port);
    }

    /** Records where the HTTP port is bound (known only after binding). */
    public void httpBoundTo(InetSocketAddress address) {
        httpUrl = url(secure(TlsConfig.Port.HTTP) ? "https" : "http", address);
    }

    private static String url(String scheme, InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        String host = address.getHostString();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return scheme + "://" + host + ":" + address.getPort();
    }

    @Override public Readiness readiness() { return readiness.get(); }
    @Override public ServerInfo info() { return info; }
    @Override public Instant now() { return clock.instant(); }
    @Override public double uptimeSeconds() { return info.uptimeSeconds(clock); }
    @Override public String websocketUrl() { return websocketUrl; }
    @Override public String telemetryUrl() { return telemetryUrl; }
    @Override public String httpUrl() { return httpUrl; }
    @Override public int activeClients() { return sessions.size(); }
    @Override public int websocketConnections() { return openConnections.getAsInt(); }
    @Override public int telemetryConnections() { return telemetry.clientCount(); }
    @Override public Map<String, Integer> clientsByType() { return sessions.countByType(); }
    @Override public int rooms() { return hub.roomCount(); }
    @Override public int channels() { return hub.channelCount(); }
    @Override public long publishedTotal() { return hub.publicationCount(); }
    @Override public long receivedTotal() { return metrics.receivedTotal(); }
    @Override public long deliveredTotal() { return metrics.sentTotal(); }
    @Override public String storageBackend() { return history.backend(); }
    @Override public long historySize() { return history.size(); }
    @Override public long historyBytes() { return history.bytes(); }
    @Override public String scrapeMetrics() { return metrics.scrape(); }
    @Override public String scrapeMetrics(MetricsFormat format) { return metrics.scrape(format); }

    /** Cluster mode: {@link #cluster()} lists the nodes of {@code directory} (none when null); set once. */
    public void cluster(io.arqonbus.server.internal.cluster.ClientDirectory directory) {
        this.directory = directory;
    }

    @Override
    public java.util.concurrent.CompletionStage<com.fasterxml.jackson.databind.node.ObjectNode> cluster() {
        io.arqonbus.server.internal.cluster.ClientDirectory nodes = directory;
        return nodes == null ? null : nodes.describe();
    }
}
