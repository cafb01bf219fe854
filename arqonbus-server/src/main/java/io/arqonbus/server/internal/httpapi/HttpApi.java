package io.arqonbus.server.internal.httpapi;

import io.arqonbus.protocol.EnvelopeCodec;
import io.arqonbus.server.config.ServerConfig;
import io.arqonbus.server.internal.auth.Authenticator;
import io.arqonbus.server.internal.history.HistoryCommands;
import io.arqonbus.server.internal.history.HistoryStore;
import io.arqonbus.server.internal.http.BusView;
import io.arqonbus.server.internal.http.HttpEndpoint;
import io.arqonbus.server.internal.hub.Hub;
import io.arqonbus.server.internal.inspect.CasilPolicyHolder;
import io.arqonbus.server.internal.inspect.InspectionGate;
import io.arqonbus.server.internal.presence.Presence;
import io.arqonbus.server.internal.session.Disconnector;
import io.arqonbus.server.internal.session.SessionRegistry;
import io.arqonbus.server.internal.telemetry.TelemetryHub;
import io.arqonbus.server.internal.tracing.BusTracing;
import java.util.ArrayList;
import java.util.List;

/** Builds the HTTP API mounted at {@value #PREFIX} of the HTTP port from the running bus's parts. */
public final class HttpApi {
    /** Where the API is mounted. */
    public static final String PREFIX = "/api/";

    private HttpApi() {
    }

    /**
     * What the API uses of a running bus.
     *
     * @param inspection the CASIL gate every publication passes
     * @param casil      the policy {@code POST /api/casil/reload} changes
     */
    public record Parts(ServerConfig config, Authenticator authenticator, Hub hub, SessionRegistry sessions,
            HistoryStore history, Presence presence, BusView view, EnvelopeCodec codec, InspectionGate inspection,
            CasilPolicyHolder casil, TelemetryHub telemetry, Disconnector disconnector, BusTracing tracing) {
    }

    /** The endpoint to mount at {@link #PREFIX}: the API, with a span per call while tracing is on. */
    public static HttpEndpoint endpoint(Parts parts) {
        ApiEndpoint api = routes(parts);
        return parts.tracing().enabled() ? new TracedEndpoint(api, parts.tracing()) : api;
    }

    /** The API's route table. */
    public static ApiEndpoint routes(Parts parts) {
        ServerConfig config = parts.config();
        ApiPublisher publisher = new ApiPublisher(parts.hub(), parts.codec(), parts.inspection(),
                config.limits().maxMessageSize(), parts.tracing());
        List<ApiRoute> routes = new ArrayList<>();
        routes.addAll(new PublishRoutes(publisher, parts.hub(), parts.sessions()).routes());
        routes.addAll(new ReadRoutes(parts.hub(), parts.history(), parts.presence(), parts.view(),
                config.history().maxLimit(), HistoryCommands.replyBudget(config)).routes());
        routes.addAll(new AdminRoutes(parts.hub(), parts.sessions(), parts.disconnector(), parts.casil(),
                parts.telemetry()).routes());
        routes.add(OpenApiRoute.route());
        return new ApiEndpoint(routes, new ApiAuth(config.httpApi().keys(), parts.authenticator()),
                new ApiRateLimits(config.httpApi().ratePerSecond(), config.httpApi().burst()), parts.codec().mapper());
    }
}
