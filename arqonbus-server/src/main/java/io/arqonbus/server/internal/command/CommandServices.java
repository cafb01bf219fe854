package io.arqonbus.server.internal.command;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.status.ServerInfo;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.kv.KeyValueStore;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.metrics.BusMetrics;
import io.arqonbus.server.internal.hub.ConnectionLifecycle;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.internal.webhook.Webhooks;
import java.time.Clock;

/** The server parts commands work with, injected once into the dispatcher. */
public record CommandServices(
        ServerConfig config,
        ServerInfo info,
        Clock clock,
        Hub hub,
        HistoryStore history,
        SessionRegistry sessions,
        ConnectionLifecycle lifecycle,
        BusMetrics metrics,
        EnvelopeCodec codec,
        TelemetryHub telemetry,
        CommandRegistry registry,
        Authenticator authenticator,
        CasilPolicyHolder casil,
        KeyValueStore kv,
        Webhooks webhooks) {
}
