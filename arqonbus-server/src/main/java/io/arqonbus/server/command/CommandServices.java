package io.arqonbus.server.command;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.ServerInfo;
import io.arqonbus.server.auth.Authenticator;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.history.HistoryStore;
import io.arqonbus.server.kv.KeyValueStore;
import io.arqonbus.server.inspect.CasilPolicyHolder;
import io.arqonbus.server.hub.Hub;
import io.arqonbus.server.metrics.BusMetrics;
import io.arqonbus.server.routing.ConnectionLifecycle;
import io.arqonbus.server.session.SessionRegistry;
import io.arqonbus.server.telemetry.TelemetryHub;
import io.arqonbus.server.webhook.Webhooks;
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
